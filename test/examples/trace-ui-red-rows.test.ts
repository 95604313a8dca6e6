// The trace view's RED table rows: quantiles estimated from the histogram as Prometheus'
// histogram_quantile does (linear inside the bucket holding the rank), computed from a real
// RedMetrics aggregator.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedMetrics, SpanKind } from '../../engine/index.js';
import { histogramQuantile, redRows } from '../../examples/demo/ui/red-rows.js';

test('histogramQuantile interpolates inside the bucket that holds the rank', () => {
  // 10 in (0, 10], 10 in (10, 20]: the median is the top of the first bucket, p75 halfway up the second.
  assert.equal(histogramQuantile([10, 20], [10, 10, 0], 0.5), 10);
  assert.equal(histogramQuantile([10, 20], [10, 10, 0], 0.75), 15);
  assert.equal(histogramQuantile([10, 20], [10, 10, 0], 0.25), 5);
  // Empty buckets before the rank are skipped.
  assert.equal(histogramQuantile([10, 20, 30], [0, 0, 4, 0], 0.5), 25);
});

test('histogramQuantile: no data is null; a rank in +Inf answers the highest bound', () => {
  assert.equal(histogramQuantile([10, 20], [0, 0, 0], 0.5), null);
  assert.equal(histogramQuantile([10, 20], [0, 0, 3], 0.99), 20);
  assert.equal(histogramQuantile([], [5], 0.5), null);
});

test('redRows: one row per series with counts, mean and quantiles', () => {
  const red = new RedMetrics({ serviceName: 'ui', boundaries: [10, 100] });
  for (let i = 0; i < 8; i++) red.record('/a', SpanKind.SERVER, 200, false, 5);
  red.record('/a', SpanKind.SERVER, 200, false, 50);
  red.record('/a', SpanKind.SERVER, 503, true, 500);
  red.record('GET', SpanKind.CLIENT, 0, false, 20);
  const rows = redRows(red);
  assert.deepEqual(
    rows.map((r) => [r.service, r.route, r.kind, r.statusClass, r.count, r.errors]),
    [
      ['ui', '/a', 'server', '2xx', 9, 0],
      ['ui', '/a', 'server', '5xx', 1, 1],
      ['ui', 'GET', 'client', 'none', 1, 0],
    ],
  );
  const ok = rows[0]!;
  assert.equal(ok.meanMs, (8 * 5 + 50) / 9);
  assert.equal(ok.p50Ms, 10 * (4.5 / 8)); // rank 4.5 of 8 in (0, 10]
  assert.equal(ok.p99Ms, 10 + 90 * ((0.99 * 9 - 8) / 1));
  assert.equal(rows[1]!.p50Ms, 100, 'a rank past the last bound answers the last bound');
});
