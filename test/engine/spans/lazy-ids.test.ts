import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlwaysOnSampler, DROP, RECORD_AND_SAMPLE, SamplingDecision, Tracer, type Sampler, type SamplingResult, type SpanData } from '../../../engine/index.js';
import { buildResource } from '../../../engine/export/resource.js';
import { OtlpJsonSerializer } from '../../../engine/export/otlp/otlp-json.js';
import { OtlpProtobufSerializer } from '../../../engine/export/otlp/otlp-protobuf.js';
import { collectingTracer } from './helper.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

test('a sampled root has lowercase hex ids, not all zero, the same on every read and in spanContext()', () => {
  const { tracer } = collectingTracer();
  const span = tracer.startSpan('root');
  const ctx = span.spanContext();
  assert.match(ctx.traceId, TRACE_ID);
  assert.match(ctx.spanId, SPAN_ID);
  assert.notEqual(ctx.traceId, '0'.repeat(32));
  assert.notEqual(ctx.spanId, '0'.repeat(16));
  const [traceId, spanId] = [ctx.traceId, ctx.spanId];
  assert.equal(ctx.traceId, traceId, 'a second read of the same context gives the same trace id');
  assert.equal(span.spanContext().traceId, traceId);
  assert.equal(span.spanContext().spanId, spanId);
  assert.equal(ctx.toW3CFormat(), `00-${ctx.traceId}-${ctx.spanId}-03`);
  span.end();
});

test('the exported span carries the ids the handle shows, whichever is read first', () => {
  const { tracer, processor } = collectingTracer();
  const readFirst = tracer.startSpan('handle read first');
  const handleIds = [readFirst.spanContext().traceId, readFirst.spanContext().spanId];
  readFirst.end();
  const exportFirst = tracer.startSpan('export read first');
  exportFirst.end();
  assert.deepEqual([processor.spans[0]!.traceId, processor.spans[0]!.spanId], handleIds);
  const exported = processor.spans[1]!;
  assert.match(exported.traceId, TRACE_ID);
  assert.equal(exportFirst.spanContext().traceId, exported.traceId);
  assert.equal(exportFirst.spanContext().spanId, exported.spanId);
});

test('ids never read before end() stay readable and unchanged after the record is reused by another span', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 1, maxPoolSize: 1 });
  const old = tracer.startSpan('request-1');
  old.end();
  const exportedOld = processor.spans[0]!;
  // Pool of one: this span takes the very record `old` used, and moves the id cursor on.
  const current = tracer.startSpan('request-2');
  for (let i = 0; i < 1000; i++) tracer.startSpan('filler', { root: true }).end();
  assert.equal(old.spanContext().traceId, exportedOld.traceId);
  assert.equal(old.spanContext().spanId, exportedOld.spanId);
  assert.notEqual(current.spanContext().spanId, old.spanContext().spanId);
  assert.notEqual(current.spanContext().traceId, old.spanContext().traceId);
  current.end();
});

test('children share the root trace id and name their parent span id, in the handle and the export', () => {
  const { tracer, processor } = collectingTracer();
  const root = tracer.startSpan('root');
  const child = tracer.withSpan(root, () => tracer.startSpan('child'));
  assert.equal(child.spanContext().traceId, root.spanContext().traceId);
  assert.equal(child.spanContext().parentSpanId, root.spanContext().spanId);
  child.end();
  root.end();
  const [c, r] = processor.spans;
  assert.equal(c!.traceId, r!.traceId);
  assert.equal(c!.parentSpanId, r!.spanId);
  assert.equal(r!.parentSpanId, '');
});

test('ids are unique across 20,000 roots (several random blocks) and their spans', () => {
  const { tracer } = collectingTracer();
  const traceIds = new Set<string>();
  const spanIds = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const span = tracer.startSpan('root');
    const child = tracer.startSpan('child', { parent: span.spanContext() });
    traceIds.add(span.spanContext().traceId);
    spanIds.add(span.spanContext().spanId);
    spanIds.add(child.spanContext().spanId);
    assert.match(child.spanContext().spanId, SPAN_ID);
    child.end();
    span.end();
  }
  assert.equal(traceIds.size, 20_000);
  assert.equal(spanIds.size, 40_000);
});

test('a sampler that may read the trace id gets the root id the span then carries', () => {
  const seen: string[] = [];
  const sampler: Sampler = {
    shouldSample(_parent, traceId) {
      seen.push(traceId);
      return RECORD_AND_SAMPLE;
    },
    toString: () => 'Recording',
  };
  const spans: SpanData[] = [];
  const tracer = new Tracer({
    sampler,
    processor: { onEnd: (s) => { spans.push(s); }, forceFlush: async () => {}, shutdown: async () => {} },
  });
  const span = tracer.startSpan('root');
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, TRACE_ID);
  assert.equal(span.spanContext().traceId, seen[0]);
  span.end();
  assert.equal(spans[0]!.traceId, seen[0]);
  spans[0]!.release();
});

