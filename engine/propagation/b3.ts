// Zipkin B3 (openzipkin/b3-propagation), both encodings of one spec.
//
// Single header: `b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`
// (openzipkin/b3-propagation "Single Header"). TraceId 16 or 32 hex (64-bit ids are left-padded
// to 128), SpanId and ParentSpanId 16 hex; SamplingState `1`, `0` or `d` (debug, implies
// sampled). Upper-case hex is accepted and lowered, so a downstream traceparent stays valid.
// A sampling-only value (`b3: 0`) carries no ids, so there is no parent to continue: null.
// The parent id must be 16 hex but is not kept (OTel B3 rules: MUST NOT propagate ParentSpanId),
// so a zero parent is tolerated.
//
// Multiple headers (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-ParentSpanId`,
// `X-B3-Sampled`, `X-B3-Flags`; openzipkin/b3-propagation "Multiple Headers"). Config names
// `b3multi` and `zipkin`. Sampled accepts `1`/`0` and the legacy `true`/`false`/`True`/`False`;
// `X-B3-Flags: 1` is debug (implies sampled), any other flags value is ignored. An absent
// Sampled header is "defer", which arrives as not sampled (as in OpenTelemetry JS).
// A present but malformed header (empty Sampled, `ParentSpanId: -`) rejects the context.
//
// Both propagators extract the same way: `b3` first, then `x-b3-*` (OTel B3 rules: "MUST read
// both, single first"; the README: single takes precedence when both are present). They differ
// only in what they inject.

import { hexIdAnyCase, isHexAnyCase, ZERO_HEX_64 } from '../ids/hex.js';
import { writeB3Multi, writeB3Single } from './emit.js';
import { B3, X_B3_FLAGS, X_B3_PARENT_SPAN_ID, X_B3_SAMPLED, X_B3_SPAN_ID, X_B3_TRACE_ID } from './header-names.js';
import { singleValue } from './propagator.js';
import type { IncomingHeaders, Propagator } from './propagator.js';
import { FLAG_SAMPLED, TraceContext } from './trace-context.js';

/** The context in a single `b3` value, or null. */
export function parseB3Single(value: string): TraceContext | null {
  const n = value.length;
  let traceLength: number;
  if (n >= 49 && value.charCodeAt(32) === 0x2d) traceLength = 32;
  else if (n >= 33 && value.charCodeAt(16) === 0x2d) traceLength = 16;
  else return null;
  const spanAt = traceLength + 1;
  const spanEnd = spanAt + 16;
  if (n < spanEnd) return null;
  let flags = 0;
  if (n !== spanEnd) {
    // -{state}[-{parent}]
    if (value.charCodeAt(spanEnd) !== 0x2d || n < spanEnd + 2) return null;
    const state = value.charCodeAt(spanEnd + 1);
    if (state === 0x31 || state === 0x64) flags = FLAG_SAMPLED; // '1' | 'd'
    else if (state !== 0x30) return null;
    if (n !== spanEnd + 2) {
      if (n !== spanEnd + 19 || value.charCodeAt(spanEnd + 2) !== 0x2d) return null;
      if (!isHexAnyCase(value, spanEnd + 3, 16)) return null;
    }
  }
  let traceId = hexIdAnyCase(value, 0, traceLength);
  const spanId = hexIdAnyCase(value, spanAt, 16);
  if (traceId === null || spanId === null) return null;
  if (traceLength === 16) traceId = ZERO_HEX_64 + traceId;
  return new TraceContext(traceId, spanId, flags, undefined, true, undefined);
}

/** 1 sampled, 0 not sampled, -1 malformed. */
function sampledValue(v: string): number {
  switch (v) {
    case '1':
    case 'true':
    case 'True':
      return 1;
    case '0':
    case 'false':
    case 'False':
      return 0;
    default:
      return -1;
  }
}

/** The context in the `x-b3-*` headers, or null. */
function readB3Multi(headers: IncomingHeaders): TraceContext | null {
  const rawTrace = singleValue(headers, X_B3_TRACE_ID);
  const rawSpan = singleValue(headers, X_B3_SPAN_ID);
  if (rawTrace === undefined || rawSpan === undefined || rawSpan.length !== 16) return null;
  const traceLength = rawTrace.length;
  if (traceLength !== 32 && traceLength !== 16) return null;
  let traceId = hexIdAnyCase(rawTrace, 0, traceLength);
  const spanId = hexIdAnyCase(rawSpan, 0, 16);
  if (traceId === null || spanId === null) return null;
  if (traceLength === 16) traceId = ZERO_HEX_64 + traceId;
  const parent = singleValue(headers, X_B3_PARENT_SPAN_ID);
  if (parent !== undefined && (parent.length !== 16 || !isHexAnyCase(parent, 0, 16))) return null;
  let flags = 0;
  const debug = singleValue(headers, X_B3_FLAGS);
  if (debug === '1') flags = FLAG_SAMPLED;
  else {
    const sampled = singleValue(headers, X_B3_SAMPLED);
    if (sampled !== undefined) {
      const s = sampledValue(sampled);
      if (s < 0) return null;
      flags = s;
    }
  }
  return new TraceContext(traceId, spanId, flags, undefined, true, undefined);
}

/** B3 in either encoding: `b3` when present, else the `x-b3-*` headers. */
function extractB3(headers: IncomingHeaders): TraceContext | null {
  const value = singleValue(headers, B3);
  // An empty `b3` counts as absent, as in OpenTelemetry's B3Propagator (`if (b3Context)`).
  return value !== undefined && value !== '' ? parseB3Single(value) : readB3Multi(headers);
}

const B3_FIELDS: readonly string[] = Object.freeze([B3, X_B3_TRACE_ID, X_B3_SPAN_ID, X_B3_PARENT_SPAN_ID, X_B3_SAMPLED, X_B3_FLAGS]);

/** Config name `b3`: writes the single `b3` header. */
export const b3SinglePropagator: Propagator = Object.freeze({ extract: extractB3, inject: writeB3Single, fields: B3_FIELDS });

/** Config names `b3multi`, `zipkin`: writes the `x-b3-*` headers. */
export const b3MultiPropagator: Propagator = Object.freeze({ extract: extractB3, inject: writeB3Multi, fields: B3_FIELDS });
