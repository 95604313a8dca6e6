// The memory exporter's store is bounded: `{ type: 'memory', maxSpans }` (default 10,000)
// keeps the newest spans, drops the oldest and counts them, and `newest(n)` reads only n.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { DEFAULT_MAX_SPANS, InMemorySpanStore, type FinishedSpan } from '../../../engine/export/memory-exporter.js';
import { exportSpans } from './span-fixture.js';

test('maxSpans keeps the newest spans in order, drops the oldest and counts them', async () => {
  const store = new InMemorySpanStore();
  assert.equal(DEFAULT_MAX_SPANS, 10_000);
  const pipeline = createExportPipeline({ logger: { warn: () => undefined }, exporters: [{ type: 'memory', store, maxSpans: 1000 }], batch: { scheduledDelayMillis: 60_000 } }, {});
  const names = Array.from({ length: 2500 }, (_, i) => `span ${i}`);
  await exportSpans(pipeline, names, () => '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(store.size, 1000);
  assert.equal(store.dropped, 1500);
  assert.deepEqual(store.getFinishedSpans().map((s) => s.name), names.slice(1500));
  assert.deepEqual(store.newest(3).map((s) => s.name), names.slice(2497));
  assert.equal(pipeline.getExportStats().exported, 2500, 'every span reached the store; the store chose what to keep');
  store.setMaxSpans(10);
  assert.deepEqual(store.getFinishedSpans().map((s) => s.name), names.slice(2490));
  assert.equal(store.dropped, 2490);
  store.reset();
  assert.equal(store.size, 0);
  assert.equal(store.dropped, 0);
  await pipeline.shutdown();
});

test('a store without an explicit bound keeps the default 10,000', () => {
  const store = new InMemorySpanStore();
  const span = {} as FinishedSpan;
  for (let i = 0; i < 12_345; i++) store.add([span]);
  assert.equal(store.size, 10_000);
  assert.equal(store.dropped, 2_345);
});

test('maxSpans is validated at startup, naming the option', () => {
  for (const bad of [0, -5, 2.5, '100']) {
    assert.throws(
      () => createExportPipeline({ exporters: [{ type: 'memory', maxSpans: bad as never }] }, {}, 'tracing'),
      (e: Error) => e.message.includes('tracing.exporters[0].maxSpans') && e.message.includes('an integer >= 1'),
    );
  }
});
