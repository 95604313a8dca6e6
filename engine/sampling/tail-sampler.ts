// Tail sampling in the process (`tail`, `parentbased_tail`). At span start this sampler makes
// the head decision, which is also what the `sampled` flag sent downstream says:
// - a local root (no parent, or a remote one) in the base ratio (`tail`: the decision
//   traceidratio makes from the trace id; `parentbased_tail`: the remote parent's flag when
//   there is one) is RECORD_AND_SAMPLED and exported as its spans end, never buffered; ratio
//   keeps carry the probability in tracestate (`ot=th:`) so a backend can reweight counts;
// - any other local root is RECORD: recorded, flag off, buffered by TailSamplingProcessor
//   until the root ends, then kept (error, slow) or released unexported;
// - a child follows its local parent: sampled, buffered (unless its trace holds
//   `maxSpansPerTrace`), or not recorded.
// Bounded: past `maxBufferedTraces` open local traces a new root is not recorded (counted).
//
// The sampler owns the state the processor fills (the handle -> local trace map, the pool,
// the counters), because the decision at start needs it; the processor is created by the
// tracer for this sampler (tail-processor.ts).

import { FLAG_SAMPLED, type TraceContext } from '../propagation/trace-context.js';
import { deleteTraceStateValue, getTraceStateValue, setTraceStateValue } from '../propagation/tracestate.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import { encodeThreshold, otSubKey, withThreshold } from './consistent-probability.js';
import type { LocalTrace } from './local-trace.js';
import { RateLimitingSampler } from './rate-limiting.js';
import type { Sampler } from './sampler.js';
import { DROP, RECORD_AND_SAMPLE, RECORD_ONLY, SamplingDecision, samplingResult, type SamplingResult } from './sampling-result.js';
import type { ResolvedTailOptions } from './tail-options.js';
import type { TailSamplingStats } from './tail-stats.js';
import { TraceIdRatioBasedSampler } from './trace-id-ratio.js';

/** `state` with any `th` sub-key of `ot` removed; undefined when it had none (keep as is). */
function withoutThreshold(state: string | undefined): string | undefined {
  const ot = getTraceStateValue(state, 'ot');
  if (ot === undefined || otSubKey(ot, 'th') === undefined) return undefined;
  const rest = withThreshold(ot, undefined);
  // '' = "no tracestate" (undefined would mean "keep the parent's").
  return (rest === undefined ? deleteTraceStateValue(state, 'ot') : setTraceStateValue(state, 'ot', rest)) ?? '';
}

export class TailSampler implements Sampler {
  readonly options: ResolvedTailOptions;
  /** `parentbased_tail`: a remote parent's sampled flag is the head decision. */
  readonly parentBased: boolean;
  private readonly ratio: TraceIdRatioBasedSampler;
  private readonly th: string;
  /** @internal Error and slow keeps are spent from it. */
  readonly bucket: RateLimitingSampler;
  /** @internal Span handle -> its open (or kept and cached) local trace. */
  readonly owner: Map<object, LocalTrace>;
  /** @internal Open local traces. */
  open: number;
  /** @internal Counters (see TailSamplingStats). */
  keptRatio: number;
  keptParent: number;
  keptError: number;
  keptSlow: number;
  droppedErrorByLimit: number;
  droppedSlowByLimit: number;
  released: number;
  notRecordedBufferFull: number;
  notRecordedSpanLimit: number;
  lateSpansKept: number;
  lateSpansReleased: number;

  constructor(options: ResolvedTailOptions, parentBased: boolean) {
    this.options = options;
    this.parentBased = parentBased;
    this.ratio = new TraceIdRatioBasedSampler(options.ratio);
    this.th = encodeThreshold(options.ratio).th;
    this.bucket = new RateLimitingSampler(options.maxKeptPerSecond, options.clock);
    this.owner = new Map();
    this.open = 0;
    this.keptRatio = 0;
    this.keptParent = 0;
    this.keptError = 0;
    this.keptSlow = 0;
    this.droppedErrorByLimit = 0;
    this.droppedSlowByLimit = 0;
    this.released = 0;
    this.notRecordedBufferFull = 0;
    this.notRecordedSpanLimit = 0;
    this.lateSpansKept = 0;
    this.lateSpansReleased = 0;
  }

  shouldSample(parent: TraceContext | null, traceId: string, name: string, kind: SpanKind, attributes: Attributes | undefined): SamplingResult {
    if (parent !== null && !parent.isRemote) {
      if ((parent.traceFlags & FLAG_SAMPLED) !== 0) return RECORD_AND_SAMPLE;
      const trace = this.owner.get(parent);
      // A parent that was not recorded, or whose trace was released: nothing to buffer into.
      if (trace === undefined) return DROP;
      // Counted over the trace's life, late spans of a kept trace included: the handle list stays bounded.
      if (trace.handleCount >= this.options.maxSpansPerTrace) {
        this.notRecordedSpanLimit++;
        return DROP;
      }
      return RECORD_ONLY;
    }
    if (this.parentBased && parent !== null) {
      if ((parent.traceFlags & FLAG_SAMPLED) !== 0) return RECORD_AND_SAMPLE;
    } else if (this.ratio.shouldSample(parent, traceId, name, kind, attributes).decision === SamplingDecision.RECORD_AND_SAMPLED) {
      const state = parent === null ? undefined : parent.traceState;
      const ot = getTraceStateValue(state, 'ot');
      if (ot !== undefined && otSubKey(ot, 'th') === this.th) return RECORD_AND_SAMPLE;
      return samplingResult(SamplingDecision.RECORD_AND_SAMPLED, setTraceStateValue(state, 'ot', withThreshold(ot, this.th)!));
    }
    // Not in the head sample: buffered until the root ends, if there is room.
    const stripped = parent === null ? undefined : withoutThreshold(parent.traceState);
    if (this.open >= this.options.maxBufferedTraces) {
      this.notRecordedBufferFull++;
      return stripped === undefined ? DROP : samplingResult(SamplingDecision.NOT_RECORD, stripped);
    }
    return stripped === undefined ? RECORD_ONLY : samplingResult(SamplingDecision.RECORD, stripped);
  }

  /** Counters since start (also in the export stats as `tail`). */
  stats(): TailSamplingStats {
    return {
      keptRatio: this.keptRatio,
      keptParent: this.keptParent,
      keptError: this.keptError,
      keptSlow: this.keptSlow,
      droppedErrorByLimit: this.droppedErrorByLimit,
      droppedSlowByLimit: this.droppedSlowByLimit,
      released: this.released,
      notRecordedBufferFull: this.notRecordedBufferFull,
      notRecordedSpanLimit: this.notRecordedSpanLimit,
      lateSpansKept: this.lateSpansKept,
      lateSpansReleased: this.lateSpansReleased,
      buffered: this.open,
    };
  }

  toString(): string {
    const o = this.options;
    return `${this.parentBased ? 'ParentBasedTail' : 'Tail'}{ratio=${o.ratio}, keepErrors=${o.keepErrors}, maxBufferedTraces=${o.maxBufferedTraces}}`;
  }
}
