// Writing every format's headers from a trace context. Kept apart from the parsers so that
// TraceContext's own `toB3()`/`toHeaders()` and the propagators' `inject` share one
// serialiser per format, and so this module needs TraceContext only as a type (no import cycle).
// Hot path (one call per outgoing request): string concatenation of cached pieces only.

import { hex64ToDecimal } from './decimal64.js';
import {
  B3,
  TRACEPARENT,
  TRACESTATE,
  UBER_TRACE_ID,
  X_B3_SAMPLED,
  X_B3_SPAN_ID,
  X_B3_TRACE_ID,
  X_DATADOG_PARENT_ID,
  X_DATADOG_SAMPLING_PRIORITY,
  X_DATADOG_TAGS,
  X_DATADOG_TRACE_ID,
} from './header-names.js';
import type { TraceContext } from './trace-context.js';

/** `-<flags>` for each value of (flags & 0x03): reserved bits are zeroed on output (W3C L2 §3.2.2.5). */
const W3C_FLAGS_SUFFIX = ['-00', '-01', '-02', '-03'] as const;
const ZERO_64 = '0000000000000000';

interface Ids {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** `traceparent` value: always version 00 (a future version is downgraded, §3.2.4). */
export function formatTraceparent(ctx: Ids): string {
  return '00-' + ctx.traceId + '-' + ctx.spanId + W3C_FLAGS_SUFFIX[ctx.traceFlags & 0x03]!;
}

/** Single `b3` value: `{trace}-{span}-{1|0}`. The parent id is never sent (OTel B3 rules). */
export function formatB3(ctx: Ids): string {
  return ctx.traceId + '-' + ctx.spanId + ((ctx.traceFlags & 0x01) !== 0 ? '-1' : '-0');
}

/**
 * `uber-trace-id` value: `{trace}:{span}:0:{flags}`. Full-width ids (every Jaeger client
 * left-pads short ones), parent `0` (deprecated field, receivers ignore it), flags `01`/`00`:
 * only the sampled bit crosses over, since Jaeger's 0x02 means debug, not W3C's random.
 */
export function formatJaeger(ctx: Ids): string {
  return ctx.traceId + ':' + ctx.spanId + ((ctx.traceFlags & 0x01) !== 0 ? ':0:01' : ':0:00');
}

export function writeW3C(ctx: TraceContext, headers: Record<string, string>): void {
  headers[TRACEPARENT] = formatTraceparent(ctx);
  if (ctx.traceState !== undefined) headers[TRACESTATE] = ctx.traceState;
}

export function writeB3Single(ctx: TraceContext, headers: Record<string, string>): void {
  headers[B3] = formatB3(ctx);
}

export function writeB3Multi(ctx: TraceContext, headers: Record<string, string>): void {
  headers[X_B3_TRACE_ID] = ctx.traceId;
  headers[X_B3_SPAN_ID] = ctx.spanId;
  headers[X_B3_SAMPLED] = (ctx.traceFlags & 0x01) !== 0 ? '1' : '0';
}

export function writeJaeger(ctx: TraceContext, headers: Record<string, string>): void {
  headers[UBER_TRACE_ID] = formatJaeger(ctx);
}

/**
 * Datadog headers: low 64 bits of the trace id and the span id in decimal, priority 1/0
 * (AUTO_KEEP / AUTO_REJECT), and the upper 64 bits as `_dd.p.tid` when not zero.
 */
export function writeDatadog(ctx: Ids, headers: Record<string, string>): void {
  headers[X_DATADOG_TRACE_ID] = hex64ToDecimal(ctx.traceId, 16);
  headers[X_DATADOG_PARENT_ID] = hex64ToDecimal(ctx.spanId, 0);
  headers[X_DATADOG_SAMPLING_PRIORITY] = (ctx.traceFlags & 0x01) !== 0 ? '1' : '0';
  if (!ctx.traceId.startsWith(ZERO_64)) headers[X_DATADOG_TAGS] = '_dd.p.tid=' + ctx.traceId.slice(0, 16);
}
