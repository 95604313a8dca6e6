import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpanData } from '../../../engine/index.js';
import { Tracer } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

test('records are preallocated, reused after release, and grow up to maxPoolSize', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 2, maxPoolSize: 3 });
  assert.deepEqual(tracer.poolStats(), { free: 2, created: 2, overflowAllocations: 0, maxSize: 3 });
  processor.hold = true;
  const spans = [1, 2, 3, 4].map((i) => tracer.startSpan(`s${i}`));
  assert.equal(tracer.poolStats().free, 0);
  assert.equal(tracer.poolStats().created, 3);
  assert.equal(tracer.poolStats().overflowAllocations, 1);
  for (const s of spans) s.end();
  assert.equal(tracer.poolStats().free, 0, 'ended records stay with the processor until released');
  processor.releaseHeld();
  assert.equal(tracer.poolStats().free, 3, 'the overflow record is left to the GC');
});

test('a record is not reused before the exporter releases it', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 1, maxPoolSize: 1 });
  processor.hold = true;
  tracer.startSpan('first').setAttribute('k', 'first').end();
  const held = processor.held[0]!;
  tracer.startSpan('second').setAttribute('k', 'second').end();
  assert.equal(held.name, 'first');
  assert.equal(held.attributeValues[0], 'first');
  assert.notEqual(processor.held[1], held);
  processor.releaseHeld();
});

test('release twice is a no-op: a record never enters the pool twice', () => {
  let record: SpanData | undefined;
  const tracer = new Tracer({
    sampler: { type: 'always_on' },
    poolSize: 1,
    maxPoolSize: 4,
    processor: { onEnd: (s) => void (record = s), forceFlush: async () => {}, shutdown: async () => {} },
  });
  tracer.startSpan('x').end();
  record!.release();
  record!.release();
  assert.equal(tracer.poolStats().free, 1);
  const a = tracer.startSpan('a');
  const b = tracer.startSpan('b');
  assert.equal(tracer.poolStats().created, 2, 'the second span needed a new record');
  a.end();
  b.end();
});

test('without a processor a record is released as soon as its span ends', () => {
  const tracer = new Tracer({ sampler: { type: 'always_on' }, poolSize: 1, maxPoolSize: 1 });
  for (let i = 0; i < 10; i++) tracer.startSpan('s').end();
  assert.deepEqual(tracer.poolStats(), { free: 1, created: 1, overflowAllocations: 0, maxSize: 1 });
});

test('a released record keeps no user values alive', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 1, maxPoolSize: 1 });
  processor.hold = true;
  const span = tracer.startSpan('s');
  span.setAttribute('big', 'x'.repeat(1000)).addEvent('e', { big: 'y'.repeat(1000) });
  span.end();
  const record = processor.held[0]!;
  processor.releaseHeld();
  assert.equal(record.attributeCount, 0);
  assert.notEqual(record.attributeValues[0], 'x'.repeat(1000));
  assert.equal(record.events[0]!.attributes, null);
});

test('a throwing processor does not break end() and is reported once', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => void (w.code === 'NTC_SPAN_PROCESSOR' && warnings.push(w.message));
  process.on('warning', onWarning);
  const tracer = new Tracer({
    sampler: { type: 'always_on' },
    processor: { onEnd: () => { throw new Error('exporter bug'); }, forceFlush: async () => {}, shutdown: async () => {} },
  });
  tracer.startSpan('a').end();
  tracer.startSpan('b').end();
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /exporter bug/);
});
