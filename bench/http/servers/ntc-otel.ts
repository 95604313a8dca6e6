// Scenario `ntc-otel`: this module in OpenTelemetry mode on top of the same SDK setup as
// `otel-http-100` (NodeSDK, instrumentation-http, TraceIdRatioBasedSampler 1.0, batch +
// OTLP protobuf to the bench sink), as a user already running OpenTelemetry adds it:
//   TraceContextModule.forRoot({ mode: 'otel' })
//   RequestContextService.getTraceContext()
// The module reuses instrumentation-http's server span (one span per request, as there), so
// the difference to `otel-http-100` is what the bridge costs: the request context, the route
// name on the server span, and getTraceContext() read from OpenTelemetry's active span.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { DynamicModule } from '@nestjs/common';
import { serveScenario } from './ipc.js';

interface NtcOtelApi {
  readonly TraceContextModule: { forRoot(options: unknown): DynamicModule };
  readonly RequestContextService: { getTraceContext(): { readonly traceId: string } | undefined | null };
}

const NEST_ENTRY = '../../../nest/index.js';

serveScenario(async () => {
  const url = process.env.BENCH_SINK_URL;
  if (url === undefined) throw new Error('BENCH_SINK_URL is not set');
  const sdk = new NodeSDK({
    serviceName: 'bench-orders',
    sampler: new TraceIdRatioBasedSampler(Number(process.env.BENCH_SAMPLE_RATIO ?? '1')),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
    instrumentations: [new HttpInstrumentation()],
  });
  // Before the app is imported, so instrumentation-http's require hook sees Fastify load node:http.
  sdk.start();
  const { TraceContextModule, RequestContextService } = (await import(NEST_ENTRY)) as NtcOtelApi;
  const { startNestScenario } = await import('./nest-app.js');
  return startNestScenario({
    imports: [TraceContextModule.forRoot({ mode: 'otel' })],
    readTraceId: () => RequestContextService.getTraceContext()?.traceId ?? null,
    afterClose: () => sdk.shutdown(),
  });
});
