import type { TraceContext } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { Sampler } from './sampler.js';
import { DROP, type SamplingResult } from './sampling-result.js';

/** Samples nothing: every span is a non-recording carrier of ids. */
export class AlwaysOffSampler implements Sampler {
  shouldSample(_parent?: TraceContext | null, _traceId?: string, _name?: string, _kind?: SpanKind, _attributes?: Attributes): SamplingResult {
    return DROP;
  }

  toString(): string {
    return 'AlwaysOffSampler';
  }
}
