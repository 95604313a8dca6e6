// Follows the parent's sampled flag; only roots are decided by the `root` sampler. The four
// parent delegates are OpenTelemetry's ParentBased defaults unless configured: sampled parents
// (remote or local) are kept with always_on, unsampled ones dropped with always_off.

import type { TraceContext } from '../propagation/trace-context.js';
import { FLAG_SAMPLED } from '../propagation/trace-context.js';
import type { Attributes, SpanKind } from '../spans/span-data.js';
import { AlwaysOffSampler } from './always-off.js';
import { AlwaysOnSampler } from './always-on.js';
import type { Sampler } from './sampler.js';
import type { SamplingResult } from './sampling-result.js';

export interface ParentBasedDelegates {
  readonly root: Sampler;
  readonly remoteParentSampled?: Sampler;
  readonly remoteParentNotSampled?: Sampler;
  readonly localParentSampled?: Sampler;
  readonly localParentNotSampled?: Sampler;
}

export class ParentBasedSampler implements Sampler {
  readonly root: Sampler;
  readonly remoteParentSampled: Sampler;
  readonly remoteParentNotSampled: Sampler;
  readonly localParentSampled: Sampler;
  readonly localParentNotSampled: Sampler;

  constructor(delegates: ParentBasedDelegates) {
    this.root = delegates.root;
    this.remoteParentSampled = delegates.remoteParentSampled ?? new AlwaysOnSampler();
    this.remoteParentNotSampled = delegates.remoteParentNotSampled ?? new AlwaysOffSampler();
    this.localParentSampled = delegates.localParentSampled ?? new AlwaysOnSampler();
    this.localParentNotSampled = delegates.localParentNotSampled ?? new AlwaysOffSampler();
  }

  shouldSample(
    parent: TraceContext | null,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes | undefined,
  ): SamplingResult {
    let delegate: Sampler;
    if (parent === null) delegate = this.root;
    else if (parent.isRemote) {
      delegate = (parent.traceFlags & FLAG_SAMPLED) !== 0 ? this.remoteParentSampled : this.remoteParentNotSampled;
    } else {
      delegate = (parent.traceFlags & FLAG_SAMPLED) !== 0 ? this.localParentSampled : this.localParentNotSampled;
    }
    return delegate.shouldSample(parent, traceId, name, kind, attributes);
  }

  toString(): string {
    return (
      `ParentBased{root=${this.root}, remoteParentSampled=${this.remoteParentSampled}, ` +
      `remoteParentNotSampled=${this.remoteParentNotSampled}, localParentSampled=${this.localParentSampled}, ` +
      `localParentNotSampled=${this.localParentNotSampled}}`
    );
  }
}
