// 10,000 slow requests against maxBufferedTraces 1000, in five waves of 2,000 held open at once
// (parked on a gate until all 2,000 are in their handlers, so the limit is exceeded by
// construction, not by timing): never more than 1000 local traces buffered, the span pool
// never overflows, retained heap stays bounded, every request is answered, and the roots that
// found the buffer full are counted exactly. Every buffered request is slow (keepSlowerThanMs 0),
// so maxKeptPerSecond decides which are exported: kept + dropped by the limit = buffered.

import http from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTracingRuntime } from '../../../nest/index.js';
import { startSink } from '../../helpers/sink.js';
import { waitFor } from '../helpers.js';
import { exportedSpans, gate, getAll, startTailApp } from './tail-app.js';

const WAVES = 5;
const WAVE = 2000;
const LIMIT = 1000;
const gc = (globalThis as { gc?: () => void }).gc;

test('10,000 concurrent slow requests: buffer bounded at maxBufferedTraces, drops counted, all answered', { timeout: 120_000 }, async (t) => {
  const sink = await startSink();
  const app = await startTailApp(sink, { type: 'tail', ratio: 0, maxBufferedTraces: LIMIT, keepSlowerThanMs: 0 });
  t.after(() => app.close());
  t.after(() => sink.close());
  // One pool of connections for every wave: the test measures the buffer, not TCP setup.
  const agent = new http.Agent({ keepAlive: true, maxSockets: WAVE });
  t.after(() => agent.destroy());
  const runtime = getTracingRuntime()!;

  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = 0;
  let bufferedPeak = 0;
  const statuses: number[] = [];
  for (let w = 0; w < WAVES; w++) {
    gate.close();
    const wave = getAll(app.origin, Array.from({ length: WAVE }, () => '/gate'), WAVE, {}, agent);
    const t0 = Date.now();
    await waitFor(() => gate.waiting === WAVE, 60_000, `${WAVE} requests parked`);
    const t1 = Date.now();
    const tail = runtime.stats().tail!;
    bufferedPeak = Math.max(bufferedPeak, tail.buffered);
    gc?.();
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
    gate.open();
    for (const a of await wave) statuses.push(a.status);
    t.diagnostic(`wave ${w}: parked in ${t1 - t0} ms, answered in ${Date.now() - t1} ms`);
  }
  const tail = runtime.stats().tail!;
  const pool = runtime.tracer.poolStats();
  t.diagnostic(`buffered peak ${bufferedPeak}, heap peak +${(heapPeak / 1048576).toFixed(1)} MiB with ${WAVE} requests open, pool ${JSON.stringify(pool)}, ${JSON.stringify(tail)}`);

  assert.equal(statuses.length, WAVES * WAVE);
  assert.ok(statuses.every((s) => s === 200), 'every request answered 200');
  assert.equal(bufferedPeak, LIMIT, 'the buffer filled to its limit and no further');
  assert.equal(tail.notRecordedBufferFull, WAVES * (WAVE - LIMIT), 'each wave: the roots past the limit were not recorded');
  assert.equal(tail.keptSlow + tail.droppedSlowByLimit, WAVES * LIMIT, 'every recorded request was slow: kept, or dropped by the limit');
  assert.ok(tail.droppedSlowByLimit > 0, 'maxKeptPerSecond held the slow keeps back');
  assert.equal(tail.released, 0);
  assert.equal(tail.buffered, 0);
  // Two spans per buffered request (server + load) stay inside the pool: no overflow allocations.
  assert.equal(pool.overflowAllocations, 0);
  if (gc !== undefined) assert.ok(heapPeak < 150 * 1048576, `retained heap grew by ${(heapPeak / 1048576).toFixed(1)} MiB`);
  await runtime.forceFlush();
  const exported = exportedSpans(sink);
  assert.equal(exported.length, 2 * tail.keptSlow, 'each kept request exported whole (server span + load), nothing else');
  assert.equal(exported.filter((s) => s.attributes['sampling.rule'] === 'slow').length, tail.keptSlow);
});
