// Keeps a fixed fraction of traces, decided from the trace id alone, so every service with the
// same ratio keeps the same traces. The decision is bit-for-bit OpenTelemetry JS's
// TraceIdRatioBasedSampler (sdk-trace 2.x): XOR the four 32-bit words of the trace id and keep
// the trace when the result is below floor(ratio * 0xffffffff) (2^32 for ratio 1).
// test/engine/sampling/trace-id-ratio.test.ts checks this on 100,000 ids against OTel itself.

import { invalidOption } from '../errors.js';
import { HEX_VALUE } from '../ids/hex.js';
import type { TraceContext } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { Sampler } from './sampler.js';
import { DROP, RECORD_AND_SAMPLE, type SamplingResult } from './sampling-result.js';

/** The XOR of the trace id's four 32-bit words, or -1 when it is not 32 lowercase hex digits. */
function traceIdWordXor(traceId: string): number {
  if (traceId.length !== 32) return -1;
  let acc = 0;
  for (let i = 0; i < 32; i += 8) {
    let word = 0;
    for (let j = i; j < i + 8; j++) {
      const c = traceId.charCodeAt(j);
      const v = c < 256 ? HEX_VALUE[c]! : -1;
      if (v < 0) return -1;
      word = (word << 4) | v;
    }
    acc = (acc ^ word) >>> 0;
  }
  return acc;
}

export function checkRatio(option: string, ratio: unknown): number {
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
    throw invalidOption(option, ratio, 'a number from 0 to 1');
  }
  return ratio;
}

export class TraceIdRatioBasedSampler implements Sampler {
  readonly ratio: number;
  private readonly upperBound: number;

  constructor(ratio: number, option = 'sampler.ratio') {
    this.ratio = checkRatio(option, ratio);
    this.upperBound = this.ratio === 1 ? 0x100000000 : Math.floor(this.ratio * 0xffffffff);
  }

  shouldSample(_parent: TraceContext | null, traceId: string, _name?: string, _kind?: SpanKind, _attributes?: Attributes): SamplingResult {
    const x = traceIdWordXor(traceId);
    // An invalid or all-zero id is never sampled (OTel: isValidTraceId(traceId) && ...).
    return x >= 0 && x < this.upperBound && traceId !== '00000000000000000000000000000000' ? RECORD_AND_SAMPLE : DROP;
  }

  toString(): string {
    return `TraceIdRatioBased{${this.ratio}}`;
  }
}
