// Unsigned 64-bit decimal <-> 16 hex digits without BigInt (Datadog ids travel as decimal).
// A BigInt round trip allocates a heap BigInt plus its string per id; here the value lives in
// two uint32 halves held in doubles (every intermediate stays below 2^53, so it is exact).
// dd-trace's id.js does the same with an 8-byte buffer.

import { BYTE_TO_HEX, HEX_VALUE_ANY_CASE } from '../ids/hex.js';

const TWO_32 = 4294967296;

function hex32(x: number): string {
  return BYTE_TO_HEX[x >>> 24]! + BYTE_TO_HEX[(x >>> 16) & 0xff]! + BYTE_TO_HEX[(x >>> 8) & 0xff]! + BYTE_TO_HEX[x & 0xff]!;
}

/**
 * 16 lowercase hex digits of the decimal `s[start, end)`, or null when it is empty, longer
 * than 20 chars, holds a non-digit, or is over 2^64-1. Zero is returned as 16 zeros (callers
 * decide whether a zero id is valid).
 */
export function decimalToHex64(s: string, start: number, end: number): string | null {
  if (end <= start || end - start > 20) return null;
  let hi = 0;
  let lo = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    lo = lo * 10 + d; // < 2^36
    const carry = Math.floor(lo / TWO_32);
    lo -= carry * TWO_32;
    hi = hi * 10 + carry;
    if (hi >= TWO_32) return null;
  }
  return hex32(hi) + hex32(lo);
}

const PAD = ['', '0', '00', '000'];

/** The unsigned decimal of the 16 hex digits (any case) at `s[start]`; '' if they are not hex. */
export function hex64ToDecimal(s: string, start: number): string {
  // four 16-bit limbs, most significant first; long division by 10^4 gives 4 digits a step
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < 16; i++) {
    const code = s.charCodeAt(start + i);
    const v = code < 256 ? HEX_VALUE_ANY_CASE[code]! : -1;
    if (v < 0) return '';
    if (i < 4) a = a * 16 + v;
    else if (i < 8) b = b * 16 + v;
    else if (i < 12) c = c * 16 + v;
    else d = d * 16 + v;
  }
  if (a === 0 && b === 0) return String(c * 65536 + d);
  let out = '';
  while (a !== 0 || b !== 0 || c !== 0 || d !== 0) {
    let r = a % 10000;
    a = (a - r) / 10000;
    let t = r * 65536 + b;
    r = t % 10000;
    b = (t - r) / 10000;
    t = r * 65536 + c;
    r = t % 10000;
    c = (t - r) / 10000;
    t = r * 65536 + d;
    r = t % 10000;
    d = (t - r) / 10000;
    const group = String(r);
    out = (a !== 0 || b !== 0 || c !== 0 || d !== 0 ? PAD[4 - group.length]! + group : group) + out;
  }
  return out;
}
