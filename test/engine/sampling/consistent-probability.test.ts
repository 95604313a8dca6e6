import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SamplingDecision, TraceContext, Tracer, createSampler } from '../../../engine/index.js';
import { encodeThreshold } from '../../../engine/sampling/consistent-probability.js';
import { seededTraceIds } from './seeded-ids.js';

// Trace ids whose low 56 bits (the last 14 hex digits) are chosen.
const id = (low56: string) => '0123456789abcdef01' + low56;

test('thresholds are encoded as in the OpenTelemetry probability-sampling spec', () => {
  assert.equal(encodeThreshold(1).th, '0');
  assert.equal(encodeThreshold(0.5).th, '8');
  assert.equal(encodeThreshold(0.25).th, 'c');
  assert.equal(encodeThreshold(0.125).th, 'e');
  // (1 - 0.1) * 2^56 = 64851834634135142 = 0xe6666666666666
  assert.equal(encodeThreshold(0.1).th, 'e6666666666666');
  assert.equal(encodeThreshold(2 ** -56).th, 'ffffffffffffff');
});

test('keeps a trace when its 56-bit randomness is at or above the threshold, and writes ot=th first in tracestate', () => {
  const sampler = createSampler({ type: 'traceidratio', ratio: 0.5, consistent: true }, {});
  const kept = sampler.shouldSample(null, id('80000000000000'), 'n', 0, undefined);
  assert.equal(kept.decision, SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(kept.traceState, 'ot=th:8');
  assert.equal(sampler.shouldSample(null, id('7fffffffffffff'), 'n', 0, undefined).decision, SamplingDecision.NOT_RECORD);
  assert.equal(sampler.shouldSample(null, 'not-an-id', 'n', 0, undefined).decision, SamplingDecision.NOT_RECORD);
});

test('uses ot=rv from the parent\'s tracestate over the trace id, and keeps other members and sub-keys', () => {
  const sampler = createSampler({ type: 'traceidratio', ratio: 0.25, consistent: true }, {});
  const parent = TraceContext.from({ traceId: id('00000000000000'), spanId: '00f067aa0ba902b7', sampled: false, traceState: 'vendor=x,ot=rv:f0000000000000;th:4' });
  const r = sampler.shouldSample(parent, parent.traceId, 'n', 0, undefined);
  assert.equal(r.decision, SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(r.traceState, 'ot=th:c;rv:f0000000000000,vendor=x');
});

test('an unsampled decision removes a threshold it did not apply', () => {
  const sampler = createSampler({ type: 'traceidratio', ratio: 0.5, consistent: true }, {});
  const parent = TraceContext.from({ traceId: id('10000000000000'), spanId: '00f067aa0ba902b7', traceState: 'ot=th:0,a=b' });
  const r = sampler.shouldSample(parent, parent.traceId, 'n', 0, undefined);
  assert.equal(r.decision, SamplingDecision.NOT_RECORD);
  assert.equal(r.traceState, 'a=b');
});

test('keeps the configured fraction of 100,000 seeded ids (within 5 standard deviations)', () => {
  const sampler = createSampler({ type: 'traceidratio', ratio: 0.1, consistent: true }, {});
  let kept = 0;
  for (const traceId of seededTraceIds(7, 100_000)) if (sampler.shouldSample(null, traceId, 'n', 0, undefined).decision === 2) kept++;
  assert.ok(Math.abs(kept - 10_000) < 5 * Math.sqrt(100_000 * 0.1 * 0.9), `kept ${kept}`);
});

test('through the tracer: a kept root carries ot=th, and its children (parent-based) keep it', () => {
  const tracer = new Tracer({ sampler: { type: 'parentbased_traceidratio', ratio: 1, consistent: true } });
  tracer.startActiveSpan('root', (root) => {
    assert.equal(root.spanContext().traceState, 'ot=th:0');
    const child = tracer.startSpan('child');
    assert.equal(child.spanContext().traceState, 'ot=th:0');
    child.end();
  });
});

test('consistent is refused where it has no meaning, or when not a boolean', () => {
  assert.throws(() => createSampler({ type: 'always_on', consistent: true }, {}), /sampler\.consistent: got true, expected nothing/);
  assert.throws(() => createSampler({ type: 'traceidratio', consistent: 'yes' as never }, {}), /sampler\.consistent: got "yes", expected true or false/);
});
