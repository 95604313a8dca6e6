// The TracingRuntime of 'otel' mode: the app's OpenTelemetry SDK does sampling, processing and
// export; this library contributes its API (startSpan, @Span, getTraceContext), the request
// context, route-aware server spans and outbound propagation, all through OTel.

import {
  OtelBridgeSpan,
  OtelBridgeTracer,
  OtelPropagator,
  type ExportStats,
  type OtelApi,
  type SpanEndHook,
} from '../../engine/index.js';
import { runWithStore, type ContextStore } from '../../engine/internal.js';
import type { TracingRuntime } from '../tracing/tracing-runtime.js';

/** Export counters belong to the SDK in this mode: this library exports nothing itself. */
const NO_EXPORT: ExportStats = Object.freeze({
  exported: 0,
  dropped: 0,
  failed: 0,
  retried: 0,
  queueLength: 0,
  queueDropped: 0,
  shutdownDropped: 0,
  exporters: Object.freeze([]),
});

/** `onSpanEnd`: RED metrics' hook, called for this library's CLIENT/CONSUMER/SERVER spans as in native mode. */
export function createOtelRuntime(api: OtelApi, onSpanEnd: SpanEndHook | null = null): TracingRuntime {
  const tracer = new OtelBridgeTracer(api, { onSpanEnd });
  const context = api.context;

  /**
   * Opens the request's store with its server span also active in OTel's context, so spans
   * that OTel instrumentations start in the handler (pg, redis, ...) are its children. A
   * borrowed instrumentation-http span is active there already; its context is re-entered
   * the same way after body parsing.
   */
  function enterRequest(store: ContextStore, done: () => void): void {
    const span = store.span;
    if (span instanceof OtelBridgeSpan) context.with(span.activeContext(), runWithStore, undefined, store, done);
    else runWithStore(store, done);
  }

  return Object.freeze({
    tracer,
    propagator: new OtelPropagator(api),
    stats: () => NO_EXPORT,
    forceFlush: () => tracer.forceFlush(),
    shutdown: () => tracer.shutdown(),
    enterRequest,
  });
}
