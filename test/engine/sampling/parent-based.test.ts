import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceContext,
  createSampler,
  type Sampler,
} from '../../../engine/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const parent = (sampled: boolean, isRemote: boolean) => TraceContext.from({ traceId: TRACE, spanId: '00f067aa0ba902b7', sampled, isRemote });

function decide(sampler: Sampler, p: TraceContext | null): number {
  return sampler.shouldSample(p, TRACE, 'n', 0, undefined).decision;
}

test('always_on samples and always_off drops every span', () => {
  assert.equal(decide(new AlwaysOnSampler(), null), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(new AlwaysOffSampler(), parent(true, true)), SamplingDecision.NOT_RECORD);
});

test('parent-based defaults follow the parent\'s sampled flag, remote or local, and the root sampler for roots', () => {
  const on = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const off = new ParentBasedSampler({ root: new AlwaysOffSampler() });
  assert.equal(decide(on, null), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(off, null), SamplingDecision.NOT_RECORD);
  for (const s of [on, off]) {
    for (const remote of [true, false]) {
      assert.equal(decide(s, parent(true, remote)), SamplingDecision.RECORD_AND_SAMPLED);
      assert.equal(decide(s, parent(false, remote)), SamplingDecision.NOT_RECORD);
    }
  }
});

test('each of the five ParentBased delegates is configurable and used for its own case only', () => {
  const sampler = createSampler({
    type: 'parentbased_always_on',
    root: { type: 'always_off' },
    remoteParentSampled: { type: 'always_off' },
    remoteParentNotSampled: { type: 'always_on' },
    localParentSampled: { type: 'always_off' },
    localParentNotSampled: { type: 'always_on' },
  });
  assert.equal(decide(sampler, null), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler, parent(true, true)), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler, parent(false, true)), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(sampler, parent(true, false)), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler, parent(false, false)), SamplingDecision.RECORD_AND_SAMPLED);
  assert.match(String(sampler), /^ParentBased\{root=AlwaysOffSampler, remoteParentSampled=AlwaysOffSampler/);
});

test('parentbased_traceidratio decides roots by ratio and children by parent', () => {
  const sampler = createSampler({ type: 'parentbased_traceidratio', ratio: 0 });
  assert.equal(decide(sampler, null), SamplingDecision.NOT_RECORD);
  assert.equal(decide(sampler, parent(true, true)), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(decide(createSampler({ type: 'parentbased_traceidratio', ratio: 1 }), null), SamplingDecision.RECORD_AND_SAMPLED);
});
