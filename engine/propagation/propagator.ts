// The propagator contract (the shape of OpenTelemetry's TextMapPropagator, minus its Context
// object) and the one header accessor every format uses.

import type { Baggage } from '../baggage/baggage.js';
import type { TraceContext } from './trace-context.js';

/** Node's incoming header object: lower-case names; string, string[] (repeated) or undefined. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * Config names of the wire formats. `zipkin` is an alias of `b3multi`. `baggage` (W3C Baggage)
 * carries no trace context: listed beside a trace format, it adds the baggage header.
 */
export type PropagationFormat = 'w3c' | 'b3' | 'b3multi' | 'zipkin' | 'jaeger' | 'datadog' | 'newrelic' | 'custom' | 'baggage';

export interface Propagator {
  /** The caller's context, or null (start a new trace). Never throws, whatever the input. */
  extract(headers: IncomingHeaders): TraceContext | null;
  /** Sets this format's headers (lower-case names, string values) on `headers`. */
  inject(ctx: TraceContext, headers: Record<string, string>): void;
  /** The header names this propagator reads and writes. */
  readonly fields: readonly string[];
  /**
   * The baggage carried by `headers`; present only on a propagator that carries baggage
   * (`baggage` or `jaeger` listed for extraction). Its `inject` then also writes the active
   * context's baggage. Never throws.
   */
  readonly extractBaggage?: (headers: IncomingHeaders) => Baggage | null;
}

/**
 * Longest header value any parser looks at. Longer values are rejected before being scanned,
 * so the cost per request is bounded whatever the client sends (a repeated header joined by
 * Node can grow up to the whole header block: 16 KiB by default, `--max-http-header-size`).
 * Legitimate values are far shorter: traceparent is 55 chars, tracestate is emitted at <= 512.
 */
export const MAX_HEADER_VALUE_LENGTH = 8192;

/**
 * A single header value, or undefined when absent, over the length cap, or repeated.
 * Node joins most repeated headers into one `", "`-joined string (which then fails each
 * format's grammar); an array only comes from non-Node carriers, and a repeated id header is
 * never trusted (W3C test_traceparent_duplicated), except a one-element array.
 */
export function singleValue(headers: IncomingHeaders, name: string): string | undefined {
  // A null or undefined carrier (a job message without headers) is "no context", not a throw:
  // every extract reads its first header through here.
  if (headers == null) return undefined;
  const v = headers[name];
  if (typeof v === 'string') return v.length <= MAX_HEADER_VALUE_LENGTH ? v : undefined;
  // anything but string[] (undefined, or junk from a hand-made carrier) is absent
  if (!Array.isArray(v) || v.length !== 1) return undefined;
  const first: unknown = v[0];
  return typeof first === 'string' && first.length <= MAX_HEADER_VALUE_LENGTH ? first : undefined;
}

/**
 * A list header (`tracestate`): repeated fields combine with `,` in order (RFC 9110 §5.3,
 * W3C tracestate §3.3.1.1). Undefined when absent or when the combination is over the cap.
 */
export function listValue(headers: IncomingHeaders, name: string): string | undefined {
  const v = headers[name];
  if (typeof v === 'string') return v.length <= MAX_HEADER_VALUE_LENGTH ? v : undefined;
  if (!Array.isArray(v)) return undefined;
  let total = 0;
  for (let i = 0; i < v.length; i++) {
    const part: unknown = v[i];
    if (typeof part !== 'string') return undefined;
    total += part.length + 1;
  }
  return total - 1 <= MAX_HEADER_VALUE_LENGTH ? v.join(',') : undefined;
}

/** Index of the first non-OWS (SP/HTAB) char at or after `start`. */
export function skipOws(s: string, start: number, end: number): number {
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c !== 0x20 && c !== 0x09) break;
    start++;
  }
  return start;
}

/** One past the last non-OWS char before `end`. */
export function trimOwsEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end;
}
