import type { TraceContext } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import type { Sampler } from './sampler.js';
import { RECORD_AND_SAMPLE, type SamplingResult } from './sampling-result.js';

/** Samples every span. */
export class AlwaysOnSampler implements Sampler {
  shouldSample(_parent?: TraceContext | null, _traceId?: string, _name?: string, _kind?: SpanKind, _attributes?: Attributes): SamplingResult {
    return RECORD_AND_SAMPLE;
  }

  toString(): string {
    return 'AlwaysOnSampler';
  }
}
