// W3C Baggage header (w3c/baggage, baggage/HTTP_HEADER_FORMAT.md), parsed and written in one
// pass of charCodeAt over byte tables: no regex, no split. Never throws, whatever the input.
//
//   baggage-string = list-member 0*179( OWS "," OWS list-member )
//   list-member    = key OWS "=" OWS value *( OWS ";" OWS property )
//   property       = key OWS "=" OWS value / key OWS
//   key            = token                       ; RFC 9110 tchar
//   value          = *baggage-octet
//   baggage-octet  = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
//
// Choices where the spec leaves room (each one a deviation from OpenTelemetry JS's
// W3CBaggagePropagator, checked in test/conformance/baggage-differential.test.ts):
// - a malformed member (key not a token, a value octet outside the set, a stray `%`, a bad
//   property) is dropped alone; the rest of the header stays (the spec leaves invalid input to
//   the implementation);
// - percent-sequences that are not UTF-8 decode to U+FFFD ("value": "MUST be replaced with the
//   replacement code point"); keys are tokens and are never percent-decoded;
// - an empty value is a value (`value = *baggage-octet`);
// - limits ("Limits"): at most 180 members and 8192 bytes of members, counted as OpenTelemetry
//   counts them (each accepted member's text plus one comma); reading stops at the first member
//   past either, and no member is ever cut ("MUST NOT ... partial list-member"). No per-member
//   limit: the 4096-byte one of older drafts is not in the spec any more;
// - a key seen twice keeps its first position with the last value.

import { Baggage, BaggageEntry, TOKEN_CHAR } from './baggage.js';

export const BAGGAGE_HEADER = 'baggage';
const MAX_BAGGAGE_MEMBERS = 180;
const MAX_BAGGAGE_BYTES = 8192;
/**
 * Longest header text scanned. Node's default header block is 16 KiB (--max-http-header-size),
 * so a real request never reaches it; a hand-made carrier can, and is cut off here.
 */
const MAX_SCAN = 16384;

/** 1 for baggage-octet (ABNF above). */
const OCTET: Uint8Array = (() => {
  const t = new Uint8Array(128);
  t[0x21] = 1;
  for (let c = 0x23; c <= 0x2b; c++) t[c] = 1;
  for (let c = 0x2d; c <= 0x3a; c++) t[c] = 1;
  for (let c = 0x3c; c <= 0x5b; c++) t[c] = 1;
  for (let c = 0x5d; c <= 0x7e; c++) t[c] = 1;
  return t;
})();

/** Hex digit values, -1 elsewhere (either case: RFC 3986 §2.1 percent-encoding). */
const HEX: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0x30; c <= 0x39; c++) t[c] = c - 0x30;
  for (let c = 0x41; c <= 0x46; c++) t[c] = c - 0x41 + 10;
  for (let c = 0x61; c <= 0x66; c++) t[c] = c - 0x61 + 10;
  return t;
})();

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function skipOws(s: string, i: number, end: number): number {
  while (i < end && isOws(s.charCodeAt(i))) i++;
  return i;
}

function tokenEnd(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN_CHAR[c] === 0) break;
    i++;
  }
  return i;
}

const BAD_VALUE = -2;
/** Set by valueEnd: whether the value it scanned has a `%` (then it needs decoding). */
let valueHasPercent = false;

/**
 * One past the value that starts at `i`, BAD_VALUE when a `%` is not followed by two hex
 * digits (the spec makes `%` itself percent-encoded, so a bare one is malformed).
 */
function valueEnd(s: string, i: number, end: number): number {
  valueHasPercent = false;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || OCTET[c] === 0) break;
    if (c === 0x25) {
      const h = i + 2 < end ? s.charCodeAt(i + 1) : 0;
      const l = i + 2 < end ? s.charCodeAt(i + 2) : 0;
      if (h >= 128 || l >= 128 || HEX[h]! < 0 || HEX[l]! < 0) return BAD_VALUE;
      valueHasPercent = true;
      i += 3;
      continue;
    }
    i++;
  }
  return i;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Percent-decodes an already validated value (only `%XX` triplets and baggage-octets), where
 * decodeURIComponent gives exactly the spec's decoding unless the bytes are not UTF-8; then it
 * throws and the bytes are decoded with U+FFFD for each bad sequence ("value"). TextDecoder on
 * every value measured ~20x slower than the builtin (bench/micro/baggage.bench.ts, extract).
 */
