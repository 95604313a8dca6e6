// No allocation per record once a series exists: record() only writes numbers into
// preallocated series. Measured as heap growth over a GC-free run after warm-up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { RedMetrics, SpanKind } from '../../../engine/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const ROUTES = ['/users/:id', '/orders', '/health', 'GET', 'orders.created process'];

test('record() allocates nothing once its series exist (100,000 records after warm-up)', async () => {
  assert.ok(gc, 'run with --expose-gc (scripts/run-tests.mjs does)');
  const agg = new RedMetrics({ serviceName: 'svc' });
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const kind = i % 3 === 0 ? SpanKind.CLIENT : SpanKind.SERVER;
      agg.record(ROUTES[i % ROUTES.length]!, kind, i % 7 === 0 ? 500 : 200, i % 7 === 0, (i % 1000) * 1.5);
    }
  };
  run(200_000); // warm-up: creates every series and lets V8 optimise record()

  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  let grown = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    gc();
    await new Promise((r) => setImmediate(r));
    const before = gcs;
    const heapBefore = process.memoryUsage().heapUsed;
    run(100_000);
    grown = process.memoryUsage().heapUsed - heapBefore;
    await new Promise((r) => setImmediate(r));
    if (gcs === before) break;
  }
  observer.disconnect();
  // 1 byte per record would be 100 KB; allow a little for the heap's own bookkeeping.
  assert.ok(grown < 16 * 1024, `heap grew ${grown} bytes over 100,000 records`);
  assert.equal(agg.seriesCount, 20);
});
