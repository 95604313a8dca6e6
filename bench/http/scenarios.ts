// The HTTP scenarios: one server process each (bench/http/servers/), all serving the same
// `GET /orders/:id`. Adding a scenario is one entry here.

export interface Scenario {
  readonly name: string;
  /** Server script, relative to dist/bench/http/servers/. */
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly description: string;
  /** Exports spans to the sink (its endpoint is passed as BENCH_SINK_URL). */
  readonly exportsSpans: boolean;
  /** The route answers the trace id of the request's traceparent (checked before the load). */
  readonly readsTraceId: boolean;
  /** Configured sampling ratio, when the scenario samples. */
  readonly sampleRatio: number | null;
}

export const BASELINE = 'nest';

function scenario(
  name: string,
  script: string,
  description: string,
  options: { env?: Record<string, string>; exportsSpans?: boolean; readsTraceId?: boolean; sampleRatio?: number } = {},
): Scenario {
  return {
    name,
    script,
    env: options.env ?? {},
    description,
    exportsSpans: options.exportsSpans ?? false,
    readsTraceId: options.readsTraceId ?? true,
    sampleRatio: options.sampleRatio ?? null,
  };
}

export const SCENARIOS: readonly Scenario[] = [
  scenario('fastify', 'fastify.js', 'bare Fastify 5 (the ceiling)', { readsTraceId: false }),
  scenario('nest', 'nest.js', 'bare Nest 12 + platform-fastify (THE BASELINE)', { readsTraceId: false }),
  scenario('nest-als', 'nest-als.js', 'one raw AsyncLocalStorage.run in an onRequest hook (the floor)'),
  scenario('nestjs-cls', 'nestjs-cls.js', 'nestjs-cls 6, ClsMiddleware mount:true, generateId, setup stores the trace id'),
  scenario('otel-http-100', 'otel.js', 'OpenTelemetry NodeSDK, instrumentation-http only, ratio 1.0, OTLP proto', {
    env: { BENCH_SAMPLE_RATIO: '1', BENCH_OTEL_FASTIFY: '0' },
    exportsSpans: true,
    sampleRatio: 1,
  }),
  scenario('otel-100', 'otel.js', 'OpenTelemetry NodeSDK, instrumentation-http + @fastify/otel, ratio 1.0, OTLP proto', {
    env: { BENCH_SAMPLE_RATIO: '1', BENCH_OTEL_FASTIFY: '1' },
    exportsSpans: true,
    sampleRatio: 1,
  }),
  scenario('otel-1pct', 'otel.js', 'OpenTelemetry NodeSDK, instrumentation-http + @fastify/otel, ratio 0.01, OTLP proto', {
    env: { BENCH_SAMPLE_RATIO: '0.01', BENCH_OTEL_FASTIFY: '1' },
    exportsSpans: true,
    sampleRatio: 0.01,
  }),
  scenario('ntc-context', 'ntc.js', 'this module, tracing off (request context only)', { env: { BENCH_NTC_MODE: 'context' }, readsTraceId: false }),
  scenario('ntc-0', 'ntc.js', 'this module, traceidratio 0, OTLP proto exporter', { env: { BENCH_NTC_MODE: '0' }, exportsSpans: true, sampleRatio: 0 }),
  scenario('ntc-1pct', 'ntc.js', 'this module, traceidratio 0.01, OTLP proto exporter', { env: { BENCH_NTC_MODE: '1pct' }, exportsSpans: true, sampleRatio: 0.01 }),
  scenario('ntc-100', 'ntc.js', 'this module, traceidratio 1.0, OTLP proto exporter', { env: { BENCH_NTC_MODE: '100' }, exportsSpans: true, sampleRatio: 1 }),
  scenario('ntc-tail-1pct', 'ntc-tail.js', 'this module, tail sampler at ratio 0.01 (defaults; no errors or slow requests in the load), OTLP proto exporter', {
    exportsSpans: true,
    sampleRatio: 0.01,
  }),
  scenario('ntc-metrics', 'ntc.js', 'this module, traceidratio 0.01, OTLP proto exporter, RED metrics on (Prometheus route)', { env: { BENCH_NTC_MODE: 'metrics' }, exportsSpans: true, sampleRatio: 0.01 }),
  // The same rows on Nest's Express platform (BENCH_PLATFORM=express), budgeted against their own floor.
  scenario('nest-express', 'nest.js', 'bare Nest 12 + platform-express (the Express baseline)', { env: { BENCH_PLATFORM: 'express' }, readsTraceId: false }),
  scenario('nest-express-als', 'nest-express-als.js', 'one raw AsyncLocalStorage.run in the first Express middleware (the Express floor)', { env: { BENCH_PLATFORM: 'express' } }),
  scenario('ntc-express-0', 'ntc.js', 'this module on Express, traceidratio 0, OTLP proto exporter', { env: { BENCH_PLATFORM: 'express', BENCH_NTC_MODE: '0' }, exportsSpans: true, sampleRatio: 0 }),
  scenario('ntc-express-1pct', 'ntc.js', 'this module on Express, traceidratio 0.01, OTLP proto exporter', { env: { BENCH_PLATFORM: 'express', BENCH_NTC_MODE: '1pct' }, exportsSpans: true, sampleRatio: 0.01 }),
  scenario('ntc-express-100', 'ntc.js', 'this module on Express, traceidratio 1.0, OTLP proto exporter', { env: { BENCH_PLATFORM: 'express', BENCH_NTC_MODE: '100' }, exportsSpans: true, sampleRatio: 1 }),
  scenario('nestjs-cls-express', 'nestjs-cls.js', 'nestjs-cls 7 on Express, ClsMiddleware mount:true, generateId, setup stores the trace id', { env: { BENCH_PLATFORM: 'express' } }),
  scenario('otel-express-100', 'otel.js', 'OpenTelemetry NodeSDK on Express, instrumentation-http + instrumentation-express, ratio 1.0, OTLP proto', {
    env: { BENCH_PLATFORM: 'express', BENCH_SAMPLE_RATIO: '1', BENCH_OTEL_EXPRESS: '1' },
    exportsSpans: true,
    sampleRatio: 1,
  }),
  scenario('ntc-otel', 'ntc-otel.js', "this module in mode 'otel' over otel-http-100's NodeSDK (instrumentation-http, ratio 1.0, OTLP proto)", {
    env: { BENCH_SAMPLE_RATIO: '1' },
    exportsSpans: true,
    sampleRatio: 1,
  }),
];
