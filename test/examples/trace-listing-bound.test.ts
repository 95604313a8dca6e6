// The demo's GET /traces lists from the store's newest spans: a poll reads a bounded number of
// spans (limit x SPANS_READ_PER_TRACE) however many the store holds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline } from '../../engine/export/export-pipeline.js';
import { InMemorySpanStore, type FinishedSpan } from '../../engine/export/memory-exporter.js';
import { SPANS_READ_PER_TRACE, TracesController } from '../../examples/demo/traces.controller.js';
import { exportSpans } from '../engine/export/span-fixture.js';

test('the demo\'s /traces?limit=1 reads the newest spans only, never the whole store', async () => {
  class CountingStore extends InMemorySpanStore {
    read = 0;
    override getFinishedSpans(): FinishedSpan[] {
      throw new Error('the listing must not read the whole store');
    }
    override newest(count: number): FinishedSpan[] {
      const out = super.newest(count);
      this.read += out.length;
      return out;
    }
  }
  const store = new CountingStore(40_000);
  const pipeline = createExportPipeline({ logger: { warn: () => undefined }, exporters: [{ type: 'memory', store }], batch: { scheduledDelayMillis: 60_000 } }, {});
  // 40,000 spans in 8,000 traces of 5.
  const names = Array.from({ length: 40_000 }, (_, i) => `span ${i}`);
  await exportSpans(pipeline, names, (i) => Math.floor(i / 5).toString(16).padStart(32, '0'));
  const controller = new TracesController({ service: 'gateway', store, upstreams: [] });
  const listed = await controller.list('1');
  assert.equal(listed.traces.length, 1);
  assert.equal(listed.traces[0]!.traceId, (7999).toString(16).padStart(32, '0'), 'the newest trace');
  assert.equal(listed.traces[0]!.spans.length, 5);
  assert.ok(store.read <= SPANS_READ_PER_TRACE, `read ${store.read} spans of 40,000`);
  await pipeline.shutdown();
});
