// Clock times (engine/spans/clock.ts) as the decimal epoch nanoseconds OTLP/JSON writes for its
// fixed64 times, in two parts: whole seconds and the 9-digit nanosecond remainder. No BigInt,
// and every number converted is a small integer: String() of a 19-digit double takes V8's
// shortest-double path, which was 19% of a 512-span batch in a cpu profile, against the
// integer path for the remainder and a cached string for the seconds (spans of a batch share
// few seconds). Same digits as clock.toEpochNanos(t) for every t (a test checks this).

import { toEpochNanos } from '../../spans/clock.js';

const ANCHOR_NS = toEpochNanos(0);
const ANCHOR_SEC = Number(ANCHOR_NS / 1_000_000_000n);
const ANCHOR_SUB = Number(ANCHOR_NS % 1_000_000_000n);
const PAD = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];

export class EpochNanosText {
  /** Whole epoch seconds of the last `split` time. */
  sec: number;
  /** Nanoseconds past `sec` of the last `split` time, 0..999,999,999. */
  sub: number;
  private cachedSec: number;
  private cachedSecText: string;

  constructor() {
    this.sec = 0;
    this.sub = 0;
    this.cachedSec = Number.NaN;
    this.cachedSecText = '';
  }

  /** Sets `sec` and `sub` for clock time `t`. */
  split(t: number): void {
    // Exact: the offset is an integer below 2^53 and the anchor's remainder below 1e9.
    const total = ANCHOR_SUB + Math.round(t * 1e6);
    const carry = Math.floor(total / 1e9);
    this.sub = total - carry * 1e9;
    this.sec = ANCHOR_SEC + carry;
  }

  /** `sec` in decimal. */
  secText(): string {
    if (this.sec !== this.cachedSec) {
      this.cachedSec = this.sec;
      this.cachedSecText = String(this.sec);
    }
    return this.cachedSecText;
  }

  /** `sub` as exactly 9 digits. */
  subText(): string {
    const s = String(this.sub);
    return this.sub >= 1e8 ? s : PAD[9 - s.length]! + s;
  }

  /** The whole decimal epoch nanoseconds of clock time `t`. */
  text(t: number): string {
    this.split(t);
    return this.secText() + this.subText();
  }
}
