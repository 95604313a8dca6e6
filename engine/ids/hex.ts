// Byte <-> hex tables. Encoding reads one precomputed two-character string per byte instead
// of `toString(16)` + padding; decoding validates with a 256-entry table in a counted loop
// (the approach OpenTelemetry's spancontext-utils.ts moved to from a regex).

/** `BYTE_TO_HEX[b]` is the two lowercase hex digits of byte `b`. */
export const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => (b < 16 ? '0' : '') + b.toString(16));

/**
 * `HEX_VALUE[c]` is the value of char code `c` as a lowercase hex digit, or -1. Upper case is
 * -1 on purpose: W3C trace context (traceparent §3.2.2.3) and our outputs allow lowercase only;
 * formats that accept upper case normalise with HEX_VALUE_ANY_CASE.
 */
export const HEX_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[97 + i] = 10 + i;
  return table;
})();

/** Like HEX_VALUE but also accepts A-F. */
export const HEX_VALUE_ANY_CASE: Int8Array = (() => {
  const table = HEX_VALUE.slice();
  for (let i = 0; i < 6; i++) table[65 + i] = 10 + i;
  return table;
})();

/** Hex of `length` bytes of `bytes` from `offset`. */
export function bytesToHex(bytes: Uint8Array, offset: number, length: number): string {
  let out = '';
  for (let i = offset, end = offset + length; i < end; i++) out += BYTE_TO_HEX[bytes[i]!]!;
  return out;
}

/**
 * Whether `s[start, start+length)` is lowercase hex and not all zeros. Returns 1 when valid,
 * 0 when all zeros, -1 when not lowercase hex (callers distinguish "invalid" from "zero id").
 */
export function checkLowerHex(s: string, start: number, length: number): -1 | 0 | 1 {
  let nonZero = 0;
  for (let i = start, end = start + length; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 256 ? HEX_VALUE[c]! : -1;
    if (v < 0) return -1;
    nonZero |= v;
  }
  return nonZero === 0 ? 0 : 1;
}

/**
 * `s[start, start+length)` as a lowercase hex id, or null when it holds a non-hex char or is
 * all zeros. Upper case is accepted and lowered (B3, Jaeger and custom headers: their
 * senders are not bound to W3C's HEXDIGLC). Valid lowercase input is returned as one slice.
 */
export function hexIdAnyCase(s: string, start: number, length: number): string | null {
  let nonZero = 0;
  let upper = false;
  for (let i = start, end = start + length; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 256 ? HEX_VALUE_ANY_CASE[c]! : -1;
    if (v < 0) return null;
    nonZero |= v;
    if (c >= 65 && c <= 70) upper = true;
  }
  if (nonZero === 0) return null;
  const id = start === 0 && length === s.length ? s : s.slice(start, start + length);
  return upper ? id.toLowerCase() : id;
}

/** 16 zeros: the upper half of a 64-bit trace id widened to 128 bits (W3C trace-id §"shorter ids"). */
export const ZERO_HEX_64 = '0000000000000000';

/** Whether `s[start, start+length)` is hex of either case (zero allowed: for fields that are validated, then dropped). */
export function isHexAnyCase(s: string, start: number, length: number): boolean {
  for (let i = start, end = start + length; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 256 || HEX_VALUE_ANY_CASE[c]! < 0) return false;
  }
  return true;
}

/**
 * HEX_VALUE over every UTF-16 code unit (64 KiB): parsers index it with `charCodeAt` directly,
 * OR the results together and test the sign once, instead of a range check and an early exit
 * per char. Measured in bench/micro/propagation.bench.ts: about 20% off a traceparent parse.
 */
export const HEX_VALUE_WIDE: Int8Array = (() => {
  const table = new Int8Array(65536).fill(-1);
  table.set(HEX_VALUE);
  return table;
})();
