// A trace carrier: the propagation headers of a context as a plain `{ name: value }` object of
// strings, small and JSON-serializable, so it can ride in job data, message metadata or a
// database row and be read back by another process.

import type { Baggage } from '../baggage/baggage.js';
import { currentStore } from '../context/index.js';
import { activeTraceContext as activeTraceContextOf } from '../instrumentation/active-trace.js';
import type { TraceContext } from '../propagation/trace-context.js';
import { carrierTracing, type CarrierHeaders, type CarrierPropagator } from './carrier-tracing.js';

/** Propagation headers by lower-case name (`{ traceparent, tracestate }` with W3C). */
export type TraceCarrier = Record<string, string>;

/** The trace context active here (see instrumentation/active-trace.ts for the span slot). */
export function activeTraceContext(): TraceContext | null {
  const store = currentStore();
  return store === undefined ? null : activeTraceContextOf(store);
}

/**
 * The active context as a carrier: what `runWithTraceContext` (in a worker, a consumer, a
 * later request) continues. Outside any trace an empty object: still safe to store, and it
 * starts a new trace where it is read.
 */
export function captureTraceContext(): TraceCarrier {
  const carrier: TraceCarrier = {};
  const ctx = activeTraceContext();
  if (ctx !== null) carrierTracing().propagator.inject(ctx, carrier);
  return carrier;
}

/**
 * Holds headers read from a carrier. Instances are ordinary fast-mode objects whose prototype
 * chain ends at a null-prototype object: no Object.prototype lookups (a polluted
 * `Object.prototype.traceparent` never reads as a header), without the dictionary-mode cost of
 * `Object.create(null)` (measured in bench/micro/microservices.bench.ts: it was most of the
 * per-message bytes). Keys are only ever a propagator's own field names.
 */
const CarrierRecord = function CarrierRecord() {} as unknown as new () => CarrierHeaders;
CarrierRecord.prototype = Object.create(null) as object;

/** An empty header holder for carrier readers (integration surface). */
export function createCarrierHeaders(): CarrierHeaders {
  return new CarrierRecord();
}

/**
 * The propagator's fields of an untrusted carrier (deserialized job data, message metadata),
 * copied into a fresh header holder with string values only: a number, an object with a
 * throwing getter or a `__proto__` key never reaches a parser. Null when nothing usable.
 * Per message: one small object, only when the carrier has a field.
 */
export function readCarrier(input: unknown, fields: readonly string[]): CarrierHeaders | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  let headers: CarrierHeaders | null = null;
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!;
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[name];
    } catch {
      continue;
    }
    if (typeof value !== 'string') continue;
    if (headers === null) headers = new CarrierRecord();
    headers[name] = value;
  }
  return headers;
}

/** The context in headers read by `readCarrier`, or null (start a new trace). Never throws. */
export function extractHeaders(propagator: CarrierPropagator, headers: CarrierHeaders | null): TraceContext | null {
  if (headers === null) return null;
  try {
    return propagator.extract(headers);
  } catch {
    // Propagators promise not to throw; a user-supplied one might. A bad carrier is "no parent".
    return null;
  }
}

/** The baggage in headers read by `readCarrier`, or null (none, or no baggage format configured). Never throws. */
export function extractHeadersBaggage(propagator: CarrierPropagator, headers: CarrierHeaders | null): Baggage | null {
  if (headers === null || propagator.extractBaggage === undefined) return null;
  try {
    return propagator.extractBaggage(headers);
  } catch {
    return null;
  }
}

/** The context an untrusted carrier continues, or null (start a new trace). Never throws. */
export function extractCarrier(input: unknown): TraceContext | null {
  const tracing = carrierTracing();
  return extractHeaders(tracing.propagator, readCarrier(input, tracing.propagator.fields));
}
