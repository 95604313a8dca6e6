// Clock times (engine/spans/clock.ts: ms since a fixed anchor, fractional) as the 64-bit epoch
// nanoseconds OTLP wants, without a BigInt per timestamp: the anchor is split once, the
// offset is an exact integer below 2^53, and the two halves are added with an explicit carry.
// Same value as clock.toEpochNanos(t) for every t (a test checks this).

import { toEpochNanos } from '../spans/clock.js';

const TWO_32 = 4294967296;
const ANCHOR_NS = toEpochNanos(0);
const ANCHOR_LO = Number(ANCHOR_NS & 0xffffffffn);
const ANCHOR_HI = Number(ANCHOR_NS >> 32n);

/** Receives the low and high 32 bits of `toEpochNanos(t)` (fixed64 halves). */
interface Fixed64Sink {
  fixed64(lo: number, hi: number): void;
}

export function writeEpochNanos(sink: Fixed64Sink, t: number): void {
  const d = Math.round(t * 1e6);
  let dLo = d % TWO_32;
  if (dLo < 0) dLo += TWO_32;
  const dHi = (d - dLo) / TWO_32;
  const lo = ANCHOR_LO + dLo;
  const carry = lo >= TWO_32 ? 1 : 0;
  sink.fixed64(lo >>> 0, (ANCHOR_HI + dHi + carry) >>> 0);
}
