// OpenTelemetry mode: what the bridge adds over calling the SDK directly. Both sides run on one
// registered NodeTracerProvider (always-on sampler, a no-op processor, so export is not
// measured), in the same run. The ratios are the bridge's overhead factor (above 1 = slower).
import { pathToFileURL } from 'node:url';
import { context as otelContext, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OtelBridgeTracer, OtelPropagator, loadOtelApi, type OtelApi } from '../../engine/index.js';
import { defineSuite, runStandalone } from './harness.js';

const provider = new NodeTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new NoopSpanProcessor()] });
provider.register();
const api = loadOtelApi() as OtelApi;
const bridge = new OtelBridgeTracer(api);
const propagator = new OtelPropagator(api);
const otelTracer = trace.getTracer('bench');
const parent = otelTracer.startSpan('parent');
const parentContext = trace.setSpan(otelContext.active(), parent);
const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

function childOfParent(fn: () => unknown): unknown {
  return otelContext.with(parentContext, fn);
}

export const suite = defineSuite({
  name: 'otel-bridge',
  cases: [
    { name: 'child startSpan+end (bridge)', impl: 'ntc', fn: () => childOfParent(() => bridge.startSpan('op').end()) },
    { name: 'child startSpan+end (OTel tracer)', impl: 'otel', fn: () => childOfParent(() => otelTracer.startSpan('op').end()) },
    { name: 'startActiveSpan (bridge)', impl: 'ntc', fn: () => childOfParent(() => bridge.startActiveSpan('op', (s) => s.spanContext().spanId)) },
    {
      name: 'startActiveSpan (OTel tracer)',
      impl: 'otel',
      fn: () => childOfParent(() => otelTracer.startActiveSpan('op', (s) => (s.end(), s.spanContext().spanId))),
    },
    { name: 'getTraceContext().traceId (bridge)', impl: 'ntc', fn: () => childOfParent(() => bridge.getTraceContext()?.traceId) },
    { name: 'getActiveSpan().spanContext().traceId (OTel)', impl: 'otel', fn: () => childOfParent(() => trace.getActiveSpan()?.spanContext().traceId) },
    { name: 'extract traceparent (bridge propagator)', impl: 'ntc', fn: () => propagator.extract(headers) },
    { name: 'extract traceparent (OTel propagation API)', impl: 'otel', fn: () => trace.getSpan(api.propagation.extract(api.ROOT_CONTEXT, headers) as never) },
  ],
  comparisons: [
    { id: 'otel-bridge-span-overhead', ours: 'child startSpan+end (bridge)', theirs: 'child startSpan+end (OTel tracer)', metric: 'time' },
    { id: 'otel-bridge-active-span-overhead', ours: 'startActiveSpan (bridge)', theirs: 'startActiveSpan (OTel tracer)', metric: 'time' },
    { id: 'otel-bridge-trace-context-overhead', ours: 'getTraceContext().traceId (bridge)', theirs: 'getActiveSpan().spanContext().traceId (OTel)', metric: 'time' },
    { id: 'otel-bridge-extract-overhead', ours: 'extract traceparent (bridge propagator)', theirs: 'extract traceparent (OTel propagation API)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
