// Prometheus text exposition 0.0.4: HELP/TYPE lines, label escaping, histogram layout,
// read back with a Prometheus text-format parser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { PROMETHEUS_CONTENT_TYPE, RedMetrics, SpanKind, renderPrometheusText } from '../../../engine/index.js';
import { parsePromSamples } from './helpers.js';

test('each family has HELP and TYPE before its samples: two counters and a histogram', () => {
  const agg = new RedMetrics({ serviceName: 'svc' });
  agg.record('/a', SpanKind.SERVER, 200, false, 3);
  const text = renderPrometheusText(agg);
  assert.ok(text.endsWith('\n'));
  const families = parsePrometheusTextFormat(text);
  assert.deepEqual(
    families.map((f) => [f.name, f.type, f.help.length > 0]),
    [
      ['ntc_requests_total', 'COUNTER', true],
      ['ntc_request_errors_total', 'COUNTER', true],
      ['ntc_request_duration_milliseconds', 'HISTOGRAM', true],
    ],
  );
  assert.equal(PROMETHEUS_CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
});

test('an aggregator with no records exposes the families with no samples', () => {
  const families = parsePrometheusTextFormat(renderPrometheusText(new RedMetrics({ serviceName: 'svc' })));
  assert.deepEqual(families.map((f) => [f.name, f.metrics.length]), [
    ['ntc_requests_total', 0],
    ['ntc_request_errors_total', 0],
    ['ntc_request_duration_milliseconds', 0],
  ]);
});

test('label values with backslash, double quote and line feed are escaped and read back unchanged', () => {
  const nasty = ['C:\\DIR\\FILE', 'say "hi"', 'two\nlines', 'all \\ " \n at once\\', 'ünïcödé ✓', '{}=,'];
  const service = 'svc "quoted" \\ \n';
  const agg = new RedMetrics({ serviceName: service });
  for (const route of nasty) agg.record(route, SpanKind.SERVER, 200, false, 1);
  const text = renderPrometheusText(agg);
  // Every sample stays on one line: the raw line feeds were escaped.
  const sampleLines = text.split('\n').filter((l) => l.startsWith('ntc_requests_total{'));
  assert.equal(sampleLines.length, nasty.length);
  const [requests] = parsePrometheusTextFormat(text);
  assert.deepEqual(requests!.metrics.map((m) => m.labels!.route), nasty);
  for (const m of requests!.metrics) assert.equal(m.labels!.service_name, service);
  const buckets = parsePromSamples(text, parsePrometheusTextFormat).get('ntc_request_duration_milliseconds_bucket')!;
  assert.deepEqual([...new Set(buckets.map((m) => m.labels.route))], nasty);
});

test('histogram buckets are cumulative, end with le="+Inf" equal to _count, and _sum is the exact sum', () => {
  const agg = new RedMetrics({ serviceName: 'svc', boundaries: [10, 20] });
  for (const d of [1, 2, 15, 25, 30.5]) agg.record('/h', SpanKind.CLIENT, 503, true, d);
  const samples = parsePromSamples(renderPrometheusText(agg), parsePrometheusTextFormat);
  assert.deepEqual(samples.get('ntc_request_duration_milliseconds_bucket')!.map((m) => [m.labels.le, m.value]), [
    ['10', '2'],
    ['20', '3'],
    ['+Inf', '5'],
  ]);
  assert.equal(samples.get('ntc_request_duration_milliseconds_sum')![0]!.value, '73.5');
  assert.equal(samples.get('ntc_request_duration_milliseconds_count')![0]!.value, '5');
  assert.equal(samples.get('ntc_request_errors_total')![0]!.value, '5');
  assert.deepEqual(samples.get('ntc_requests_total')![0]!.labels, {
    service_name: 'svc',
    route: '/h',
    span_kind: 'client',
    status_class: '5xx',
  });
});