test('traceidratio keeps exactly the roots whose trace id it accepts (the id it decided on is the span id)', () => {
  const { tracer, processor } = collectingTracer({ sampler: { type: 'traceidratio', ratio: 0.5 } });
  const kept = new Set<string>();
  let dropped = 0;
  for (let i = 0; i < 2000; i++) {
    const span = tracer.startSpan('root');
    if (span.isRecording()) kept.add(span.spanContext().traceId);
    else dropped++;
    span.end();
  }
  assert.ok(kept.size > 800 && dropped > 800, `kept ${kept.size}, dropped ${dropped}`);
  assert.deepEqual(new Set(processor.spans.map((s) => s.traceId)), kept);
  // The sampler decides the same way again on each kept span's id.
  for (const id of kept) {
    assert.equal(tracer.sampler.shouldSample(null, id, 'root', 0, undefined).decision, SamplingDecision.RECORD_AND_SAMPLED, id);
  }
});

test('a sampled span serializes its ids as JSON and as enumerable properties', () => {
  const { tracer } = collectingTracer();
  const span = tracer.startSpan('root');
  const json = JSON.parse(JSON.stringify(span)) as Record<string, unknown>;
  assert.equal(json.traceId, span.spanContext().traceId);
  assert.equal(json.spanId, span.spanContext().spanId);
  const ctx = span.spanContext();
  const { traceId, spanId } = ctx;
  assert.deepEqual({ traceId, spanId }, { traceId: ctx.traceId, spanId: ctx.spanId });
  span.end();
});

test('a subclass of always_on that drops a root still gives it valid ids with the sampled bit off', () => {
  class DropRoots extends AlwaysOnSampler {
    override shouldSample(): SamplingResult {
      return DROP;
    }
  }
  const { tracer, processor } = collectingTracer({ sampler: new DropRoots() });
  const span = tracer.startSpan('root');
  assert.equal(span.isRecording(), false);
  assert.match(span.spanContext().traceId, TRACE_ID);
  assert.match(span.spanContext().spanId, SPAN_ID);
  assert.equal(span.spanContext().sampled, false);
  span.end();
  assert.equal(processor.spans.length, 0);
});

test('OTLP protobuf and JSON exports of spans whose ids nobody read carry the ids the handles show afterwards', () => {
  const { tracer, processor } = collectingTracer();
  processor.hold = true;
  const root = tracer.startSpan('root');
  const child = tracer.startSpan('child', { parent: root.spanContext() });
  // Only the child's parent link read root's span id; nothing read the child's ids or root's trace id.
  child.end();
  root.end();
  const resource = buildResource('lazy-ids', undefined, {}, { warn: () => undefined });
  const proto = new OtlpProtobufSerializer(resource).serialize(processor.held, processor.held.length).toString('hex');
  const json = new OtlpJsonSerializer(resource).serialize(processor.held, processor.held.length).toString('utf8');
  processor.releaseHeld();
  for (const span of [root, child]) {
    const { traceId, spanId } = span.spanContext();
    // OTLP protobuf: bytes field, length 16 (0x10) or 8 (0x08) then the raw id.
    assert.ok(proto.includes('10' + traceId), `protobuf has trace id ${traceId}`);
    assert.ok(proto.includes('08' + spanId), `protobuf has span id ${spanId}`);
    assert.ok(json.includes(`"traceId":"${traceId}","spanId":"${spanId}"`), `json has ${traceId}/${spanId}`);
  }
  assert.ok(json.includes(`"parentSpanId":"${root.spanContext().spanId}"`));
});

test('exported spans offer raw id bytes: the span id always, a root trace id until its text is built', () => {
  // Holds records without reading them (the collecting helper copies their ids at end()).
  const held: SpanData[] = [];
  const tracer = new Tracer({
    sampler: { type: 'always_on' },
    processor: { onEnd: (s) => { held.push(s); }, forceFlush: async () => {}, shutdown: async () => {} },
  });
  const lone = tracer.startSpan('lone root');
  lone.end();
  const out = new Uint8Array(20).fill(0xee);
  assert.equal(held[0]!.writeTraceIdBytes!(out, 2), true);
  assert.equal(Buffer.from(out.subarray(2, 18)).toString('hex'), lone.spanContext().traceId);
  assert.deepEqual([out[0], out[1], out[18], out[19]], [0xee, 0xee, 0xee, 0xee]);
  // Its text now exists (read just above): the record says so rather than guess.
  assert.equal(held[0]!.writeTraceIdBytes!(out, 0), false);

  const root = tracer.startSpan('root');
  const child = tracer.startSpan('child', { parent: root.spanContext() });
  child.end();
  root.end();
  // A child takes its parent's trace id as text, so neither has raw trace bytes to offer.
  assert.equal(held[1]!.writeTraceIdBytes!(out, 0), false);
  assert.equal(held[2]!.writeTraceIdBytes!(out, 0), false);
  for (const [data, span] of [[held[0]!, lone], [held[1]!, child], [held[2]!, root]] as const) {
    assert.equal(data.writeSpanIdBytes!(out, 4), true);
    assert.equal(Buffer.from(out.subarray(4, 12)).toString('hex'), span.spanContext().spanId);
  }
  for (const s of held) s.release();
});
