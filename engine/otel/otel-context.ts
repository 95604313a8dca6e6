// Conversions between this library's TraceContext and OpenTelemetry's context, in one place
// for the tracer and the propagator.

import { TraceContext } from '../propagation/trace-context.js';
import type { OtelApi, OtelContext, OtelSpanContext } from './otel-api.js';
import { OtelBridgeSpan, OtelRemoteParent } from './otel-span.js';

export function toOtelSpanContext(api: OtelApi, ctx: TraceContext): OtelSpanContext {
  const state = ctx.traceState;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceFlags: ctx.traceFlags,
    isRemote: ctx.isRemote,
    traceState: state === undefined || api.createTraceState === undefined ? undefined : api.createTraceState(state),
  };
}

/**
 * The OTel context in which `ctx` is the active span context: a bridge span's own, an
 * extracted one as OTel's propagator returned it, or any other TraceContext (a job carrier,
 * runWithTrace) set over `base`, so the base's baggage stays.
 */
export function otelContextOf(api: OtelApi, ctx: TraceContext, base: OtelContext): OtelContext {
  if (ctx instanceof OtelBridgeSpan) return ctx.activeContext();
  if (ctx instanceof OtelRemoteParent) return ctx.otelContext;
  return api.trace.setSpanContext(base, toOtelSpanContext(api, ctx));
}
