// RED metrics are exact: after 10,000 records of a known mix of routes, kinds, statuses and
// durations, the Prometheus exposition (read back with a Prometheus text-format parser) holds
// exactly the true counts, error counts, sums and cumulative bucket counts, computed here
// the naive way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { DEFAULT_BOUNDARIES_MS, RedMetrics, SpanKind, renderPrometheusText } from '../../../engine/index.js';
import { parsePromSamples } from './helpers.js';
import { seededRandom } from '../sampling/seeded-ids.js';

interface Truth {
  count: number;
  errors: number;
  sum: number;
  durations: number[];
}

const ROUTES: ReadonlyArray<readonly [string, SpanKind]> = [
  ['/users/:id', SpanKind.SERVER],
  ['/orders', SpanKind.SERVER],
  ['/health', SpanKind.SERVER],
  ['POST /payments', SpanKind.CLIENT],
  ['orders.created process', SpanKind.CONSUMER],
];
const STATUSES = [200, 201, 204, 301, 304, 400, 404, 500, 503, 0];
// Exact bounds (upper-inclusive buckets), values just above them, fractions, and beyond the last bound.
const SPECIAL = [0, 5, 10, 25, 10000, 5.000001, 0.25, 10000.5, 99999];
const CLASS = (code: number): string => (code >= 100 && code < 600 ? `${Math.floor(code / 100)}xx` : 'none');
const KIND = ['internal', 'server', 'client', 'producer', 'consumer'];

function recordMix(agg: RedMetrics, n: number): Map<string, Truth> {
  const random = seededRandom(11);
  const truth = new Map<string, Truth>();
  for (let i = 0; i < n; i++) {
    const [route, kind] = ROUTES[Math.floor(random() * ROUTES.length)]!;
    const status = kind === SpanKind.CONSUMER ? 0 : STATUSES[Math.floor(random() * STATUSES.length)]!;
    const isError = status >= 500 || (status === 0 && random() < 0.1);
    const duration = random() < 0.2 ? SPECIAL[Math.floor(random() * SPECIAL.length)]! : Math.round(random() * 3000 * 1000) / 1000;
    agg.record(route, kind, status, isError, duration);
    const key = `${route}|${KIND[kind]}|${CLASS(status)}`;
    let t = truth.get(key);
    if (t === undefined) truth.set(key, (t = { count: 0, errors: 0, sum: 0, durations: [] }));
    t.count++;
    if (isError) t.errors++;
    t.sum += duration;
    t.durations.push(duration);
  }
  return truth;
}

function keyOf(labels: Record<string, string> | undefined): string {
  assert.ok(labels, 'sample without labels');
  assert.equal(labels.service_name, 'checkout');
  return `${labels.route}|${labels.span_kind}|${labels.status_class}`;
}

test('10,000 records of a known mix: Prometheus counts, errors, sums and buckets equal the true values exactly', () => {
  const agg = new RedMetrics({ serviceName: 'checkout' });
  const truth = recordMix(agg, 10_000);
  const families = parsePrometheusTextFormat(renderPrometheusText(agg));
  const byName = new Map(families.map((f) => [f.name, f]));

  const requests = byName.get('ntc_requests_total');
  const errors = byName.get('ntc_request_errors_total');
  const duration = byName.get('ntc_request_duration_milliseconds');
  assert.equal(requests?.type, 'COUNTER');
  assert.equal(errors?.type, 'COUNTER');
  assert.equal(duration?.type, 'HISTOGRAM');

  assert.equal(requests.metrics.length, truth.size);
  let total = 0;
  for (const m of requests.metrics) {
    const t = truth.get(keyOf(m.labels));
    assert.ok(t, `unexpected series ${keyOf(m.labels)}`);
    assert.equal(Number(m.value), t.count);
    total += Number(m.value);
  }
  assert.equal(total, 10_000);

  assert.equal(errors.metrics.length, truth.size);
  for (const m of errors.metrics) assert.equal(Number(m.value), truth.get(keyOf(m.labels))!.errors);

  // The histogram's samples one by one (see parsePromSamples for why).
  const samples = parsePromSamples(renderPrometheusText(agg), parsePrometheusTextFormat);
  const counts = samples.get('ntc_request_duration_milliseconds_count')!;
  const sums = samples.get('ntc_request_duration_milliseconds_sum')!;
  const buckets = samples.get('ntc_request_duration_milliseconds_bucket')!;
  assert.equal(counts.length, truth.size);
  assert.equal(sums.length, truth.size);
  assert.equal(buckets.length, truth.size * (DEFAULT_BOUNDARIES_MS.length + 1));
  for (const m of counts) assert.equal(Number(m.value), truth.get(keyOf(m.labels))!.count);
  for (const m of sums) assert.equal(Number(m.value), truth.get(keyOf(m.labels))!.sum);
  for (const m of buckets) {
    const t = truth.get(keyOf(m.labels))!;
    const le = m.labels.le!;
    const expected = le === '+Inf' ? t.count : t.durations.filter((d) => d <= Number(le)).length;
    assert.equal(Number(m.value), expected, `${keyOf(m.labels)} le=${le}`);
  }
  const les = new Set(buckets.map((m) => m.labels.le));
  assert.deepEqual([...les], [...DEFAULT_BOUNDARIES_MS.map(String), '+Inf']);
});

