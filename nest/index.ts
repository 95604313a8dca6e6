// `nestjs-trace-context`: the Nest integration plus the engine's public API.
export {
  ErrorCodes,
  TraceContextError,
  TraceContextTypeError,
  ContextKey,
  ContextSnapshot,
  context,
  isValidRequestId,
  TraceContext,
  SpanKind,
  SpanStatusCode,
} from '../engine/index.js';

// the tracer API, on the tracer the module makes global: usable where no
// RequestContextService is injected (plain functions, repositories, library code)
export {
  startSpan,
  startActiveSpan,
  withSpan,
  runWithTrace,
  getTraceContext,
  getActiveSpan,
} from '../engine/index.js';
export type { StartSpanOptions, SpanStatus, SpanLinkInput, TimeInput, TraceSeed } from '../engine/index.js';
// `Span` here is the method decorator; the span handle type is `TracerSpan`
export type { Span as TracerSpan } from '../engine/index.js';

// a span per method call of matching providers and controllers (NestFactory.create's `instrument`)
export { traceInstances } from './instrumentation/trace-instances.js';
export type { TraceInstancesOptions, ClassNamePattern, NestInstrumentOption } from './instrumentation/trace-instances.js';

// the Nest module
export { RequestContextModule } from './request-context.module.js';
export { TraceContextModule } from './trace-context.module.js';
export { RequestContextService } from './request-context.service.js';
export type { KeyLike } from './request-context.service.js';
export { Ctx } from './decorators/ctx.decorator.js';
export { TraceCtx } from './decorators/trace-ctx.decorator.js';
export { RequestId } from './decorators/request-id.decorator.js';
export { Span } from './decorators/span.decorator.js';
export { getTracingRuntime } from './tracing/active-runtime.js';
// outbound HTTP: the headers of the active context for clients the instrumentation
// does not see (gRPC metadata, axios with a custom adapter, HTTP/2)
export { injectTraceHeaders } from '../engine/index.js';
export type { TracingRuntime } from './tracing/tracing-runtime.js';
export type { RequestObserver } from './request-observer.js';

// RED metrics: `metrics` module option; the aggregator of the running app
export { getRedMetrics } from './metrics/active-metrics.js';
export type { MetricsOptions, OtlpMetricsOptions, PrometheusRouteOptions } from './metrics/metrics-options.js';
export { RedMetrics, PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from '../engine/index.js';
export type {
  RequestContextModuleOptions,
  TraceContextModuleOptions,
  TraceContextMode,
  TracingOptions,
  RequestIdOptions,
  ResponseHeaderOptions,
} from './options/request-context-options.js';
export type { PropagationFormat } from '../engine/index.js';

// log correlation and baggage: the active span's ids for log lines (pino mixin, Nest's JSON
// console logger) and W3C baggage of the request
export { traceLogFields, traceMixin, createTraceMixin, getBaggage, getBaggageEntry, setBaggage } from '../engine/index.js';
export type { TraceLogFields, TraceLogFieldsOptions, TraceMixin, TraceMixinOptions, Baggage, BaggageEntry } from '../engine/index.js';
export { TraceConsoleLogger } from './logging/trace-console-logger.js';
export type { TraceConsoleLoggerOptions } from './logging/trace-console-logger.js';

// background jobs: carry a trace through a queue; the microservice integration is
// `nestjs-trace-context/microservices`. The side-effect import points the engine's carriers at
// the running app's tracing runtime, so jobs use the formats and tracer the app configured.
import './jobs/trace-carrier-source.js';
export { captureTraceContext, runWithTraceContext } from '../engine/index.js';
export type { TraceCarrier, RunWithTraceContextOptions } from '../engine/index.js';
