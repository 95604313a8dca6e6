import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecordingSpan, SpanKind, SpanStatusCode, TraceContext, Tracer } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

const REMOTE_UNSAMPLED = TraceContext.from({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: false });

test('an unsampled root is a non-recording span with valid ids and the sampled flag off; no record is taken', () => {
  const { tracer, processor } = collectingTracer({ sampler: { type: 'always_off' }, poolSize: 0, maxPoolSize: 0 });
  const span = tracer.startSpan('root', { attributes: { a: 1 } });
  assert.ok(span instanceof NonRecordingSpan);
  assert.equal(span.isRecording(), false);
  assert.match(span.spanContext().traceId, /^[0-9a-f]{32}$/);
  assert.match(span.spanContext().spanId, /^[0-9a-f]{16}$/);
  assert.equal(span.spanContext().sampled, false);
  assert.equal(span.spanContext().toW3CFormat().slice(-2), '02');
  span.setAttribute('x', 1).addEvent('e').recordException(new Error('e')).setStatus({ code: SpanStatusCode.ERROR }).updateName('n');
  span.end();
  span.end();
  assert.equal(processor.spans.length, 0);
  assert.deepEqual(tracer.poolStats(), { free: 0, created: 0, overflowAllocations: 0, maxSize: 0 });
});

test('under a remote unsampled parent the server span gets its own span id, and its children share it', () => {
  const { tracer } = collectingTracer({ sampler: { type: 'parentbased_always_on' } });
  const server = tracer.startSpan('GET /', { kind: SpanKind.SERVER, parent: REMOTE_UNSAMPLED });
  assert.equal(server.spanContext().traceId, REMOTE_UNSAMPLED.traceId);
  assert.notEqual(server.spanContext().spanId, REMOTE_UNSAMPLED.spanId);
  assert.equal(server.spanContext().parentSpanId, REMOTE_UNSAMPLED.spanId);
  tracer.withSpan(server, () => {
    const child = tracer.startSpan('db');
    const grandchild = tracer.withSpan(child, () => tracer.startSpan('row'));
    assert.equal(child, server, 'one shared non-recording object per unsampled scope');
    assert.equal(grandchild, server);
    child.end();
    assert.equal(tracer.getActiveSpan(), server);
  });
});

test('a sampler may drop a child of a sampled span: it gets its own ids with the sampled flag off', () => {
  const { tracer, processor } = collectingTracer({
    sampler: { type: 'always_on', rules: [{ name: 'noisy', sampler: { type: 'always_off' } }] },
  });
  tracer.startActiveSpan('parent', (parent) => {
    const noisy = tracer.startSpan('noisy');
    assert.equal(noisy.isRecording(), false);
    assert.equal(noisy.spanContext().parentSpanId, parent.spanContext().spanId);
    assert.notEqual(noisy.spanContext().spanId, parent.spanContext().spanId);
    assert.equal(noisy.spanContext().sampled, false);
    noisy.end();
  });
  assert.deepEqual(processor.spans.map((s) => s.name), ['parent']);
});

