// The framework-agnostic public API: `nestjs-trace-context/engine`. Imports only node:*.
// Explicit named exports grouped by area (no `export *`), so the public surface is this page.

// errors
export {
  ErrorCodes,
  TraceContextError,
  TraceContextTypeError,
  invalidOption,
  invalidArgument,
} from './errors.js';
export type { ErrorCode } from './errors.js';

// context
export { ContextKey, ContextSnapshot, context } from './context/index.js';
export type { ContextInit, SetPolicy } from './context/index.js';
// integration surface (the Nest layer, job runners): not for application code
export { ContextStore, currentStore, runWithStore, createStore, runWithSpan } from './context/index.js';

// ids
export {
  isValidRequestId,
  createCounterRequestIdGenerator,
  createRandomRequestIdGenerator,
  resolveRequestId,
} from './ids/request-id.js';
export type { RequestIdGenerator } from './ids/request-id.js';

// trace context and propagation
export { TraceContext, FLAG_SAMPLED, FLAG_RANDOM } from './propagation/trace-context.js';

// outbound HTTP (fetch and node:http client spans + propagation)
export {
  enableOutboundHttp,
  disableOutboundHttp,
  isOutboundHttpEnabled,
  injectTraceHeaders,
} from './instrumentation/index.js';
export type {
  OutboundHttpOptions,
  OutboundPropagator,
  OutboundSpan,
  OutboundTracer,
  PropagateTo,
} from './instrumentation/index.js';

// spans
export { SpanKind, SpanStatusCode } from './spans/span-data.js';
export type {
  AttributeValue,
  Attributes,
  SpanData,
  SpanEventData,
  SpanLinkData,
} from './spans/span-data.js';

// metrics
export { RedMetrics } from './metrics/red-metrics.js';
export { DEFAULT_BOUNDARIES_MS, DEFAULT_MAX_SERIES } from './metrics/red-options.js';
export type { RedMetricsOptions, ResolvedRedMetricsOptions } from './metrics/red-options.js';
export { RED_METRIC, RED_LABEL } from './metrics/metric-names.js';
export { renderPrometheusText, PROMETHEUS_CONTENT_TYPE } from './metrics/prometheus-text.js';
export { PointCollector } from './metrics/metric-points.js';
export type { RedCollection, RedPoint, Temporality } from './metrics/metric-points.js';
export { encodeOtlpMetricsJson, toOtlpMetricsJsonObject } from './metrics/otlp-metrics-json.js';
export { encodeOtlpMetricsProto } from './metrics/otlp-metrics-proto.js';
export { OtlpMetricsExporter } from './metrics/otlp-metrics-exporter.js';
export type { MetricsExportStats } from './metrics/otlp-metrics-exporter.js';
export { resolveOtlpMetricsConfig } from './metrics/otlp-metrics-config.js';
export type { OtlpMetricsExporterOptions, OtlpMetricsProtocol, ResolvedOtlpMetricsConfig } from './metrics/otlp-metrics-config.js';
export type { PostResult } from './metrics/http-post.js';
