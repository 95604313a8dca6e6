// The sampler contract. Unlike OpenTelemetry's, a sampler gets the parent's TraceContext (or
// null for a root) instead of a whole Context: the tracer has already resolved the parent, and
// that saves every sampler a context lookup on the hot path.

import type { TraceContext } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { SamplingResult } from './sampling-result.js';

export interface Sampler {
  /**
   * Decides whether a new span is recorded and sampled. Called once per span start, before
   * anything is allocated for the span; must not throw and should not allocate.
   * @param parent the parent's context (`isRemote` tells local from remote), or null for a root
   * @param traceId the trace id the span will have (the parent's, or a new one for a root)
   */
  shouldSample(
    parent: TraceContext | null,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
  ): SamplingResult;
  /** A description for logs and diagnostics, e.g. `ParentBased{root=TraceIdRatioBased{0.1}, ...}`. */
  toString(): string;
}
