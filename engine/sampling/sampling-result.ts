// What a sampler decides. A fixed-shape object (two fields) rather than a bare number so a
// sampler can also rewrite tracestate (consistent probability sampling writes `ot=th:`), and
// rather than OpenTelemetry's fresh `{ decision }` literal per call: the three results that
// leave tracestate alone are shared frozen constants, so the common decisions allocate nothing.

/** Same numbers as OpenTelemetry's SamplingDecision. */
export const SamplingDecision = {
  /** Not recorded, not sampled: the span is a non-recording object carrying ids only. */
  NOT_RECORD: 0,
  /** Recorded (attributes, events, processor.onEnd) but the sampled flag stays off. */
  RECORD: 1,
  /** Recorded and sampled: exported, and the sampled flag is propagated. */
  RECORD_AND_SAMPLED: 2,
} as const;
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

export interface SamplingResult {
  readonly decision: SamplingDecision;
  /**
   * The tracestate the new span carries. `undefined` means "keep the parent's" (or none for a
   * root); a string replaces it, and '' removes it.
   */
  readonly traceState: string | undefined;
}

function result(decision: SamplingDecision): SamplingResult {
  return Object.freeze({ decision, traceState: undefined });
}

/** Shared results that keep the parent's tracestate. */
export const DROP: SamplingResult = result(SamplingDecision.NOT_RECORD);
export const RECORD_ONLY: SamplingResult = result(SamplingDecision.RECORD);
export const RECORD_AND_SAMPLE: SamplingResult = result(SamplingDecision.RECORD_AND_SAMPLED);

/** A result that also sets tracestate (allocates; only for samplers that rewrite it). */
export function samplingResult(decision: SamplingDecision, traceState: string | undefined): SamplingResult {
  return { decision, traceState };
}