test('onSpanEnd sees every ended server, client and consumer span, sampled or not, with status and duration', () => {
  const seen: [string, number, number, number][] = [];
  const onSpanEnd = (name: string, kind: number, status: number, ms: number) => void seen.push([name, kind, status, ms]);
  for (const type of ['always_on', 'always_off'] as const) {
    const tracer = new Tracer({ sampler: { type }, onSpanEnd });
    const server = tracer.startSpan('GET', { kind: SpanKind.SERVER, startTime: performance.timeOrigin + performance.now() - 20 });
    tracer.withSpan(server, () => {
      const internal = tracer.startSpan('work');
      internal.end();
      const client = tracer.startSpan('POST upstream', { kind: SpanKind.CLIENT });
      client.setStatus({ code: SpanStatusCode.ERROR });
      client.end();
    });
    server.updateName('GET /orders/:id').setStatus({ code: SpanStatusCode.OK });
    server.end();
    server.end();
    tracer.startSpan('job', { kind: SpanKind.CONSUMER }).end();
    tracer.startSpan('publish', { kind: SpanKind.PRODUCER }).end();
  }
  assert.deepEqual(
    seen.map(([n, k, s]) => [n, k, s]),
    [
      ['POST upstream', SpanKind.CLIENT, SpanStatusCode.ERROR],
      ['GET /orders/:id', SpanKind.SERVER, SpanStatusCode.OK],
      ['job', SpanKind.CONSUMER, SpanStatusCode.UNSET],
      ['POST upstream', SpanKind.CLIENT, SpanStatusCode.ERROR],
      ['GET /orders/:id', SpanKind.SERVER, SpanStatusCode.OK],
      ['job', SpanKind.CONSUMER, SpanStatusCode.UNSET],
    ],
  );
  // Started 20 ms back on the span clock's own epoch (Date.now() may differ from it by a millisecond or more).
  assert.ok(seen[1]![3] >= 20 - 1e-6 && seen[4]![3] >= 20 - 1e-6, `durations ${seen[1]![3]} ${seen[4]![3]}`);
});

test('with onSpanEnd, an unsampled server span\'s internal child cannot end it early', () => {
  const seen: string[] = [];
  const tracer = new Tracer({ sampler: { type: 'always_off' }, onSpanEnd: (name) => void seen.push(name) });
  const server = tracer.startSpan('GET', { kind: SpanKind.SERVER });
  tracer.withSpan(server, () => {
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b');
    assert.notEqual(a, server);
    assert.equal(a, b, 'children still share one object');
    assert.equal(a.spanContext().spanId, server.spanContext().spanId);
    a.end();
  });
  assert.deepEqual(seen, []);
  server.end();
  assert.deepEqual(seen, ['GET']);
});

test('a throwing onSpanEnd hook never breaks end()', () => {
  let calls = 0;
  const onSpanEnd = (): void => {
    calls++;
    throw new Error('metrics bug');
  };
  const { tracer, processor } = collectingTracer({ sampler: { type: 'always_on' }, onSpanEnd });
  tracer.startSpan('s', { kind: SpanKind.SERVER }).end();
  assert.equal(calls, 1, 'the hook ran for the sampled span');
  assert.deepEqual(processor.spans.map((s) => s.name), ['s'], 'and the span was still exported');
  const off = new Tracer({ sampler: { type: 'always_off' }, onSpanEnd });
  off.startSpan('s', { kind: SpanKind.SERVER }).end();
  assert.equal(calls, 2, 'the hook ran for the unsampled span too');
});

test('a disabled tracer passes the active ids through and records nothing', () => {
  const tracer = new Tracer({ enabled: false });
  const root = tracer.startSpan('r');
  assert.equal(root.isRecording(), false);
  assert.match(root.spanContext().traceId, /^[0-9a-f]{32}$/);
  const child = tracer.withSpan(root, () => tracer.startSpan('c'));
  assert.equal(child, root);
  const under = tracer.startSpan('x', { parent: REMOTE_UNSAMPLED });
  assert.equal(under.spanContext().spanId, REMOTE_UNSAMPLED.spanId);
  assert.equal(tracer.poolStats().created, 256);
});

test('a configured localParentNotSampled delegate still decides children of an unsampled local span', () => {
  const { tracer, processor } = collectingTracer({
    sampler: { type: 'parentbased_always_off', localParentNotSampled: { type: 'always_on' } },
  });
  const root = tracer.startSpan('root');
  assert.equal(root.isRecording(), false);
  const child = tracer.withSpan(root, () => tracer.startSpan('child'));
  assert.equal(child.isRecording(), true);
  assert.equal(child.spanContext().parentSpanId, root.spanContext().spanId);
  child.end();
  assert.deepEqual(processor.spans.map((s) => s.name), ['child']);
});
