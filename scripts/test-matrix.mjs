// `npm run test:matrix` (after `npm run build`): the whole suite (scripts/run-tests.mjs) on every
// Node pinned in node-versions.json, one after the other, installing any that is missing.
// Each run's full output goes to .cache/test-matrix/node-<version>.log; the terminal gets one
// line per version. Exits 1 when any version has a failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TESTED, installNode } from './pinned-node.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOGS = join(ROOT, '.cache', 'test-matrix');
mkdirSync(LOGS, { recursive: true });
const SUMMARY = /^tests: (\d+) passed, (\d+) failed, (\d+) skipped on Node (\S+)(.*)$/m;

let failed = false;
for (const version of TESTED) {
  const bin = installNode(version);
  const log = join(LOGS, `node-${version}.log`);
  const started = Date.now();
  const r = spawnSync(bin, ['scripts/run-tests.mjs'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, env: process.env });
  writeFileSync(log, r.stdout + r.stderr);
  const seconds = Math.round((Date.now() - started) / 1000);
  const m = SUMMARY.exec(readFileSync(log, 'utf8'));
  if (m === null || m[4] !== version) {
    failed = true;
    console.log(`node ${version}: no result (exit ${r.status ?? r.signal}), see ${log}`);
    continue;
  }
  const [passed, fails, skipped] = [m[1], Number(m[2]), Number(m[3])];
  if (fails > 0 || r.status !== 0) failed = true;
  console.log(`node ${version}: ${passed} passed, ${fails} failed${skipped > 0 ? `, ${skipped} skipped` : ''} (${seconds} s${fails > 0 ? `; failures in ${log}` : ''})`);
}
process.exit(failed ? 1 : 0);
