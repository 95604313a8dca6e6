// The Node versions pinned in node-versions.json: where each is installed and how to install it.
// Each version is the npm registry's node-<platform>-<arch> package (the binaries the `node`
// package wraps), installed with `npm install --prefix .cache/node/<version>` so a fresh clone
// gets exactly these builds and nothing is downloaded from anywhere but the registry.
// `node scripts/pinned-node.mjs install` installs every pinned version (an existing install of
// the right version is reused).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pins = JSON.parse(readFileSync(join(ROOT, 'node-versions.json'), 'utf8'));

/** Every version the suite is tested on, oldest first. */
export const TESTED = pins.tested;
/** The version `npm start` and `npm run bench` use when it is installed. */
export const PREFERRED = pins.preferred;

const PLATFORM = process.platform === 'win32' ? 'win' : process.platform;
const PACKAGE = `node-${PLATFORM}-${process.arch}`;

export function installDir(version) {
  return join(ROOT, '.cache', 'node', version);
}

/** The pinned version's executable, or null when it is not installed. */
export function nodeBinary(version) {
  const bin = join(installDir(version), 'node_modules', PACKAGE, 'bin', PLATFORM === 'win' ? 'node.exe' : 'node');
  if (!existsSync(bin)) return null;
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() === `v${version}` ? bin : null;
}

/** Installs the version unless it already is; returns its executable. */
export function installNode(version) {
  const existing = nodeBinary(version);
  if (existing !== null) return existing;
  console.log(`installing Node ${version} (${PACKAGE}@${version} from the npm registry) into ${installDir(version)}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', installDir(version), '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${PACKAGE}@${version}`], { stdio: 'inherit' });
  const bin = nodeBinary(version);
  if (r.status !== 0 || bin === null) throw new Error(`could not install Node ${version}: npm install ${PACKAGE}@${version} exited ${r.status}`);
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== 'install') {
    console.error('usage: node scripts/pinned-node.mjs install');
    process.exit(2);
  }
  for (const version of TESTED) console.log(`Node ${version}: ${installNode(version)}`);
}