function decodeValue(s: string, start: number, end: number): string {
  try {
    return decodeURIComponent(s.slice(start, end));
  } catch {
    return decodeReplacing(s, start, end);
  }
}

function decodeReplacing(s: string, start: number, end: number): string {
  const bytes = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      bytes[n++] = HEX[s.charCodeAt(i + 1)]! * 16 + HEX[s.charCodeAt(i + 2)]!;
      i += 2;
    } else bytes[n++] = c;
  }
  return utf8.decode(bytes.subarray(0, n));
}

/**
 * End of the properties that start after a `;` at `i` (the member's end), or -1 when one is
 * malformed. Properties are kept as text: nothing here reads them, and a receiver gets them back
 * as they came.
 */
function propertiesEnd(s: string, i: number, end: number): number {
  for (;;) {
    i = skipOws(s, i, end);
    const keyEnd = tokenEnd(s, i, end);
    if (keyEnd === i) return -1;
    i = skipOws(s, keyEnd, end);
    if (i < end && s.charCodeAt(i) === 0x3d) {
      i = valueEnd(s, skipOws(s, i + 1, end), end);
      if (i === BAD_VALUE) return -1;
      i = skipOws(s, i, end);
    }
    if (i === end) return end;
    if (s.charCodeAt(i) !== 0x3b) return -1;
    i++;
  }
}

/** Accumulates members under the limits; one per parse, shared by the fields of one carrier. */
class MemberList {
  entries: BaggageEntry[] | null = null;
  bytes = 0;
  /** A member did not fit in the byte limit: nothing after it is read (OpenTelemetry stops there too). */
  full = false;

  add(key: string, value: string, properties: string, length: number): boolean {
    let entries = this.entries;
    const size = entries === null ? length : length + 1;
    if (this.bytes + size > MAX_BAGGAGE_BYTES) {
      this.full = true;
      return false;
    }
    const entry = new BaggageEntry(key, value, properties);
    if (entries === null) {
      this.entries = [entry];
      this.bytes = size;
      return true;
    }
    for (let i = 0; i < entries.length; i++) {
      if (entries[i]!.key === key) {
        entries[i] = entry;
        this.bytes += size;
        return true;
      }
    }
    entries.push(entry);
    this.bytes += size;
    return true;
  }

  /** Whether another member may still be read. */
  get open(): boolean {
    return !this.full && (this.entries === null || this.entries.length < MAX_BAGGAGE_MEMBERS);
  }
}

/** Parses one member `s[start, end)` into `list`. Malformed members are skipped (see header). */
function parseMember(s: string, start: number, end: number, list: MemberList): void {
  const keyStart = skipOws(s, start, end);
  if (keyStart === end) return; // empty list element: RFC 9110 §5.6.1.2 says ignore it
  const keyEnd = tokenEnd(s, keyStart, end);
  if (keyEnd === keyStart) return;
  let i = skipOws(s, keyEnd, end);
  if (i === end || s.charCodeAt(i) !== 0x3d) return;
  const valueStart = skipOws(s, i + 1, end);
  const vEnd = valueEnd(s, valueStart, end);
  if (vEnd === BAD_VALUE) return;
  const encoded = valueHasPercent;
  i = skipOws(s, vEnd, end);
  let properties = '';
  if (i < end) {
    if (s.charCodeAt(i) !== 0x3b) return;
    const pEnd = propertiesEnd(s, i + 1, end);
    if (pEnd < 0) return;
    let pStart = skipOws(s, i + 1, end);
    let pStop = end;
    while (pStop > pStart && isOws(s.charCodeAt(pStop - 1))) pStop--;
    properties = s.slice(pStart, pStop);
  }
  const value = encoded ? decodeValue(s, valueStart, vEnd) : s.slice(valueStart, vEnd);
  list.add(s.slice(keyStart, keyEnd), value, properties, end - start);
}

