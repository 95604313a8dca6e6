import type { Sampler } from './sampler.js';
import { RECORD_AND_SAMPLE, type SamplingResult } from './sampling-result.js';

/** Samples every span. */
export class AlwaysOnSampler implements Sampler {
  shouldSample(): SamplingResult {
    return RECORD_AND_SAMPLE;
  }

  toString(): string {
    return 'AlwaysOnSampler';
  }
}
