// The package's own promises: every subpath export loads with require() on Node
// 20.19+ (which only works while no module in the graph uses top-level await), the engine
// imports nothing but node:* and its own files, and the Nest layer reaches the engine only
// through engine/index.js and engine/internal.js (which package.json does not export). Checked on the compiled output, which is what users load.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(DIST, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  engines: { node: string };
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...jsFiles(path));
    else if (name.endsWith('.js')) out.push(path);
  }
  return out;
}

// Static `import … from '…'`, `export … from '…'`, bare `import '…'` and dynamic `import('…')`.
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

test('package.json: the name, ESM, Node >= 22, and the documented subpath exports', () => {
  assert.equal(pkg.name, 'nestjs-trace-context');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=22');
  for (const subpath of ['.', './engine']) assert.ok(pkg.exports[subpath], `exports["${subpath}"]`);
});

test('the @opentelemetry/api peer range spans exactly the api minors the OpenTelemetry-mode tests run with (SDK 2.x and 3.x trees)', () => {
  const minors = ['node_modules', 'otel-sdks/v3/node_modules'].map((tree) => {
    const { version } = JSON.parse(readFileSync(join(ROOT, tree, '@opentelemetry/api/package.json'), 'utf8')) as { version: string };
    const [maj, min] = version.split('.').map(Number);
    return { maj: maj!, min: min! };
  });
  const [low, high] = minors.sort((a, b) => a.maj - b.maj || a.min - b.min);
  assert.notDeepEqual(low, high, 'the two SDK trees hold different api minors');
  assert.equal(pkg.peerDependencies?.['@opentelemetry/api'], `>=${low!.maj}.${low!.min}.0 <${high!.maj}.${high!.min + 1}.0`);
});

test('every subpath export loads with require() (no top-level await anywhere in its graph)', { skip: !requireEsm && `require(esm) needs Node 20.19+, this is ${process.versions.node}` }, () => {
  const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
  const names = subpaths.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));
  const script = `for (const n of ${JSON.stringify(names)}) { const m = require(n); if (Object.keys(m).length === 0) throw new Error(n + ' exports nothing'); } console.log('ok');`;
  const r = spawnSync(process.execPath, ['--no-warnings', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});

test('the engine imports only node:* and its own files', () => {
  const engineDir = join(DIST, 'engine');
  const bad: string[] = [];
  for (const file of jsFiles(engineDir)) {
    for (const spec of specifiers(file)) {
      if (spec.startsWith('node:')) continue;
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : undefined;
      if (target === undefined || relative(engineDir, target).startsWith('..')) bad.push(`${relative(DIST, file)}: ${spec}`);
    }
  }
  assert.ok(jsFiles(engineDir).length > 50, 'compiled engine found');
  assert.deepEqual(bad, []);
});

test('the Nest layer reaches the engine only through engine/index.js and engine/internal.js', () => {
  const nestDir = join(DIST, 'nest');
  const engineEntries = [join(DIST, 'engine', 'index.js'), join(DIST, 'engine', 'internal.js')];
  const bad: string[] = [];
  let throughIndex = 0;
  for (const file of jsFiles(nestDir)) {
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (engineEntries.includes(target)) throughIndex++;
      else if (!relative(join(DIST, 'engine'), target).startsWith('..')) bad.push(`${relative(DIST, file)}: ${spec}`);
    }
  }
  assert.ok(throughIndex > 10, 'the scan sees the Nest layer\'s engine imports');
  assert.deepEqual(bad, []);
});

test('no runtime dependencies; every package the Nest layer imports is a declared peer dependency', () => {
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  const peers = pkg.peerDependencies ?? {};
  const missing = new Set<string>();
  let bare = 0;
  for (const file of jsFiles(join(DIST, 'nest'))) {
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      bare++;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (peers[name] === undefined) missing.add(`${name} (${relative(DIST, file)})`);
    }
  }
  assert.ok(bare > 5, 'the scan sees the Nest layer\'s package imports');
  assert.deepEqual([...missing], []);
});
