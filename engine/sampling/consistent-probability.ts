// Consistent probability sampling (OpenTelemetry "TraceState: Probability Sampling"): every
// participant compares the same 56-bit randomness R with a rejection threshold T and keeps the
// trace when R >= T, where T = (1 - p) * 2^56. R is the `rv` sub-key of the `ot` tracestate
// member when present, else the trace id's low 56 bits (random under W3C Level 2). A kept span
// writes `th:<T>` into `ot` (14 hex digits, trailing zeros removed, `0` for p = 1) so downstream
// services and backends can compute adjusted counts (1 / p); an unsampled one carries no `th`.
// Parent-based samplers honour it for free: children keep the parent's tracestate, `th` included.
//
// 56-bit values do not fit a double exactly, so R and T are compared as two 28-bit halves.

import { HEX_VALUE } from '../ids/hex.js';
import type { TraceContext } from '../propagation/trace-context.js';
import { deleteTraceStateValue, getTraceStateValue, setTraceStateValue } from '../propagation/tracestate.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { Sampler } from './sampler.js';
import { DROP, SamplingDecision, samplingResult, type SamplingResult } from './sampling-result.js';
import { checkRatio } from './trace-id-ratio.js';

/** Value of 7 lowercase hex digits of `s` from `at`, or -1. */
function hex28(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 7; i++) {
    const c = s.charCodeAt(i);
    const d = c < 256 ? HEX_VALUE[c]! : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The `rv` or `th` sub-key of an `ot` value (`th:8;rv:0123456789abcd`), or undefined. */
export function otSubKey(ot: string, key: 'rv' | 'th'): string | undefined {
  let i = 0;
  while (i < ot.length) {
    let end = ot.indexOf(';', i);
    if (end < 0) end = ot.length;
    if (ot.startsWith(key, i) && ot.charCodeAt(i + 2) === 0x3a) return ot.slice(i + 3, end);
    i = end + 1;
  }
  return undefined;
}

/** `ot` with sub-key `th` set to `th` (first), or removed when `th` is undefined. */
export function withThreshold(ot: string | undefined, th: string | undefined): string | undefined {
  let out = th === undefined ? '' : 'th:' + th;
  if (ot !== undefined) {
    for (const part of ot.split(';')) {
      if (part === '' || part.startsWith('th:')) continue;
      out += (out === '' ? '' : ';') + part;
    }
  }
  return out === '' ? undefined : out;
}

/** The threshold encoding of a probability: 14 hex digits of (1 - p) * 2^56 without trailing zeros. */
export function encodeThreshold(ratio: number): { hi: number; lo: number; th: string } {
  const t = (1n << 56n) - BigInt(Math.round(ratio * 2 ** 56));
  const hex = t.toString(16).padStart(14, '0');
  const trimmed = hex.replace(/0+$/, '');
  return { hi: Number(t >> 28n), lo: Number(t & 0xfffffffn), th: trimmed === '' ? '0' : trimmed };
}

export class ConsistentProbabilitySampler implements Sampler {
  readonly ratio: number;
  private readonly hi: number;
  private readonly lo: number;
  private readonly th: string;

  constructor(ratio: number, option = 'sampler.ratio') {
    this.ratio = checkRatio(option, ratio);
    const t = encodeThreshold(this.ratio);
    this.hi = t.hi;
    this.lo = t.lo;
    this.th = t.th;
  }

  shouldSample(parent: TraceContext | null, traceId: string, _name?: string, _kind?: SpanKind, _attributes?: Attributes): SamplingResult {
    const state = parent === null ? undefined : parent.traceState;
    const ot = getTraceStateValue(state, 'ot');
    const rv = ot === undefined ? undefined : otSubKey(ot, 'rv');
    let rHi: number;
    let rLo: number;
    if (rv !== undefined && rv.length === 14) {
      rHi = hex28(rv, 0);
      rLo = hex28(rv, 7);
    } else {
      rHi = traceId.length === 32 ? hex28(traceId, 18) : -1;
      rLo = traceId.length === 32 ? hex28(traceId, 25) : -1;
    }
    const keep = this.ratio > 0 && rHi >= 0 && rLo >= 0 && (rHi > this.hi || (rHi === this.hi && rLo >= this.lo));
    if (!keep) {
      // An unsampled span must not carry a threshold it did not apply.
      if (ot === undefined || otSubKey(ot, 'th') === undefined) return DROP;
      const rest = withThreshold(ot, undefined);
      const next = rest === undefined ? deleteTraceStateValue(state, 'ot') : setTraceStateValue(state, 'ot', rest);
      // '' = "no tracestate" (undefined would mean "keep the parent's").
      return samplingResult(SamplingDecision.NOT_RECORD, next ?? '');
    }
    if (ot !== undefined && otSubKey(ot, 'th') === this.th) return samplingResult(SamplingDecision.RECORD_AND_SAMPLED, state);
    return samplingResult(SamplingDecision.RECORD_AND_SAMPLED, setTraceStateValue(state, 'ot', withThreshold(ot, this.th)!));
  }

  toString(): string {
    return `ConsistentProbability{${this.ratio}}`;
  }
}
