// What the tail samplers report (in the export stats as `tail`): why traces were kept, what the
// limits cost. Local traces are counted, except where a field says spans.

export interface TailSamplingStats {
  /** Kept by the base ratio (the head decision; exported as they end, never buffered). */
  readonly keptRatio: number;
  /** Kept because the incoming parent was sampled (`parentbased_tail`). */
  readonly keptParent: number;
  /** Kept because a span had error status or a recorded exception. */
  readonly keptError: number;
  /** Kept because the local root lasted at least `keepSlowerThanMs`. */
  readonly keptSlow: number;
  /** Error traces released because `maxKeptPerSecond` was spent. */
  readonly droppedErrorByLimit: number;
  /** Slow traces released because `maxKeptPerSecond` was spent. */
  readonly droppedSlowByLimit: number;
  /** Released unexported: no rule kept them. */
  readonly released: number;
  /** Local roots not recorded because `maxBufferedTraces` traces were buffered. */
  readonly notRecordedBufferFull: number;
  /** Spans not recorded because their local trace held `maxSpansPerTrace`. */
  readonly notRecordedSpanLimit: number;
  /** Spans that ended after their kept local root and were exported (decision cache hits). */
  readonly lateSpansKept: number;
  /** Spans that ended after their local root was released, or after its decision left the cache. */
  readonly lateSpansReleased: number;
  /** Local traces buffered now (root not ended). */
  readonly buffered: number;
}
