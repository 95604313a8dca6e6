// maxKeptPerSecond is a token bucket over error and slow keeps: 1,000 failing requests arriving
// at 1,000 per second (on the sampler's injected clock, which advances 1 ms per decision, so
// the count does not depend on how loaded the machine is) against a limit of 100 per second
// export about 100 traces whole; the rest are released and counted as dropped by the limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTracingRuntime } from '../../../nest/index.js';
import { startSink } from '../../helpers/sink.js';
import { byTrace, exportedSpans, getAll, startTailApp } from './tail-app.js';

test('1,000 errors per second against maxKeptPerSecond 100: ~100 kept whole, the rest counted', { timeout: 60_000 }, async (t) => {
  let ms = 0;
  const clock = (): number => ms++;
  const sink = await startSink();
  const app = await startTailApp(sink, { type: 'tail', ratio: 0, maxKeptPerSecond: 100, clock });
  t.after(() => app.close());
  t.after(() => sink.close());

  const answers = await getAll(app.origin, Array.from({ length: 1000 }, (_, i) => `/fail/${i}`), 16);
  assert.ok(answers.every((a) => a.status === 500));
  const runtime = getTracingRuntime()!;
  await runtime.forceFlush();
  const tail = runtime.stats().tail!;
  t.diagnostic(JSON.stringify(tail));

  // One token at start, then 0.1 per ms over 1 s: 100 or 101 (floating-point refill).
  assert.ok(tail.keptError >= 100 && tail.keptError <= 101, `kept ${tail.keptError}`);
  assert.equal(tail.keptError + tail.droppedErrorByLimit, 1000);
  assert.equal(tail.released, 0);
  const traces = byTrace(exportedSpans(sink));
  assert.equal(traces.size, tail.keptError, 'exactly the kept traces reached the collector');
  for (const spans of traces.values()) {
    assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /fail/:i', 'load']);
    assert.equal(spans.find((s) => s.name === 'GET /fail/:i')!.attributes['sampling.rule'], 'error');
  }
  const kept = new Set(traces.keys());
  assert.equal(answers.filter((a) => kept.has(a.traceId)).length, tail.keptError, 'the exported traces are requests that were answered');
});
