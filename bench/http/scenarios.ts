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
  /** Node flags before the script (a tracer's documented preload). */
  readonly execArgv: readonly string[];
  /** Environment variable that gets the sink's origin (`http://127.0.0.1:<port>`), for an agent-style exporter. */
  readonly agentUrlEnv: string | null;
}

export const BASELINE = 'nest';

function scenario(
  name: string,
  script: string,
  description: string,
  options: { env?: Record<string, string>; exportsSpans?: boolean; readsTraceId?: boolean; sampleRatio?: number; execArgv?: string[]; agentUrlEnv?: string } = {},
): Scenario {
  return {
    name,
    script,
    env: options.env ?? {},
    description,
    exportsSpans: options.exportsSpans ?? false,
    readsTraceId: options.readsTraceId ?? true,
    sampleRatio: options.sampleRatio ?? null,
    execArgv: options.execArgv ?? [],
    agentUrlEnv: options.agentUrlEnv ?? null,
  };
}

export const SCENARIOS: readonly Scenario[] = [
  scenario('fastify', 'fastify.js', 'bare Fastify 5 (the ceiling)', { readsTraceId: false }),
  scenario('nest', 'nest.js', 'bare Nest 12 + platform-fastify (THE BASELINE)', { readsTraceId: false }),
  scenario('nest-als', 'nest-als.js', 'one raw AsyncLocalStorage.run in an onRequest hook (the floor)'),
  scenario('nestjs-cls', 'nestjs-cls.js', 'nestjs-cls 7, ClsMiddleware mount:true, generateId, setup stores the trace id'),
  scenario('dd-trace-100', 'dd-trace.js', 'Datadog dd-trace 6, its defaults (node --import dd-trace/initialize.mjs), every trace kept, agent traffic to the sink', {
    env: { DD_SERVICE: 'bench-orders', DD_ENV: 'bench' },
    execArgv: ['--import', 'dd-trace/initialize.mjs'],
    agentUrlEnv: 'DD_TRACE_AGENT_URL',
    sampleRatio: 1,
  }),
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
  scenario('ladder-context', 'ladder.js', 'cost ladder on the engine API: a request store (request id) entered in an onRequest hook', { env: { BENCH_LADDER: 'context' }, readsTraceId: false }),
  scenario('ladder-ids', 'ladder.js', 'ladder-context + W3C extract and a server span the sampler drops (ids only)', { env: { BENCH_LADDER: 'ids' } }),
  scenario('ladder-span', 'ladder.js', 'ladder-ids, every span sampled: a pooled record started and ended at once, released (no processor)', { env: { BENCH_LADDER: 'span' } }),
  scenario('ladder-attributes', 'ladder.js', "ladder-span + the module's server-span request attributes", { env: { BENCH_LADDER: 'attributes' } }),
  scenario('ladder-listener', 'ladder.js', "ladder-attributes, the span ended from the response's 'close' listener", { env: { BENCH_LADDER: 'listener' } }),
  scenario('ntc-context', 'ntc.js', 'this module, tracing off (request context only)', { env: { BENCH_NTC_MODE: 'context' }, readsTraceId: false }),
  scenario('ntc-ids', 'ntc.js', 'this module, traceidratio 0, no exporter (extract + ids)', { env: { BENCH_NTC_MODE: 'ids' } }),
  scenario('ntc-release', 'ntc.js', 'this module, traceidratio 1.0, no exporter (each span released at its end)', { env: { BENCH_NTC_MODE: 'release' } }),
  scenario('ntc-discard', 'ntc.js', 'this module, traceidratio 1.0, batch processor + an exporter that discards each batch', { env: { BENCH_NTC_MODE: 'discard' } }),
  scenario('ntc-serialize', 'ntc.js', 'this module, traceidratio 1.0, batch processor + OTLP protobuf serialization, nothing sent', { env: { BENCH_NTC_MODE: 'serialize' } }),
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

/** One rung of the cost ladder: the scenario, and what it adds to the rung before it. */
export interface LadderRung {
  readonly scenario: string;
  readonly adds: string;
}

/**
 * The cost ladder of a traced request, cheapest first: each rung is the one before plus one
 * part of the request path, measured in the same interleaved rounds, so the per-round
 * difference of CPU per request between neighbours is what that part costs.
 */
export const LADDER: readonly LadderRung[] = [
  { scenario: 'nest-als', adds: 'one raw AsyncLocalStorage.run (the floor)' },
  { scenario: 'ladder-context', adds: "the engine's request store and request id instead of a raw store" },
  { scenario: 'ladder-ids', adds: 'W3C extract, sampler, ids (unsampled span)' },
  { scenario: 'ladder-span', adds: 'a sampled pooled span record, started and ended, released' },
  { scenario: 'ladder-attributes', adds: 'the server-span request attributes' },
  { scenario: 'ladder-listener', adds: "ending the span from the response's 'close' listener" },
  { scenario: 'ntc-release', adds: "the module's Nest/Fastify plumbing (route hooks, re-entry, frame, headers)" },
  { scenario: 'ntc-discard', adds: 'the batch processor (exporter discards each batch)' },
  { scenario: 'ntc-serialize', adds: 'OTLP protobuf serialization' },
  { scenario: 'ntc-100', adds: 'HTTP export to the sink (node:http in the server process)' },
];
