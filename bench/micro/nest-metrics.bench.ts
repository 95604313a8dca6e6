// What RED metrics add to a request in the Nest module (budget: at most 1 µs of CPU per
// request): the module's request hooks cycle (onRequest -> preValidation -> onSend ->
// onResponse, see nest-request.bench.ts) with `metrics` off and on, unsampled (what 99% of
// requests are at 1% sampling) and sampled, beside what an OpenTelemetry JS user adds for the
// same numbers: an unsampled SERVER span plus sdk-metrics' duration histogram and error
// counter recorded with the route, method and status attributes.
// The added cost is the difference between a case with metrics on and the same case off.

import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelSpanKind, context as otelContext, trace, defaultTextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { defineSuite, runStandalone } from './harness.js';
import { hookCycle } from './nest-request.bench.js';

const METRICS = { prometheus: false as const };

// A reader without timers: instruments record only when one is attached, and nothing keeps running.
class BenchReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** OpenTelemetry's unsampled server span (nest-request.bench.ts's OTel case, shortened) plus the RED instruments. */
function otelRequest(): () => unknown {
  const tracer = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('bench');
  const meter = new MeterProvider({ readers: [new BenchReader()] }).getMeter('bench');
  const duration = meter.createHistogram('http.server.request.duration', { unit: 'ms' });
  const errors = meter.createCounter('http.server.request.errors');
  const propagator = new W3CTraceContextPropagator();
  const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' };
  let status = 0;
  return () => {
    const start = performance.now();
    const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const span = tracer.startSpan('GET /orders/:id', { kind: OtelSpanKind.SERVER }, parent);
    otelContext.with(trace.setSpan(parent, span), () => undefined);
    span.end();
    // A status mix like the HTTP suite's (mostly 200): an object per record, as a user writes it.
    const code = (status++ & 63) === 0 ? 500 : 200;
    const attributes = { 'http.route': '/orders/:id', 'http.request.method': 'GET', 'http.response.status_code': code };
    duration.record(performance.now() - start, attributes);
    if (code >= 500) errors.add(1, attributes);
    return span;
  };
}

export const suite = defineSuite({
  name: 'nest-metrics',
  cases: [
    { name: 'request hooks, unsampled, metrics off (ntc)', impl: 'ntc', fn: hookCycle('unsampled') },
    { name: 'request hooks, unsampled, metrics on (ntc)', impl: 'ntc', fn: hookCycle('unsampled', METRICS) },
    { name: 'request hooks, unsampled, metrics on, spans: false (ntc)', impl: 'ntc', fn: hookCycle('unsampled', { ...METRICS, spans: false }) },
    { name: 'request hooks, sampled, metrics off (ntc)', impl: 'ntc', fn: hookCycle('sampled') },
    { name: 'request hooks, sampled, metrics on (ntc)', impl: 'ntc', fn: hookCycle('sampled', METRICS) },
    { name: 'unsampled server span + RED instruments (otel)', impl: 'otel', fn: otelRequest() },
  ],
  comparisons: [
    {
      id: 'nest-metrics-unsampled-vs-otel',
      ours: 'request hooks, unsampled, metrics on (ntc)',
      theirs: 'unsampled server span + RED instruments (otel)',
      metric: 'time',
    },
    {
      id: 'nest-metrics-unsampled-bytes-vs-otel',
      ours: 'request hooks, unsampled, metrics on (ntc)',
      theirs: 'unsampled server span + RED instruments (otel)',
      metric: 'bytes',
    },
    // The budget (bench/budgets.json): what metrics add per request, metrics on minus off in
    // the same interleaved rounds, at each sampling state a request can be in.
    {
      id: 'nest-metrics-unsampled-added-ns',
      ours: 'request hooks, unsampled, metrics on (ntc)',
      theirs: 'request hooks, unsampled, metrics off (ntc)',
      metric: 'added-ns',
    },
    {
      id: 'nest-metrics-sampled-added-ns',
      ours: 'request hooks, sampled, metrics on (ntc)',
      theirs: 'request hooks, sampled, metrics off (ntc)',
      metric: 'added-ns',
    },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
