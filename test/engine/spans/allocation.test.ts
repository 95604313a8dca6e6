import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpanData } from '../../../engine/index.js';
import { Tracer } from '../../../engine/index.js';

const gc = (globalThis as { gc?: () => void }).gc;

test('1,000,000 sampled start+setAttribute+end cycles with released records grow the heap by < 1 MiB after GC', { skip: gc === undefined && 'needs --expose-gc' }, async () => {
  let exported = 0;
  const tracer = new Tracer({
    sampler: { type: 'always_on' },
    processor: {
      onEnd(span: SpanData) {
        exported++;
        span.release();
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    },
  });
  const cycle = (i: number) => {
    const span = tracer.startSpan('op');
    span.setAttribute('i', i);
    span.setAttribute('route', '/orders/:id');
    span.end();
  };
  const collect = async () => {
    for (let i = 0; i < 3; i++) {
      gc!();
      await new Promise((r) => setImmediate(r));
    }
  };
  for (let i = 0; i < 50_000; i++) cycle(i);
  await collect();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) cycle(i);
  await collect();
  const growth = process.memoryUsage().heapUsed - before;
  assert.equal(exported, 1_050_000);
  assert.deepEqual(tracer.poolStats().overflowAllocations, 0);
  assert.ok(tracer.poolStats().created <= 256, `pool grew to ${tracer.poolStats().created}`);
  assert.ok(growth < 1024 * 1024, `heap grew by ${growth} bytes`);
});