test('custom boundaries are used as given, and a value equal to a bound counts in that bound', () => {
  const agg = new RedMetrics({ serviceName: 'svc', boundaries: [1, 2.5, 100] });
  for (const d of [0, 1, 1.0000001, 2.5, 2.6, 100, 100.1]) agg.record('/x', SpanKind.SERVER, 200, false, d);
  const buckets = parsePromSamples(renderPrometheusText(agg), parsePrometheusTextFormat).get('ntc_request_duration_milliseconds_bucket')!;
  assert.deepEqual(
    buckets.map((m) => [m.labels.le, m.value]),
    [
      ['1', '2'],
      ['2.5', '4'],
      ['100', '6'],
      ['+Inf', '7'],
    ],
  );
});

test('the same route under another kind or status class is another series', () => {
  const agg = new RedMetrics({ serviceName: 'svc' });
  agg.record('/a', SpanKind.SERVER, 200, false, 1);
  agg.record('/a', SpanKind.SERVER, 299, false, 1);
  agg.record('/a', SpanKind.SERVER, 404, false, 1);
  agg.record('/a', SpanKind.CLIENT, 200, false, 1);
  agg.record('/a', SpanKind.CONSUMER, 0, true, 1);
  assert.equal(agg.seriesCount, 4);
  const [requests] = parsePrometheusTextFormat(renderPrometheusText(agg));
  assert.deepEqual(
    requests!.metrics.map((m) => [m.labels!.span_kind, m.labels!.status_class, m.value]),
    [
      ['server', '2xx', '2'],
      ['server', '4xx', '1'],
      ['client', '2xx', '1'],
      ['consumer', 'none', '1'],
    ],
  );
});

test('bad records are counted and ignored, never thrown', () => {
  const agg = new RedMetrics({ serviceName: 'svc' });
  agg.record('/ok', SpanKind.SERVER, 200, false, 1);
  agg.record('/x', SpanKind.SERVER, 200, false, Number.NaN);
  agg.record('/x', SpanKind.SERVER, 200, false, -1);
  agg.record('/x', SpanKind.SERVER, 200, false, Infinity);
  agg.record('/x', 7 as SpanKind, 200, false, 1);
  agg.record('/x', -1 as SpanKind, 200, false, 1);
  agg.record(undefined as unknown as string, SpanKind.SERVER, 200, false, 1);
  // Status codes outside 100-599 are "no status", not an error.
  agg.record('/odd', SpanKind.SERVER, 42, false, 1);
  agg.record('/odd', SpanKind.SERVER, 600, false, 1);
  assert.equal(agg.invalidRecords, 6);
  assert.equal(agg.seriesCount, 2);
  const [requests] = parsePrometheusTextFormat(renderPrometheusText(agg));
  assert.deepEqual(requests!.metrics.map((m) => [m.labels!.route, m.labels!.status_class, m.value]), [
    ['/ok', '2xx', '1'],
    ['/odd', 'none', '2'],
  ]);
});

test('bad options fail at construction with ERR_INVALID_OPTION naming the option', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /metrics\.serviceName/],
    [{ serviceName: '' }, /metrics\.serviceName/],
    [{ serviceName: 's', boundaries: [5, 1] }, /metrics\.boundaries/],
    [{ serviceName: 's', boundaries: [1, 1] }, /metrics\.boundaries/],
    [{ serviceName: 's', boundaries: [0, Number.NaN] }, /metrics\.boundaries/],
    [{ serviceName: 's', boundaries: 'fast' }, /metrics\.boundaries/],
    [{ serviceName: 's', maxSeries: 0 }, /metrics\.maxSeries/],
    [{ serviceName: 's', maxSeries: 1.5 }, /metrics\.maxSeries/],
    [null, /metrics/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => new RedMetrics(options as never),
      (err: unknown) => err instanceof TypeError && (err as { code?: string }).code === 'ERR_INVALID_OPTION' && message.test((err as Error).message),
      JSON.stringify(options),
    );
  }
});
