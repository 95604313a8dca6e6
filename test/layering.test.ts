// The layering rules, read from the imports of every source file (scripts/import-graph.mjs,
// which `node scripts/import-graph.mjs` also prints as counts and cycles):
// the engine imports only node:* built-ins and itself, so it runs without Nest or any library;
// the Nest layer reaches the engine only through its entries (engine/index.ts, the package API,
// and engine/internal.ts, the integration surface package.json does not export); propagation depends on neither
// spans nor export (a header format is a value codec); nothing shipped imports bench, examples
// or tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Edge {
  readonly from: string;
  readonly specifier: string;
  readonly to: string | null;
}

const script = new URL('../../scripts/import-graph.mjs', import.meta.url).href;
const { graph } = (await import(script)) as { graph(): { edges: Edge[] } };
const { edges } = graph();
const shipped = edges.filter((e) => e.from.startsWith('engine/') || e.from.startsWith('nest/'));

function show(list: readonly Edge[]): string[] {
  return list.map((e) => `${e.from} imports ${e.specifier}`);
}

test('the import graph covers the shipped code', () => {
  assert.ok(shipped.length > 300, `${shipped.length} imports read from engine/ and nest/`);
  assert.ok(shipped.some((e) => e.from === 'nest/index.ts' && e.to === 'engine/index.ts'));
});

test('engine/ imports only node:* built-ins and files of engine/', () => {
  const bad = shipped.filter((e) => e.from.startsWith('engine/') && !(e.specifier.startsWith('node:') || (e.to !== null && e.to.startsWith('engine/'))));
  assert.deepEqual(show(bad), []);
});

const ENGINE_ENTRIES = ['engine/index.ts', 'engine/internal.ts'];

test('nest/ reaches the engine only through engine/index.ts and engine/internal.ts', () => {
  const bad = shipped.filter((e) => e.from.startsWith('nest/') && e.to !== null && e.to.startsWith('engine/') && !ENGINE_ENTRIES.includes(e.to));
  assert.deepEqual(show(bad), []);
  assert.ok(shipped.some((e) => e.from.startsWith('nest/') && e.to === 'engine/internal.ts'));
});

test('engine/internal.ts is no package entry, and application code (examples, bench) does not import it', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
  assert.ok(!JSON.stringify(pkg.exports).includes('internal'), JSON.stringify(pkg.exports));
  // The one exception: the benchmark's cost ladder rebuilds the module's request path rung by
  // rung from the same internals, to measure what each part costs.
  const LADDER = 'bench/http/servers/ladder.ts';
  const bad = edges.filter((e) => /^(examples|bench)\//.test(e.from) && e.from !== LADDER && e.to === 'engine/internal.ts');
  assert.deepEqual(show(bad), []);
});

test('engine/propagation/ imports neither spans nor export', () => {
  const bad = shipped.filter((e) => e.from.startsWith('engine/propagation/') && e.to !== null && /^engine\/(spans|export)\//.test(e.to));
  assert.deepEqual(show(bad), []);
});

test('nothing shipped imports bench/, examples/ or test/', () => {
  const bad = shipped.filter((e) => e.to !== null && /^(bench|examples|test)\//.test(e.to));
  assert.deepEqual(show(bad), []);
});
