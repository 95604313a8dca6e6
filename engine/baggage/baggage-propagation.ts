// Baggage on the wire: the formats that carry it, each read and written as a BaggageCodec.
// `baggage` is W3C Baggage; the Jaeger format carries the same entries as `uberctx-{key}`
// headers (and `jaeger-baggage: k=v, ...`), so with Jaeger in use they map to the same entries.

import type { IncomingHeaders } from '../propagation/propagator.js';
import { JAEGER_BAGGAGE, UBERCTX_PREFIX } from '../propagation/header-names.js';
import { extractJaegerBaggage, injectJaegerBaggage } from '../propagation/jaeger.js';
import { Baggage, BaggageEntry, isToken } from './baggage.js';
import { BAGGAGE_HEADER, parseBaggage, serializeBaggage } from './w3c-baggage.js';

export interface BaggageCodec {
  /** The baggage in `headers`, or null when they carry none. Never throws. */
  extract(headers: IncomingHeaders): Baggage | null;
  /** Writes `baggage` (never empty) on `headers`. */
  inject(baggage: Baggage, headers: Record<string, string>): void;
  /** Fixed header names it reads (what carrier readers copy). */
  readonly fields: readonly string[];
}

function extractW3C(headers: IncomingHeaders): Baggage | null {
  // Hot path of every request: one property read when no baggage came (0 B/op, case "no
  // baggage header" of bench/micro/baggage.bench.ts).
  if (headers == null) return null;
  const value = headers[BAGGAGE_HEADER];
  return value === undefined ? null : parseBaggage(value);
}

function injectW3C(baggage: Baggage, headers: Record<string, string>): void {
  const value = serializeBaggage(baggage);
  if (value !== '') headers[BAGGAGE_HEADER] = value;
}

export const w3cBaggageCodec: BaggageCodec = Object.freeze({
  extract: extractW3C,
  inject: injectW3C,
  fields: Object.freeze([BAGGAGE_HEADER]),
});

/**
 * Whether any Jaeger baggage header is present. `uberctx-*` names are not fixed, so with the
 * jaeger format every request pays this scan of its header names (no allocation); the
 * decoding helper, which builds an object, runs only when one is there.
 */
function hasJaegerBaggage(headers: IncomingHeaders): boolean {
  if (headers[JAEGER_BAGGAGE] !== undefined) return true;
  for (const name in headers) {
    if (name.charCodeAt(0) === 0x75 && name.startsWith(UBERCTX_PREFIX)) return true;
  }
  return false;
}

function extractJaeger(headers: IncomingHeaders): Baggage | null {
  if (headers == null || !hasJaegerBaggage(headers)) return null;
  const items = extractJaegerBaggage(headers);
  let entries: BaggageEntry[] | null = null;
  for (const key in items) {
    // Header names are lower-cased tokens already; a `jaeger-baggage` key may not be one.
    if (!isToken(key)) continue;
    (entries ??= []).push(new BaggageEntry(key, items[key]!, ''));
  }
  return entries === null ? null : new Baggage(entries);
}

function injectJaeger(baggage: Baggage, headers: Record<string, string>): void {
  injectJaegerBaggage(baggage.toObject(), headers);
}

/** `uberctx-{key}` (Jaeger's baggage; header names are case-insensitive, so keys go lower case). */
export const jaegerBaggageCodec: BaggageCodec = Object.freeze({
  extract: extractJaeger,
  inject: injectJaeger,
  // `uberctx-*` names are not fixed: only HTTP requests (whose names are scanned) carry them in.
  fields: Object.freeze([JAEGER_BAGGAGE]),
});

/** Entries of `b` whose keys `a` lacks, appended to `a`: the first format listed wins a key. */
function merge(a: Baggage, b: Baggage): Baggage {
  let entries: BaggageEntry[] | null = null;
  for (const entry of b.entries) {
    if (a.getEntry(entry.key) === undefined) (entries ??= a.entries.slice()).push(entry);
  }
  return entries === null ? a : new Baggage(entries);
}

/** One codec for several formats: extract merges (first listed wins a key), inject writes all. */
export function combineBaggageCodecs(codecs: readonly BaggageCodec[]): BaggageCodec {
  if (codecs.length === 1) return codecs[0]!;
  const list = Object.freeze(codecs.slice());
  const fields = new Set<string>();
  for (const c of list) for (const f of c.fields) fields.add(f);
  return Object.freeze({
    extract(headers: IncomingHeaders): Baggage | null {
      let out: Baggage | null = null;
      for (let i = 0; i < list.length; i++) {
        const b = list[i]!.extract(headers);
        if (b !== null) out = out === null ? b : merge(out, b);
      }
      return out;
    },
    inject(baggage: Baggage, headers: Record<string, string>): void {
      for (let i = 0; i < list.length; i++) list[i]!.inject(baggage, headers);
    },
    fields: Object.freeze([...fields]),
  });
}
