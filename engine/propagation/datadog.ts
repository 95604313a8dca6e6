// Datadog headers (dd-trace-js text_map.js; docs.datadoghq.com trace_context_propagation):
//   x-datadog-trace-id          unsigned 64-bit decimal: the low half of the trace id, not 0
//   x-datadog-parent-id         unsigned 64-bit decimal: the caller's span id, not 0
//   x-datadog-sampling-priority -1 USER_REJECT, 0 AUTO_REJECT, 1 AUTO_KEEP, 2 USER_KEEP;
//                               sampled <=> priority >= 1; absent or malformed = no decision (not sampled)
//   x-datadog-tags              `_dd.p.tid=<16 hex>` carries the upper 64 bits (128-bit ids)
// Decimal <-> hex goes through uint32 halves (decimal64.ts), never BigInt.
//   x-datadog-origin            where the trace started (synthetics, rum, ...): kept as the `dd`
//                               tracestate member `dd=o:<origin>`, as dd-trace does in W3C context,
//                               so it reaches the next hop in either format
// Kept: ids, the sampled bit and the origin (a plain token only; anything else is dropped).
// Dropped: priorities other than keep/reject (2 arrives as sampled, -1 as not sampled), and the
// other `_dd.p.*` tags. On inject we write priority 1/0, the decimal ids, `_dd.p.tid` when the
// upper half is not zero, and the origin when the context's tracestate carries one.

import { ZERO_HEX_64, hexIdAnyCase } from '../ids/hex.js';
import { decimalToHex64 } from './decimal64.js';
import { isDatadogOrigin, writeDatadog } from './emit.js';
import {
  X_DATADOG_ORIGIN,
  X_DATADOG_PARENT_ID,
  X_DATADOG_SAMPLING_PRIORITY,
  X_DATADOG_TAGS,
  X_DATADOG_TRACE_ID,
} from './header-names.js';
import { singleValue } from './propagator.js';
import type { IncomingHeaders, Propagator } from './propagator.js';
import { FLAG_SAMPLED, TraceContext } from './trace-context.js';

/** dd-trace's DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH default: a longer tags header is ignored whole. */
const MAX_TAGS_LENGTH = 512;
const TID_KEY = '_dd.p.tid=';
const DD_ORIGIN_MEMBER = 'dd=o:';

/** The upper 64 bits from `x-datadog-tags`, or 16 zeros when absent or malformed. */
function upperHalf(tags: string | undefined): string {
  if (tags === undefined || tags.length > MAX_TAGS_LENGTH) return ZERO_HEX_64;
  let at = tags.indexOf(TID_KEY);
  while (at > 0 && tags.charCodeAt(at - 1) !== 0x2c) at = tags.indexOf(TID_KEY, at + 1);
  if (at < 0) return ZERO_HEX_64;
  const start = at + TID_KEY.length;
  const end = start + 16;
  if (end > tags.length || (end < tags.length && tags.charCodeAt(end) !== 0x2c)) return ZERO_HEX_64;
  return hexIdAnyCase(tags, start, 16) ?? ZERO_HEX_64;
}

function isSampled(priority: string | undefined): boolean {
  // '1', '2' or any larger positive integer; a leading '-' or '0' is not sampled
  if (priority === undefined || priority.length === 0 || priority.length > 10) return false;
  for (let i = 0; i < priority.length; i++) {
    const c = priority.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return Number(priority) >= 1;
}

function extract(headers: IncomingHeaders): TraceContext | null {
  const rawTrace = singleValue(headers, X_DATADOG_TRACE_ID);
  const rawParent = singleValue(headers, X_DATADOG_PARENT_ID);
  if (rawTrace === undefined || rawParent === undefined) return null;
  const low = decimalToHex64(rawTrace, 0, rawTrace.length);
  const spanId = decimalToHex64(rawParent, 0, rawParent.length);
  if (low === null || spanId === null || low === ZERO_HEX_64 || spanId === ZERO_HEX_64) return null;
  const traceId = upperHalf(singleValue(headers, X_DATADOG_TAGS)) + low;
  const flags = isSampled(singleValue(headers, X_DATADOG_SAMPLING_PRIORITY)) ? FLAG_SAMPLED : 0;
  const origin = singleValue(headers, X_DATADOG_ORIGIN);
  const traceState = origin !== undefined && isDatadogOrigin(origin) ? DD_ORIGIN_MEMBER + origin : undefined;
  return new TraceContext(traceId, spanId, flags, traceState, true, undefined);
}

/** `x-datadog-*` headers (config name `datadog`). */
export const datadogPropagator: Propagator = Object.freeze({
  extract,
  inject: writeDatadog,
  fields: Object.freeze([X_DATADOG_TRACE_ID, X_DATADOG_PARENT_ID, X_DATADOG_SAMPLING_PRIORITY, X_DATADOG_ORIGIN, X_DATADOG_TAGS]),
});
