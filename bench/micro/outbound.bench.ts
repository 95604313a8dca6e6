// Outbound HTTP: the per-call work of the instrumentation, ours beside what OpenTelemetry JS's
// undici/http instrumentations do per call (start a CLIENT span with the same four attributes
// under the active span, inject W3C headers into the request, set the status code, end), in
// the same run. Ours is measured through the real diagnostics channels (publish
// `undici:request:create` then `undici:request:headers` with an undici-shaped request), so the
// channel dispatch and our subscriber are both in the figure; OTel's side is its API calls
// only (no channel, no instrumentation wrapper), i.e. a floor for the OTel instrumentation.
// Both tracers: always-on (or parent-based always-off) sampler and no exporting processor.
import diagnosticsChannel from 'node:diagnostics_channel';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelSpanKind, TraceFlags, context as otelContext, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { runWithSpan } from '../../engine/context/index.js';
import { enableOutboundHttp, injectTraceHeaders } from '../../engine/instrumentation/index.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { SpanKind } from '../../engine/spans/span-data.js';
import { Tracer } from '../../engine/spans/tracer.js';
import { defineSuite, runStandalone } from './harness.js';
import { releasingProcessor } from './releasing-processor.js';

otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const ours = new Tracer({ sampler: { type: 'parentbased_always_on' }, processor: releasingProcessor });
enableOutboundHttp({ tracer: ours, fetch: true, http: false });
const otel = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) }).getTracer('bench');
const otelUnsampledTracer = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }).getTracer('bench');

const sampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1, undefined, true, undefined);
const unsampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 0, undefined, true, undefined);
const oursServer = ours.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, parent: sampledParent });
const oursUnsampledServer = ours.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, parent: unsampledParent });
const remote = (flags: number) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: sampledParent.traceId, spanId: sampledParent.spanId, traceFlags: flags, isRemote: true });
const otelServerCtx = trace.setSpan(ROOT_CONTEXT, otel.startSpan('GET /orders/:id', { kind: OtelSpanKind.SERVER }, remote(TraceFlags.SAMPLED)));
const otelUnsampledCtx = trace.setSpan(
  ROOT_CONTEXT,
  otelUnsampledTracer.startSpan('GET /orders/:id', { kind: OtelSpanKind.SERVER }, remote(TraceFlags.NONE)),
);

/** The fields of undici's Request the subscriber reads, and addHeader as undici 6 implements it. */
class FakeUndiciRequest {
  origin = 'http://orders:3001';
  method = 'GET';
  path = '/orders/42';
  headers: string[] = ['accept', '*/*'];
  addHeader(name: string, value: string): this {
    this.headers.push(name, value);
    return this;
  }
}
const create = diagnosticsChannel.channel('undici:request:create');
const headers = diagnosticsChannel.channel('undici:request:headers');
const RESPONSE = { statusCode: 200 };

function oursCall(): FakeUndiciRequest {
  const request = new FakeUndiciRequest();
  create.publish({ request });
  headers.publish({ request, response: RESPONSE });
  return request;
}

const setter = {
  set(carrier: FakeUndiciRequest, key: string, value: string): void {
    carrier.addHeader(key, value);
  },
};
function otelCall(tracer: typeof otel): FakeUndiciRequest {
  const request = new FakeUndiciRequest();
  const active = otelContext.active();
  const span = tracer.startSpan(
    request.method,
    {
      kind: OtelSpanKind.CLIENT,
      attributes: {
        'http.request.method': request.method,
        'url.full': request.origin + request.path,
        'server.address': 'orders',
        'server.port': 3001,
      },
    },
    active,
  );
  propagation.inject(trace.setSpan(active, span), request, setter);
  span.setAttribute('http.response.status_code', RESPONSE.statusCode);
  span.end();
  return request;
}

const plainSetter = {
  set(carrier: Record<string, string>, key: string, value: string): void {
    carrier[key] = value;
  },
};

export const suite = defineSuite({
  name: 'outbound',
  cases: [
    { name: 'fetch call, sampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursServer, oursCall) },
    { name: 'fetch call, sampled (otel api floor)', impl: 'otel', fn: () => otelContext.with(otelServerCtx, otelCall, undefined, otel) },
    { name: 'fetch call, unsampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursUnsampledServer, oursCall) },
    {
      name: 'fetch call, unsampled (otel api floor)',
      impl: 'otel',
      fn: () => otelContext.with(otelUnsampledCtx, otelCall, undefined, otelUnsampledTracer),
    },
    { name: 'injectTraceHeaders (ntc)', impl: 'ntc', fn: () => runWithSpan(oursServer, injectTraceHeaders) },
    {
      name: 'propagation.inject (otel)',
      impl: 'otel',
      fn: () => otelContext.with(otelServerCtx, () => {
        const carrier: Record<string, string> = {};
        propagation.inject(otelContext.active(), carrier, plainSetter);
        return carrier;
      }),
    },
    { name: 'fetch call outside any context (ntc)', impl: 'ntc', fn: oursCall },
  ],
  comparisons: [
    { id: 'outbound-sampled-speedup', ours: 'fetch call, sampled (ntc)', theirs: 'fetch call, sampled (otel api floor)', metric: 'time' },
    { id: 'outbound-sampled-bytes', ours: 'fetch call, sampled (ntc)', theirs: 'fetch call, sampled (otel api floor)', metric: 'bytes' },
    { id: 'outbound-unsampled-speedup', ours: 'fetch call, unsampled (ntc)', theirs: 'fetch call, unsampled (otel api floor)', metric: 'time' },
    { id: 'inject-headers-speedup', ours: 'injectTraceHeaders (ntc)', theirs: 'propagation.inject (otel)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