function parseInto(header: string, list: MemberList): void {
  // Over the scan cap, stop at the last comma before it: a member cut in two is never read.
  const n = header.length > MAX_SCAN ? header.lastIndexOf(',', MAX_SCAN) : header.length;
  if (n < 0) return;
  let i = 0;
  while (i <= n && list.open) {
    let end = header.indexOf(',', i);
    if (end < 0 || end > n) end = n;
    parseMember(header, i, end, list);
    i = end + 1;
  }
}

/**
 * The baggage in a `baggage` header value (a string, or the fields of a repeated header: the
 * limits apply to all baggage fields combined), or null when it has no valid
 * member. Never throws.
 */
export function parseBaggage(header: unknown): Baggage | null {
  const list = new MemberList();
  if (typeof header === 'string') parseInto(header, list);
  else if (Array.isArray(header)) {
    for (let i = 0; i < header.length && list.open; i++) {
      const field: unknown = header[i];
      if (typeof field === 'string') parseInto(field, list);
    }
  }
  return list.entries === null ? null : new Baggage(list.entries);
}

const HEX_UPPER = '0123456789ABCDEF';

function percentByte(b: number): string {
  return '%' + HEX_UPPER[b >> 4]! + HEX_UPPER[b & 15]!;
}

/**
 * `value` with every code point outside baggage-octet, and `%`, percent-encoded as UTF-8
 * ("value"). The common all-octet value is returned as is (no allocation). A lone surrogate
 * is written as U+FFFD: `encodeURIComponent` would throw on it.
 */
function encodeBaggageValue(value: string): string {
  const n = value.length;
  let i = 0;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || OCTET[c] === 0 || c === 0x25) break;
  }
  if (i === n) return value;
  // encodeURIComponent leaves only A-Z a-z 0-9 -_.!~*'() unescaped, all baggage-octets, and
  // writes UTF-8 %XX: a valid encoding of the same value, from a builtin, measured ~2x faster
  // than the loop below (bench/micro/baggage.bench.ts, inject). It throws on a lone surrogate.
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeSlow(value, i);
  }
}

function encodeSlow(value: string, from: number): string {
  const n = value.length;
  let i = from;
  let out = value.slice(0, i);
  for (; i < n; i++) {
    let c = value.charCodeAt(i);
    if (c < 128) {
      out += OCTET[c] === 0 || c === 0x25 ? percentByte(c) : value[i]!;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) out += percentByte(0xc0 | (c >> 6)) + percentByte(0x80 | (c & 63));
    else if (c < 0x10000) out += percentByte(0xe0 | (c >> 12)) + percentByte(0x80 | ((c >> 6) & 63)) + percentByte(0x80 | (c & 63));
    else {
      out += percentByte(0xf0 | (c >> 18)) + percentByte(0x80 | ((c >> 12) & 63)) + percentByte(0x80 | ((c >> 6) & 63)) + percentByte(0x80 | (c & 63));
    }
  }
  return out;
}

/**
 * The `baggage` header for `baggage`, '' when nothing fits. Members that would take the header
 * past 180 members or 8192 bytes are left out whole (later, smaller ones still go), never cut.
 */
export function serializeBaggage(baggage: Baggage): string {
  const entries = baggage.entries;
  let out = '';
  let count = 0;
  for (let i = 0; i < entries.length && count < MAX_BAGGAGE_MEMBERS; i++) {
    const e = entries[i]!;
    let member = e.key + '=' + encodeBaggageValue(e.value);
    // Properties set through the API are checked here, where they could break the header.
    if (e.properties !== '' && propertiesEnd(e.properties, 0, e.properties.length) === e.properties.length) member += ';' + e.properties;
    const length = out === '' ? member.length : out.length + 1 + member.length;
    if (length > MAX_BAGGAGE_BYTES) continue;
    out = out === '' ? member : out + ',' + member;
    count++;
  }
  return out;
}
