import type { Sampler } from './sampler.js';
import { DROP, type SamplingResult } from './sampling-result.js';

/** Samples nothing: every span is a non-recording carrier of ids. */
export class AlwaysOffSampler implements Sampler {
  shouldSample(): SamplingResult {
    return DROP;
  }

  toString(): string {
    return 'AlwaysOffSampler';
  }
}
