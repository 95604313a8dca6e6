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

// ids
export {
  isValidRequestId,
  createCounterRequestIdGenerator,
  createRandomRequestIdGenerator,
  resolveRequestId,
} from './ids/request-id.js';
export type { RequestIdGenerator } from './ids/request-id.js';

// trace context and propagation
export { TraceContext, FLAG_SAMPLED, FLAG_RANDOM, createRootTraceContext } from './propagation/trace-context.js';
export { MAX_HEADER_VALUE_LENGTH } from './propagation/propagator.js';
export type { IncomingHeaders, Propagator, PropagationFormat } from './propagation/propagator.js';
export { createPropagator, propagatorFromEnv } from './propagation/create-propagator.js';
export type { PropagatorOptions } from './propagation/create-propagator.js';
export type { CustomHeaderNames } from './propagation/custom.js';
export { createCompositePropagator, noopPropagator } from './propagation/composite.js';
export { w3cPropagator, parseTraceparent } from './propagation/w3c.js';
export { b3SinglePropagator, b3MultiPropagator, parseB3Single } from './propagation/b3.js';
export { jaegerPropagator, parseUberTraceId, extractJaegerBaggage, injectJaegerBaggage } from './propagation/jaeger.js';
export { datadogPropagator } from './propagation/datadog.js';
export { newRelicPropagator, parseNewRelicPayload, parseNewRelicTraceState } from './propagation/newrelic.js';
export type { NewRelicTraceState } from './propagation/newrelic.js';
export {
  normalizeTraceState,
  parseTraceState,
  getTraceStateValue,
  setTraceStateValue,
  deleteTraceStateValue,
} from './propagation/tracestate.js';
export { generateTraceId, generateSpanId } from './ids/trace-ids.js';

// baggage (W3C Baggage; Jaeger uberctx-* with the jaeger format): the active context's entries
export { Baggage, BaggageEntry } from './baggage/baggage.js';
export { getBaggage, getBaggageEntry, setBaggage, attachBaggage, storeBaggage } from './baggage/active-baggage.js';
export { parseBaggage, serializeBaggage } from './baggage/w3c-baggage.js';
export { w3cBaggageCodec } from './baggage/baggage-propagation.js';
export { copyBaggageAttributes, resolveBaggageKeys } from './baggage/baggage-attributes.js';

// log correlation: the active span's ids for log lines (pino mixin, Nest's JSON console logger)
export { traceLogFields, NO_LOG_FIELDS } from './logging/trace-log-fields.js';
export type { TraceLogFields, TraceLogFieldsOptions } from './logging/trace-log-fields.js';
export { traceMixin, createTraceMixin } from './logging/trace-mixin.js';
export type { TraceMixin, TraceMixinOptions } from './logging/trace-mixin.js';

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

