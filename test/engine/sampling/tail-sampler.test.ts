// The tail samplers with the engine alone (a Tracer and an export pipeline with a memory
// exporter): the head decision of parentbased_tail, the span limit per local trace, the
// threshold an unkept span must not carry, and a tracer without a processor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode, TailSampler, TraceContext, Tracer, createExportPipeline, createSampler } from '../../../engine/index.js';

const IN_RATIO = '00000000000000000000000000000001';

function setup(config: Record<string, unknown>) {
  const pipeline = createExportPipeline({ exporters: [{ type: 'memory' }] }, {});
  const sampler = createSampler(config as never, {}) as TailSampler;
  const tracer = new Tracer({ sampler, processor: pipeline.processor });
  const exported = async () => {
    await pipeline.forceFlush();
    return pipeline.memory!.getFinishedSpans();
  };
  return { tracer, sampler, exported };
}

function remote(flags: number, traceState?: string): TraceContext {
  return new TraceContext(IN_RATIO, '00f067aa0ba902b7', flags, traceState, true, undefined);
}

test('parentbased_tail: a sampled remote parent is kept (rule parent); an unsampled one only by a tail rule', async () => {
  const { tracer, sampler, exported } = setup({ type: 'parentbased_tail', ratio: 1 });
  const kept = tracer.startSpan('GET /a', { parent: remote(1) });
  assert.equal(kept.spanContext().traceFlags & 1, 1, 'the sampled flag sent on is set');
  kept.end();
  // ratio 1 would keep every root, but a parent that said "not sampled" decides the head.
  const notKept = tracer.startSpan('GET /b', { parent: remote(0) });
  assert.equal(notKept.spanContext().traceFlags & 1, 0);
  assert.equal(notKept.isRecording(), true, 'recorded, waiting for the decision');
  notKept.end();
  const spans = await exported();
  assert.deepEqual(spans.map((s) => [s.name, s.attributes['sampling.rule']]), [['GET /a', 'parent']]);
  assert.equal(sampler.stats().keptParent, 1);
  assert.equal(sampler.stats().released, 1);
});

test('an unkept local root drops a threshold it did not apply; a ratio keep writes its own', () => {
  const { tracer } = setup({ type: 'tail', ratio: 0 });
  const span = tracer.startSpan('GET /a', { parent: remote(1, 'ot=th:8;rv:0123456789abcd,vendor=x') });
  assert.equal(span.spanContext().traceState, 'ot=rv:0123456789abcd,vendor=x');
  span.end();
  const kept = setup({ type: 'tail', ratio: 1 }).tracer.startSpan('GET /a', { parent: remote(0, 'vendor=x') });
  assert.equal(kept.spanContext().traceState, 'ot=th:0,vendor=x');
  kept.end();
});

test('maxSpansPerTrace: spans past the limit are not recorded and counted; the kept trace holds the rest', async () => {
  const { tracer, sampler, exported } = setup({ type: 'tail', ratio: 0, maxSpansPerTrace: 3 });
  const root = tracer.startSpan('job');
  for (let i = 0; i < 5; i++) {
    const child = tracer.startSpan(`step ${i}`, { parent: root.spanContext() });
    assert.equal(child.isRecording(), i < 2, `step ${i}`);
    child.end();
  }
  root.setStatus({ code: SpanStatusCode.ERROR });
  root.end();
  const spans = await exported();
  assert.deepEqual(spans.map((s) => s.name).sort(), ['job', 'step 0', 'step 1']);
  assert.equal(sampler.stats().notRecordedSpanLimit, 3);
  assert.ok(spans.every((s) => (s.traceFlags & 1) === 1), 'kept spans are exported with the sampled bit');
});

test('a tracer without a processor still buffers and releases (nothing stays held)', () => {
  const sampler = createSampler({ type: 'tail', ratio: 0, maxBufferedTraces: 1 }, {}) as TailSampler;
  const tracer = new Tracer({ sampler });
  for (let i = 0; i < 3; i++) {
    const span = tracer.startSpan('job');
    assert.equal(span.isRecording(), true, `job ${i} found room in the buffer`);
    span.end();
  }
  assert.equal(sampler.stats().released, 3);
  assert.equal(sampler.stats().buffered, 0);
});
