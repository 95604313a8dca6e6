// Jaeger `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}` (jaegertracing.io,
// client-libraries "Propagation format"; deprecated, still common in older meshes).
// - ids are variable-length hex without leading zeros (jaeger-client-node prints them so):
//   trace 1..32, span and parent 1..16 chars, left-padded here; upper case is lowered;
// - trace and span id must not be zero; parent `0` means root and is otherwise ignored;
// - flags are one byte in hex: 0x01 sampled, 0x02 debug (implies sampled: Jaeger client docs).
//   Jaeger's 0x02 is NOT W3C's random bit: only the sampled bit crosses into traceFlags;
// - the value may arrive URL-encoded (`%3A` for `:`), as jaeger-client-node and -go decode it.
// Baggage rides in `uberctx-{key}` headers (URL-encoded values) and `jaeger-baggage: k=v, k=v`;
// it is not part of the trace context: extractJaegerBaggage/injectJaegerBaggage handle it.

import { isToken } from '../baggage/baggage.js';
import { HEX_VALUE_ANY_CASE, hexIdAnyCase, isHexAnyCase } from '../ids/hex.js';
import { writeJaeger } from './emit.js';
import { JAEGER_BAGGAGE, UBER_TRACE_ID, UBERCTX_PREFIX } from './header-names.js';
import { MAX_HEADER_VALUE_LENGTH, singleValue } from './propagator.js';
import type { IncomingHeaders, Propagator } from './propagator.js';
import { FLAG_SAMPLED, TraceContext } from './trace-context.js';

const ZEROS_32 = '00000000000000000000000000000000';

function paddedId(s: string, start: number, end: number, width: number): string | null {
  const n = end - start;
  if (n < 1 || n > width) return null;
  const id = hexIdAnyCase(s, start, n);
  if (id === null) return null;
  return n === width ? id : ZEROS_32.slice(0, width - n) + id;
}

/** The context in an `uber-trace-id` value, or null. */
export function parseUberTraceId(raw: string): TraceContext | null {
  let value = raw;
  if (value.indexOf('%') >= 0) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  const n = value.length;
  const c1 = value.indexOf(':');
  const c2 = c1 < 0 ? -1 : value.indexOf(':', c1 + 1);
  const c3 = c2 < 0 ? -1 : value.indexOf(':', c2 + 1);
  if (c3 < 0 || value.indexOf(':', c3 + 1) >= 0) return null;
  const traceId = paddedId(value, 0, c1, 32);
  const spanId = paddedId(value, c1 + 1, c2, 16);
  if (traceId === null || spanId === null) return null;
  // parent: 1..16 hex, zero allowed (root)
  const parentLength = c3 - c2 - 1;
  if (parentLength < 1 || parentLength > 16 || !isHexAnyCase(value, c2 + 1, parentLength)) return null;
  const flagsLength = n - c3 - 1;
  if (flagsLength < 1 || flagsLength > 2) return null;
  let flags = 0;
  for (let i = c3 + 1; i < n; i++) {
    const c = value.charCodeAt(i);
    const v = c < 256 ? HEX_VALUE_ANY_CASE[c]! : -1;
    if (v < 0) return null;
    flags = flags * 16 + v;
  }
  return new TraceContext(traceId, spanId, (flags & 0x03) !== 0 ? FLAG_SAMPLED : 0, undefined, true, undefined);
}

function extract(headers: IncomingHeaders): TraceContext | null {
  const value = singleValue(headers, UBER_TRACE_ID);
  return value === undefined ? null : parseUberTraceId(value);
}

/** `uber-trace-id` (config name `jaeger`). */
export const jaegerPropagator: Propagator = Object.freeze({
  extract,
  inject: writeJaeger,
  fields: Object.freeze([UBER_TRACE_ID]),
});

function decode(value: string): string | undefined {
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Jaeger baggage from `uberctx-{key}` headers and `jaeger-baggage: k1=v1, k2=v2`, values
 * URL-decoded. Malformed items (bad percent-encoding, empty key, over 8 KiB) are skipped.
 * Scans every header name, so call it only when baggage is wanted (not on the trace path).
 */
export function extractJaegerBaggage(headers: IncomingHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (!name.startsWith(UBERCTX_PREFIX) || name.length === UBERCTX_PREFIX.length) continue;
    const raw = singleValue(headers, name);
    const value = raw === undefined ? undefined : decode(raw);
    if (value !== undefined) out[name.slice(UBERCTX_PREFIX.length)] = value;
  }
  const list = singleValue(headers, JAEGER_BAGGAGE);
  if (list !== undefined && list.length <= MAX_HEADER_VALUE_LENGTH) {
    let i = 0;
    while (i < list.length) {
      let end = list.indexOf(',', i);
      if (end < 0) end = list.length;
      const eq = list.indexOf('=', i);
      if (eq > i && eq < end) {
        const key = list.slice(i, eq).trim();
        const value = decode(list.slice(eq + 1, end).trim());
        if (key !== '' && value !== undefined) out[key] = value;
      }
      i = end + 1;
    }
  }
  return out;
}

/** Writes each item as `uberctx-{key}` with a URL-encoded value; keys that are not header tokens are skipped. */
export function injectJaegerBaggage(baggage: Readonly<Record<string, string>>, headers: Record<string, string>): void {
  for (const key in baggage) {
    const value = baggage[key];
    if (typeof value === 'string' && isToken(key)) headers[UBERCTX_PREFIX + key.toLowerCase()] = encodeURIComponent(value);
  }
}