// library spans from the TracingChannels ioredis, node-redis, mysql2 and GraphQL publish
export { enableLibrarySpans, traceMethodCalls } from './instrumentation/index.js';
export type {
  DbInstrumentationOptions,
  DbStatementMode,
  GraphqlInstrumentationOptions,
  LibraryInstrumentationConfig,
  LibraryInstrumentationOptions,
  LibrarySpansOptions,
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
export { Tracer } from './spans/tracer.js';
export type { TraceSeed } from './spans/tracer.js';
export type { TracerOptions } from './spans/tracer-options.js';
export type { Span, SpanKindName, SpanStatus, SpanLinkInput, StartSpanOptions, TimeInput } from './spans/span.js';
export type { SpanProcessor, SpanEndHook } from './spans/span-processor.js';
export type { SpanLimits } from './spans/span-limits.js';
export type { SpanPoolStats } from './spans/span-pool.js';
export { NonRecordingSpan } from './spans/non-recording-span.js';
export { RecordingSpan } from './spans/recording-span.js';
export {
  setGlobalTracer,
  getGlobalTracer,
  startSpan,
  startActiveSpan,
  withSpan,
  runWithTrace,
  getTraceContext,
  getActiveSpan,
} from './spans/global-tracer.js';
export { now as clockNow, toEpochNanos, toEpochMicros, toEpochMs } from './spans/clock.js';

// sampling
export { createSampler, SAMPLER_TYPES } from './sampling/sampler-config.js';
export type { SamplerConfig, SamplerType, SamplingRule } from './sampling/sampler-config.js';
export type { Sampler } from './sampling/sampler.js';
export { SamplingDecision, DROP, RECORD_ONLY, RECORD_AND_SAMPLE, samplingResult } from './sampling/sampling-result.js';
export type { SamplingResult } from './sampling/sampling-result.js';
export { AlwaysOnSampler } from './sampling/always-on.js';
export { AlwaysOffSampler } from './sampling/always-off.js';
export { TraceIdRatioBasedSampler } from './sampling/trace-id-ratio.js';
export { ParentBasedSampler } from './sampling/parent-based.js';
export type { ParentBasedDelegates } from './sampling/parent-based.js';
export { RateLimitingSampler } from './sampling/rate-limiting.js';
export type { MonotonicClock } from './sampling/rate-limiting.js';
export { ConsistentProbabilitySampler } from './sampling/consistent-probability.js';
export { RuleBasedSampler } from './sampling/rule-based.js';
export { TailSampler } from './sampling/tail-sampler.js';
export type { TailSamplingStats } from './sampling/tail-stats.js';

// jobs and message carriers: a trace across queues, workers and microservice messages
export { captureTraceContext, activeTraceContext, createCarrierHeaders, readCarrier, extractHeaders, extractHeadersBaggage, extractCarrier } from './jobs/trace-carrier.js';
export type { TraceCarrier } from './jobs/trace-carrier.js';
export { runWithTraceContext } from './jobs/run-with-trace-context.js';
export type { RunWithTraceContextOptions } from './jobs/run-with-trace-context.js';
export { configureTraceCarriers } from './jobs/carrier-tracing.js';
export type {
  CarrierHeaders,
  CarrierLink,
  CarrierPropagator,
  CarrierSpan,
  CarrierSpanOptions,
  CarrierTracer,
  CarrierTracing,
} from './jobs/carrier-tracing.js';
export { startMessageSpan, failSpan } from './jobs/message-span.js';

// export: batch processor, exporters (OTLP protobuf/JSON, Zipkin v2, console, memory), pipeline config
export { createExportPipeline, exportersFromEnv } from './export/export-pipeline.js';
export type {
  ExportPipeline,
  ExportPipelineOptions,
  ExporterConfig,
  MemoryExporterConfig,
  CustomExporterConfig,
} from './export/export-pipeline.js';
export { BatchSpanProcessor } from './export/batch-span-processor.js';
export { resolveBatchOptions } from './export/batch-options.js';
export type { BatchOptions, ResolvedBatchOptions } from './export/batch-options.js';
export type { ExportStats, ExporterStats } from './export/export-stats.js';
export type { SpanExporter, SendOutcome } from './export/span-exporter.js';
export type { ExportLogger } from './config/logger.js';
export { OtlpTraceExporter, resolveOtlpConfig } from './export/otlp/otlp-exporter.js';
export type { OtlpExporterConfig, OtlpProtocol, Compression, ResolvedOtlpConfig } from './export/otlp/otlp-exporter.js';
export { ZipkinExporter, resolveZipkinConfig } from './export/zipkin/zipkin-exporter.js';
export type { ZipkinExporterConfig, ResolvedZipkinConfig } from './export/zipkin/zipkin-exporter.js';
export { ConsoleSpanExporter } from './export/console-exporter.js';
export type { ConsoleExporterConfig } from './export/console-exporter.js';
export { MemorySpanExporter, InMemorySpanStore, toFinishedSpan } from './export/memory-exporter.js';
export type { FinishedSpan, FinishedSpanEvent, FinishedSpanLink } from './export/memory-exporter.js';
export { buildResource, SDK_NAME, SDK_VERSION } from './export/resource.js';
export type { Resource } from './export/resource.js';
export { EXPORT_AGENT, isExportAgent } from './export/transport/http-transport.js';

// metrics
export { RedMetrics, MAX_ROUTE_LENGTH } from './metrics/red-metrics.js';
export { DEFAULT_BOUNDARIES_MS, DEFAULT_MAX_SERIES } from './metrics/red-options.js';
export type { RedMetricsOptions, ResolvedRedMetricsOptions } from './metrics/red-options.js';
export { RED_METRIC, RED_LABEL } from './metrics/metric-names.js';
export { renderPrometheusText, PROMETHEUS_CONTENT_TYPE } from './metrics/prometheus-text.js';
export { PointCollector } from './metrics/metric-points.js';
export type { RedCollection, RedPoint, Temporality } from './metrics/metric-points.js';
export { encodeOtlpMetricsJson } from './metrics/otlp-metrics-json.js';
export { encodeOtlpMetricsProto } from './metrics/otlp-metrics-proto.js';
export { OtlpMetricsExporter } from './metrics/otlp-metrics-exporter.js';
export type { MetricsExportResult, MetricsExportStats } from './metrics/otlp-metrics-exporter.js';
export { resolveOtlpMetricsConfig } from './metrics/otlp-metrics-config.js';
export type { OtlpMetricsExporterOptions, OtlpMetricsProtocol, ResolvedOtlpMetricsConfig } from './metrics/otlp-metrics-config.js';
export type { InheritedOtlpOptions, OtlpHttpOptions } from './otlp/otlp-http-settings.js';

// OpenTelemetry bridge ('otel' / 'auto' mode): @opentelemetry/api is loaded lazily, if installed
export { OtelBridgeTracer } from './otel/otel-tracer.js';
export type { OtelTracerOptions } from './otel/otel-tracer.js';
export { OtelPropagator } from './otel/otel-propagator.js';
export { OtelBridgeSpan, OtelRemoteParent } from './otel/otel-span.js';
export { loadOtelApi, isTracerProviderRegistered } from './otel/otel-api.js';
export type { OtelApi, OtelContext } from './otel/otel-api.js';
export { selectTracingMode } from './otel/select-mode.js';
export type { TracingMode, ModeSelection } from './otel/select-mode.js';
