import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { TraceIdRatioBasedSampler as OtelRatio, SamplingDecision as OtelDecision } from '@opentelemetry/sdk-trace-base';
import { SamplingDecision, SpanKind, TraceIdRatioBasedSampler } from '../../../engine/index.js';
import { seededTraceIds } from './seeded-ids.js';

const IDS = seededTraceIds(0x5eed, 100_000);

test('traceidratio keeps exactly the traces OpenTelemetry JS keeps, on 100,000 ids at several ratios', () => {
  for (const ratio of [0, 0.0001, 0.01, 0.1, 0.25, 0.5, 0.999, 1]) {
    const ours = new TraceIdRatioBasedSampler(ratio);
    const theirs = new OtelRatio(ratio);
    let mismatches = 0;
    for (const id of IDS) {
      const a = ours.shouldSample(null, id, 'n', SpanKind.INTERNAL, undefined).decision === SamplingDecision.RECORD_AND_SAMPLED;
      const b = theirs.shouldSample(ROOT_CONTEXT, id).decision === OtelDecision.RECORD_AND_SAMPLED;
      if (a !== b) mismatches++;
    }
    assert.equal(mismatches, 0, `ratio ${ratio}`);
  }
});

test('traceidratio keeps the configured fraction (seeded, within 5 standard deviations)', () => {
  for (const ratio of [0.01, 0.1, 0.5]) {
    const sampler = new TraceIdRatioBasedSampler(ratio);
    let kept = 0;
    for (const id of IDS) if (sampler.shouldSample(null, id, 'n', 0, undefined).decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
    const n = IDS.length;
    const sd = Math.sqrt(n * ratio * (1 - ratio));
    assert.ok(Math.abs(kept - n * ratio) < 5 * sd, `ratio ${ratio}: kept ${kept} of ${n}`);
  }
});

test('traceidratio never samples an invalid or all-zero trace id, and rejects a bad ratio at construction', () => {
  const sampler = new TraceIdRatioBasedSampler(1);
  for (const id of ['', 'xyz', '0'.repeat(32), 'G'.repeat(32), 'ABCDEF0123456789ABCDEF0123456789']) {
    assert.equal(sampler.shouldSample(null, id, 'n', 0, undefined).decision, SamplingDecision.NOT_RECORD, id);
  }
  for (const bad of [-0.1, 1.5, Number.NaN, '0.5']) {
    assert.throws(() => new TraceIdRatioBasedSampler(bad as number), /sampler\.ratio: got .*, expected a number from 0 to 1/);
  }
  assert.equal(String(new TraceIdRatioBasedSampler(0.25)), 'TraceIdRatioBased{0.25}');
});
