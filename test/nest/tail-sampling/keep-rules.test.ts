// `tail` at ratio 0.01 over 10,000 real requests: every failing request (thrown, returned 5xx,
// an error only in a child span) and every slow one is exported whole with the right
// `sampling.rule`; the others are exported exactly when traceidratio keeps their trace id,
// which lands within the 99.9% binomial interval, with `ot=th:` in their tracestate; nothing
// else reaches the collector, and RED metrics still count every request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeThreshold } from '../../../engine/sampling/consistent-probability.js';
import { getRedMetrics, getTracingRuntime } from '../../../nest/index.js';
import { startSink } from '../../helpers/sink.js';
import { byTrace, exportedSpans, getAll, ratioKeeps, startTailApp } from './tail-app.js';

const RATIO = 0.01;
const TOTAL = 10_000;

/** 50 failing requests of three kinds and 30 slow ones at fixed positions among ordinary ones. */
function plan(): { paths: string[]; kind: string[] } {
  const paths: string[] = [];
  const kind: string[] = [];
  const failing = ['fail', 'unavailable', 'child-error'];
  let slow = 0;
  for (let i = 0; i < TOTAL; i++) {
    if (i % 200 === 0) {
      const k = failing[(i / 200) % 3]!;
      paths.push(`/${k}/${i}`);
      kind.push(k);
    } else if (i % 331 === 7 && slow < 30) {
      slow++;
      paths.push('/slow/150');
      kind.push('slow');
    } else if (i % 97 === 3) {
      // The slow route, fast: its own threshold (100 ms) is not reached.
      paths.push('/slow/0');
      kind.push('ok');
    } else {
      paths.push(`/ok/${i}`);
      kind.push('ok');
    }
  }
  return { paths, kind };
}

test('tail at 1%: every failing and slow trace exported whole, the rest at the ratio', { timeout: 120_000 }, async (t) => {
  const sink = await startSink();
  const app = await startTailApp(
    sink,
    { type: 'tail', ratio: RATIO, keepSlowerThanMs: { 'GET /slow/:ms': 100, '*': 60_000 }, maxKeptPerSecond: 1000 },
    { metrics: true },
  );
  t.after(() => app.close());
  t.after(() => sink.close());

  const { paths, kind } = plan();
  assert.equal(kind.filter((k) => k !== 'ok' && k !== 'slow').length, 50);
  assert.equal(kind.filter((k) => k === 'slow').length, 30);
  const answers = await getAll(app.origin, paths, 16);
  await getTracingRuntime()!.forceFlush();

  const traces = byTrace(exportedSpans(sink));
  const th = encodeThreshold(RATIO).th;
  let ratioKept = 0;
  let ordinary = 0;
  for (let i = 0; i < TOTAL; i++) {
    const { status, traceId } = answers[i]!;
    const k = kind[i]!;
    assert.equal(status, k === 'fail' ? 500 : k === 'unavailable' ? 503 : 200, `${paths[i]} answered ${status}`);
    assert.match(traceId, /^[0-9a-f]{32}$/);
    const spans = traces.get(traceId);
    const inRatio = ratioKeeps(RATIO, traceId);
    assert.equal(answers[i]!.sampled, inRatio, `${paths[i]}: the flag sent on is the head decision`);
    if (k === 'ok') {
      ordinary++;
      if (!inRatio) {
        assert.equal(spans, undefined, `${paths[i]}: an unkept trace reached the collector`);
        continue;
      }
      ratioKept++;
    }
    assert.ok(spans !== undefined, `${paths[i]} (${k}) was not exported`);
    const names = spans.map((s) => s.name).sort();
    assert.deepEqual(names, [paths[i]!.startsWith('/slow') ? 'GET /slow/:ms' : `GET /${k === 'ok' ? 'ok' : k}/:i`, 'load'].sort(), `${paths[i]} exported whole`);
    const server = spans.find((s) => s.name.startsWith('GET'))!;
    const child = spans.find((s) => s.name === 'load')!;
    assert.equal(child.parentSpanId, server.spanId);
    const rule = inRatio ? 'ratio' : k === 'slow' ? 'slow' : k === 'ok' ? 'ratio' : 'error';
    assert.equal(server.attributes['sampling.rule'], rule, `${paths[i]} sampling.rule`);
    // Only the ratio's probability is a weight a backend may use.
    if (rule === 'ratio') assert.equal(server.traceState, `ot=th:${th}`);
    else assert.equal(server.traceState, '');
    if (k === 'fail') assert.ok(server.eventNames.includes('exception'));
    if (k === 'child-error') assert.equal(child.statusCode, 2);
  }
  assert.equal(traces.size, 80 + ratioKept, 'nothing else was exported');
  // 99.9% two-sided binomial interval: mean ± 3.29 standard deviations.
  const mean = ordinary * RATIO;
  const sd = Math.sqrt(ordinary * RATIO * (1 - RATIO));
  t.diagnostic(`ratio keeps ${ratioKept} of ${ordinary} (interval ${(mean - 3.29 * sd).toFixed(1)}..${(mean + 3.29 * sd).toFixed(1)})`);
  assert.ok(Math.abs(ratioKept - mean) <= 3.29 * sd, `ratio keeps ${ratioKept} of ${ordinary}`);

  const tail = getTracingRuntime()!.stats().tail!;
  t.diagnostic(JSON.stringify(tail));
  const failingInRatio = answers.filter((a, i) => kind[i] !== 'ok' && ratioKeeps(RATIO, a.traceId)).length;
  assert.equal(tail.keptRatio, ratioKept + failingInRatio);
  assert.equal(tail.keptError + tail.keptSlow + failingInRatio, 80);
  assert.equal(tail.released, TOTAL - 80 - ratioKept);
  assert.equal(tail.buffered, 0);
  assert.equal(tail.notRecordedBufferFull + tail.droppedErrorByLimit + tail.droppedSlowByLimit, 0);

  // RED metrics are recorded before tail sampling: every request counted.
  const counted = getRedMetrics()!
    .snapshotSeries()
    .filter((s) => s.kindLabel === 'server')
    .reduce((n, s) => n + s.stats[0]!, 0);
  assert.equal(counted, TOTAL);
});
