// Writing every format's headers from a trace context. Kept apart from the parsers so that
// TraceContext's own `toB3()`/`toHeaders()` and the propagators' `inject` share one
// serialiser per format; it reads the ids through the structural `Written` shape, so it does
// not import trace-context.ts, which imports it.
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
  X_DATADOG_ORIGIN,
  X_DATADOG_PARENT_ID,
  X_DATADOG_SAMPLING_PRIORITY,
  X_DATADOG_TAGS,
  X_DATADOG_TRACE_ID,
} from './header-names.js';
import { getTraceStateValue } from './tracestate.js';

/** `-<flags>` for each value of (flags & 0x03): reserved bits are zeroed on output (W3C L2 §3.2.2.5). */
const W3C_FLAGS_SUFFIX = ['-00', '-01', '-02', '-03'] as const;
const ZERO_64 = '0000000000000000';

interface Ids {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** What the writers read of a TraceContext. */
interface Written extends Ids {
  readonly traceState?: string | undefined;
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

export function writeW3C(ctx: Written, headers: Record<string, string>): void {
  headers[TRACEPARENT] = formatTraceparent(ctx);
  if (ctx.traceState !== undefined) headers[TRACESTATE] = ctx.traceState;
}

export function writeB3Single(ctx: Written, headers: Record<string, string>): void {
  headers[B3] = formatB3(ctx);
}

export function writeB3Multi(ctx: Written, headers: Record<string, string>): void {
  headers[X_B3_TRACE_ID] = ctx.traceId;
  headers[X_B3_SPAN_ID] = ctx.spanId;
  headers[X_B3_SAMPLED] = (ctx.traceFlags & 0x01) !== 0 ? '1' : '0';
}

export function writeJaeger(ctx: Written, headers: Record<string, string>): void {
  headers[UBER_TRACE_ID] = formatJaeger(ctx);
}

/**
 * Datadog headers: low 64 bits of the trace id and the span id in decimal, priority 1/0
 * (AUTO_KEEP / AUTO_REJECT), and the upper 64 bits as `_dd.p.tid` when not zero.
 */
export function writeDatadog(ctx: Written, headers: Record<string, string>): void {
  headers[X_DATADOG_TRACE_ID] = hex64ToDecimal(ctx.traceId, 16);
  headers[X_DATADOG_PARENT_ID] = hex64ToDecimal(ctx.spanId, 0);
  headers[X_DATADOG_SAMPLING_PRIORITY] = (ctx.traceFlags & 0x01) !== 0 ? '1' : '0';
  if (!ctx.traceId.startsWith(ZERO_64)) headers[X_DATADOG_TAGS] = '_dd.p.tid=' + ctx.traceId.slice(0, 16);
  const state = ctx.traceState;
  if (state !== undefined) {
    const origin = datadogOrigin(state);
    if (origin !== undefined) headers[X_DATADOG_ORIGIN] = origin;
  }
}

/**
 * The `o:` sub-key of the `dd` tracestate member (`dd=s:1;o:rum`), where dd-trace keeps the
 * origin in W3C context and where the datadog extractor puts `x-datadog-origin`. Undefined
 * when absent or not a plain origin token, so nothing unchecked reaches the header.
 */
function datadogOrigin(state: string): string | undefined {
  const dd = getTraceStateValue(state, 'dd');
  if (dd === undefined) return undefined;
  let at = 0;
  while (at < dd.length) {
    let end = dd.indexOf(';', at);
    if (end < 0) end = dd.length;
    if (dd.charCodeAt(at) === 0x6f && dd.charCodeAt(at + 1) === 0x3a) {
      const origin = dd.slice(at + 2, end);
      return isDatadogOrigin(origin) ? origin : undefined;
    }
    at = end + 1;
  }
  return undefined;
}

/** An origin we forward: 1..64 of A-Z a-z 0-9 . _ - (synthetics, synthetics-browser, rum, lambda, ciapp-test). */
export function isDatadogOrigin(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > 64) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f;
    if (!ok) return false;
  }
  return true;
}
