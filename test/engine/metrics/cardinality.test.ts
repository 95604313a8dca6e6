// The cardinality cap: distinct series stop at maxSeries, everything past it is counted in
// one `other` series, and memory stays bounded however many routes arrive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { DEFAULT_MAX_SERIES, MAX_ROUTE_LENGTH, PointCollector, RedMetrics, SpanKind, encodeOtlpMetricsJson, renderPrometheusText } from '../../../engine/index.js';
import { testResource } from './helpers.js';

const gc = (globalThis as { gc?: () => void }).gc;

test('5,000 distinct routes yield the default cap of 1000 series plus one `other` series, and no record is lost', () => {
  const agg = new RedMetrics({ serviceName: 'svc' });
  for (let i = 0; i < 5000; i++) agg.record(`/r/${i}`, SpanKind.SERVER, 200, i % 10 === 0, i % 50);
  assert.equal(agg.seriesCount, DEFAULT_MAX_SERIES);
  const [requests, errors] = parsePrometheusTextFormat(renderPrometheusText(agg));
  assert.equal(requests!.metrics.length, DEFAULT_MAX_SERIES + 1);
  const other = requests!.metrics.filter((m) => m.labels!.route === 'other');
  assert.equal(other.length, 1);
  assert.deepEqual(other[0]!.labels, {
    service_name: 'svc',
    route: 'other',
    span_kind: 'other',
    status_class: 'other',
    otel_metric_overflow: 'true',
  });
  assert.equal(Number(other[0]!.value), 4000);
  assert.equal(requests!.metrics.reduce((n, m) => n + Number(m.value), 0), 5000);
  assert.equal(errors!.metrics.reduce((n, m) => n + Number(m.value), 0), 500);
});

test('a known route keeps its own series after the cap is reached; a new kind/status of it overflows', () => {
  const agg = new RedMetrics({ serviceName: 'svc', maxSeries: 2 });
  agg.record('/a', SpanKind.SERVER, 200, false, 1);
  agg.record('/b', SpanKind.SERVER, 200, false, 1);
  agg.record('/c', SpanKind.SERVER, 200, false, 1);
  agg.record('/a', SpanKind.SERVER, 204, false, 1);
  agg.record('/a', SpanKind.SERVER, 500, true, 1);
  const [requests] = parsePrometheusTextFormat(renderPrometheusText(agg));
  assert.deepEqual(requests!.metrics.map((m) => [m.labels!.route, m.labels!.status_class, m.value]), [
    ['/a', '2xx', '2'],
    ['/b', '2xx', '1'],
    ['other', 'other', '2'],
  ]);
});

test('a route longer than MAX_ROUTE_LENGTH is counted in the overflow series, never kept as a label', () => {
  const agg = new RedMetrics({ serviceName: 'svc' });
  const long = `/search?q=${'x'.repeat(10_000)}`;
  agg.record(long, SpanKind.CLIENT, 200, false, 1);
  agg.record('y'.repeat(MAX_ROUTE_LENGTH), SpanKind.CLIENT, 200, false, 1);
  assert.equal(agg.seriesCount, 1);
  const text = renderPrometheusText(agg);
  // The 10,000-character route on each of the 20 sample lines of a series would be 200,000.
  assert.ok(text.length < 20_000, `exposition is ${text.length} characters`);
  const [requests] = parsePrometheusTextFormat(text);
  assert.deepEqual(requests!.metrics.map((m) => [m.labels!.route!.length, m.value]), [
    [MAX_ROUTE_LENGTH, '1'],
    ['other'.length, '1'],
  ]);
});

test('the OTLP overflow point carries otel.metric.overflow=true', () => {
  const agg = new RedMetrics({ serviceName: 'svc', maxSeries: 1 });
  agg.record('/a', SpanKind.SERVER, 200, false, 1);
  agg.record('/b', SpanKind.SERVER, 200, false, 1);
  const body = JSON.parse(encodeOtlpMetricsJson(new PointCollector(agg, 'cumulative').collect(), testResource('svc'))) as {
    resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ sum?: { dataPoints: Array<{ attributes: unknown[] }> } }> }> }>;
  };
  const points = body.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!.dataPoints;
  assert.equal(points.length, 2);
  assert.deepEqual(points[1]!.attributes, [
    { key: 'route', value: { stringValue: 'other' } },
    { key: 'span_kind', value: { stringValue: 'other' } },
    { key: 'status_class', value: { stringValue: 'other' } },
    { key: 'otel.metric.overflow', value: { boolValue: true } },
  ]);
});

test('memory stays bounded: 200,000 distinct routes past the cap cost no more than 2,000', () => {
  assert.ok(gc, 'run with --expose-gc (scripts/run-tests.mjs does)');
  const heapAfter = (routes: number): number => {
    const agg = new RedMetrics({ serviceName: 'svc', maxSeries: 1000 });
    for (let i = 0; i < routes; i++) agg.record(`/dyn/${i}`, SpanKind.SERVER, 200, false, 1);
    gc();
    const used = process.memoryUsage().heapUsed;
    assert.equal(agg.seriesCount, 1000);
    // Keep the aggregator alive until after the measurement.
    assert.ok(agg.snapshotSeries().length <= 1001);
    return used;
  };
  gc();
  const base = process.memoryUsage().heapUsed;
  const small = heapAfter(2_000) - base;
  gc();
  const large = heapAfter(200_000) - base;
  // 199,000 overflowing routes would add megabytes if any were retained (each key string alone is ~32 B).
  assert.ok(large - small < 1_000_000, `heap grew by ${large - small} bytes for 198,000 more routes`);
});
