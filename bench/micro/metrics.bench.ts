// RED metrics: the per-request record() beside OpenTelemetry JS's sdk-metrics doing the same
// job (a histogram record, and the histogram plus an error counter for full RED), on the same
// prepared routes, statuses and durations. Budget: <= 1 µs CPU per request.
import { pathToFileURL } from 'node:url';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { RedMetrics } from '../../engine/metrics/red-metrics.js';
import { PointCollector } from '../../engine/metrics/metric-points.js';
import { renderPrometheusText } from '../../engine/metrics/prometheus-text.js';
import { encodeOtlpMetricsProto } from '../../engine/metrics/otlp-metrics-proto.js';
import { SpanKind } from '../../engine/spans/span-data.js';
import { buildResource } from '../../engine/export/resource.js';
import { defineSuite, runStandalone } from './harness.js';

// 1024 prepared records, cycled: 8 routes x 3 kinds x 4 statuses, durations spread over every bucket.
const ROUTES = ['/users/:id', '/orders', '/orders/:id', '/health', '/login', 'GET', 'POST', 'orders.created process'];
const KINDS = [SpanKind.SERVER, SpanKind.CLIENT, SpanKind.CONSUMER] as const;
const KIND_NAMES = ['server', 'client', 'consumer'];
const STATUSES = [200, 201, 404, 500];
const N = 1024;
const route: string[] = [];
const kind: SpanKind[] = [];
const status = new Int32Array(N);
const error: boolean[] = [];
const duration = new Float64Array(N);
const otelAttrs: Array<Record<string, string>> = [];
for (let j = 0; j < N; j++) {
  route.push(ROUTES[j % ROUTES.length]!);
  kind.push(KINDS[j % 3]!);
  status[j] = STATUSES[(j >> 3) % 4]!;
  error.push(status[j]! >= 500);
  duration[j] = ((j * 7919) % 12000) / 3.7;
  otelAttrs.push({ route: route[j]!, span_kind: KIND_NAMES[j % 3]!, status_class: `${Math.floor(status[j]! / 100)}xx` });
}
let i = 0;

const red = new RedMetrics({ serviceName: 'bench' });
const capped = new RedMetrics({ serviceName: 'bench', maxSeries: 1 });
capped.record('/only', SpanKind.SERVER, 200, false, 1);

// A reader without timers, so the suite leaves nothing running; instruments record only when one is attached.
class BenchReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
const meter = new MeterProvider({ readers: [new BenchReader()] }).getMeter('bench');
const otelHistogram = meter.createHistogram('ntc.request.duration', { unit: 'ms' });
const otelErrors = meter.createCounter('ntc.request.errors');

// Cold-path encoders over a realistic collection (96 series).
for (let j = 0; j < N; j++) red.record(route[j]!, kind[j]!, status[j]!, error[j]!, duration[j]!);
const collection = new PointCollector(red, 'cumulative').collect();
const resource = buildResource('bench', undefined, {}, { warn: () => undefined });

const next = (): number => (i = (i + 1) & (N - 1));
const ntcRecord = (agg: RedMetrics) => (): number => {
  const j = next();
  agg.record(route[j]!, kind[j]!, status[j]!, error[j]!, duration[j]!);
  return j;
};
const otelRecord = (withErrors: boolean) => (): number => {
  const j = next();
  otelHistogram.record(duration[j]!, otelAttrs[j]);
  if (withErrors && error[j]) otelErrors.add(1, otelAttrs[j]);
  return j;
};

export const suite = defineSuite({
  name: 'metrics',
  cases: [
    { name: 'record, series exists (ntc)', impl: 'ntc', fn: ntcRecord(red) },
    { name: 'record past the cap, overflow (ntc)', impl: 'ntc', fn: ntcRecord(capped) },
    { name: 'histogram.record (otel sdk-metrics)', impl: 'otel', fn: otelRecord(false) },
    { name: 'histogram.record + error counter (otel sdk-metrics)', impl: 'otel', fn: otelRecord(true) },
    { name: 'prometheus text, 96 series (ntc)', impl: 'ntc', fn: () => renderPrometheusText(red) },
    { name: 'otlp protobuf body, 96 series (ntc)', impl: 'ntc', fn: () => encodeOtlpMetricsProto(collection, resource) },
  ],
  comparisons: [
    { id: 'metrics-record-speedup', ours: 'record, series exists (ntc)', theirs: 'histogram.record (otel sdk-metrics)', metric: 'time' },
    { id: 'metrics-red-record-speedup', ours: 'record, series exists (ntc)', theirs: 'histogram.record + error counter (otel sdk-metrics)', metric: 'time' },
    { id: 'metrics-record-bytes', ours: 'record, series exists (ntc)', theirs: 'histogram.record (otel sdk-metrics)', metric: 'bytes' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
