import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FLAG_RANDOM,
  FLAG_SAMPLED,
  RecordingSpan,
  SpanKind,
  SpanStatusCode,
  TraceContext,
  TraceContextTypeError,
  Tracer,
  context,
  getActiveSpan,
  getGlobalTracer,
  getTraceContext,
  runWithTrace,
  setGlobalTracer,
  startActiveSpan,
  startSpan,
  withSpan,
} from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

test('startSpan outside any context starts a sampled root with fresh valid ids', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('root');
  const ctx = span.spanContext();
  assert.match(ctx.traceId, /^[0-9a-f]{32}$/);
  assert.match(ctx.spanId, /^[0-9a-f]{16}$/);
  assert.equal(ctx.traceFlags, FLAG_SAMPLED | FLAG_RANDOM);
  assert.equal(ctx.parentSpanId, undefined);
  assert.equal(ctx.isRemote, false);
  assert.equal(span.isRecording(), true);
  span.end();
  assert.equal(processor.spans.length, 1);
  assert.equal(processor.spans[0]!.parentSpanId, '');
  assert.equal(processor.spans[0]!.name, 'root');
  assert.equal(processor.spans[0]!.kind, SpanKind.INTERNAL);
  assert.equal(processor.spans[0]!.scopeName, 'nestjs-trace-context');
});

test('startSpan under an active span is its child in the same trace', () => {
  const { tracer, processor } = collectingTracer();
  const parent = tracer.startSpan('parent');
  tracer.withSpan(parent, () => {
    const child = tracer.startSpan('child', { kind: SpanKind.CLIENT });
    assert.equal(child.spanContext().traceId, parent.spanContext().traceId);
    assert.equal(child.spanContext().parentSpanId, parent.spanContext().spanId);
    child.end();
  });
  parent.end();
  const [child, p] = processor.spans;
  assert.equal(child!.parentSpanId, p!.spanId);
  assert.equal(child!.parentIsRemote, false);
  assert.equal(child!.kind, SpanKind.CLIENT);
});

test('an explicit remote parent wins over the active span, and root: true / parent: null start new traces', () => {
  const { tracer, processor } = collectingTracer();
  const remote = TraceContext.from({ traceId: TRACE, spanId: SPAN, sampled: true, traceState: 'a=1' });
  const active = tracer.startSpan('active');
  tracer.withSpan(active, () => {
    const server = tracer.startSpan('GET /x', { kind: SpanKind.SERVER, parent: remote });
    assert.equal(server.spanContext().traceId, TRACE);
    assert.equal(server.spanContext().traceState, 'a=1');
    server.end();
    const root = tracer.startSpan('root', { root: true });
    assert.notEqual(root.spanContext().traceId, active.spanContext().traceId);
    root.end();
    const root2 = tracer.startSpan('root2', { parent: null });
    assert.notEqual(root2.spanContext().traceId, active.spanContext().traceId);
    root2.end();
  });
  active.end();
  assert.equal(processor.spans[0]!.parentSpanId, SPAN);
  assert.equal(processor.spans[0]!.parentIsRemote, true);
  assert.equal(processor.spans[0]!.traceState, 'a=1');
  assert.equal(processor.spans[1]!.parentSpanId, '');
  assert.equal(processor.spans[2]!.parentSpanId, '');
});

test('start attributes, links and startTime are recorded', () => {
  const { tracer, processor } = collectingTracer();
  const link = TraceContext.from({ traceId: TRACE, spanId: SPAN });
  const start = Date.now() - 1000;
  tracer.startSpan('s', { attributes: { 'http.method': 'GET', n: 3 }, links: [{ context: link, attributes: { why: 'batch' } }], startTime: start }).end(start + 250);
  const s = processor.spans[0]!;
  assert.deepEqual(s.attributes, { 'http.method': 'GET', n: 3 });
  assert.equal(s.links.length, 1);
  assert.equal(s.links[0]!.traceId, TRACE);
  assert.deepEqual(s.links[0]!.attributes, { why: 'batch' });
  assert.ok(Math.abs(s.endTime - s.startTime - 250) < 1e-3, `duration ${s.endTime - s.startTime}`);
});

test('startActiveSpan makes the span active and ends it when fn returns', () => {
  const { tracer, processor } = collectingTracer();
  const result = tracer.startActiveSpan('work', (span) => {
    assert.equal(tracer.getActiveSpan(), span);
    assert.equal(tracer.getTraceContext()!.spanId, span.spanContext().spanId);
    return 42;
  });
  assert.equal(result, 42);
  assert.equal(processor.spans.length, 1);
  assert.equal(tracer.getActiveSpan(), undefined);
});

test('startActiveSpan accepts options before the callback', () => {
  const { tracer, processor } = collectingTracer();
  tracer.startActiveSpan('consume', { kind: SpanKind.CONSUMER }, () => undefined);
  assert.equal(processor.spans[0]!.kind, SpanKind.CONSUMER);
});

test('startActiveSpan ends the span after its promise settles, keeping the context across await', async () => {
  const { tracer, processor } = collectingTracer();
  const value = await tracer.startActiveSpan('async', async (span) => {
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(tracer.getActiveSpan(), span);
    assert.equal(processor.spans.length, 0);
    return 'done';
  });
  assert.equal(value, 'done');
  assert.equal(processor.spans.length, 1);
  assert.ok(processor.spans[0]!.endTime - processor.spans[0]!.startTime >= 4);
});

test('a throw in startActiveSpan is recorded as an exception event and error status, then rethrown', () => {
  const { tracer, processor } = collectingTracer();
  assert.throws(
    () =>
      tracer.startActiveSpan('boom', () => {
        throw new RangeError('bad range');
      }),
    RangeError,
  );
  const s = processor.spans[0]!;
  assert.equal(s.statusCode, SpanStatusCode.ERROR);
  assert.equal(s.statusMessage, 'bad range');
  assert.equal(s.events[0]!.name, 'exception');
  assert.equal(s.events[0]!.attributes!['exception.type'], 'RangeError');
  assert.equal(s.events[0]!.attributes!['exception.message'], 'bad range');
  assert.match(String(s.events[0]!.attributes!['exception.stacktrace']), /RangeError: bad range/);
});

test('a rejected promise in startActiveSpan is recorded and the rejection passes through', async () => {
  const { tracer, processor } = collectingTracer();
  await assert.rejects(tracer.startActiveSpan('reject', async () => Promise.reject(new Error('nope'))), /nope/);
  assert.equal(processor.spans[0]!.statusCode, SpanStatusCode.ERROR);
  assert.equal(processor.spans[0]!.events[0]!.attributes!['exception.message'], 'nope');
});

test('withSpan runs fn with the span active and restores the previous one afterwards', () => {
  const { tracer } = collectingTracer();
  const a = tracer.startSpan('a');
  const b = tracer.startSpan('b');
  tracer.withSpan(a, () => {
    assert.equal(tracer.getActiveSpan(), a);
    tracer.withSpan(b, () => assert.equal(tracer.getActiveSpan(), b));
    assert.equal(tracer.getActiveSpan(), a);
  });
  assert.equal(tracer.getActiveSpan(), undefined);
  assert.throws(() => tracer.withSpan({} as never, () => 1), TypeError);
});

test('withSpan inside a request context keeps the request values visible', () => {
  const { tracer } = collectingTracer();
  context.run({ requestId: 'req-1' }, () => {
    const span = tracer.startSpan('s');
    tracer.withSpan(span, () => assert.equal(context.getRequestId(), 'req-1'));
  });
});

test('runWithTrace continues a remote trace: spans inside are its children', () => {
  const { tracer, processor } = collectingTracer();
  tracer.runWithTrace({ traceId: TRACE, spanId: SPAN }, () => {
    const ctx = tracer.getTraceContext()!;
    assert.equal(ctx.traceId, TRACE);
    assert.equal(ctx.spanId, SPAN);
    assert.equal(ctx.isRemote, true);
    assert.equal(ctx.sampled, true);
    tracer.startSpan('job').end();
  });
  assert.equal(processor.spans[0]!.traceId, TRACE);
  assert.equal(processor.spans[0]!.parentSpanId, SPAN);
  assert.equal(processor.spans[0]!.parentIsRemote, true);
});

test('runWithTrace with sampled: false keeps the trace unsampled under a parent-based sampler', () => {
  const { tracer, processor } = collectingTracer({ sampler: { type: 'parentbased_always_on' } });
  tracer.runWithTrace({ traceId: TRACE, spanId: SPAN, sampled: false, traceState: 'k=v' }, () => {
    const span = tracer.startSpan('job');
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceId, TRACE);
    assert.equal(span.spanContext().sampled, false);
    assert.equal(span.spanContext().traceState, 'k=v');
    span.end();
  });
  assert.equal(processor.spans.length, 0);
});

test('runWithTrace throws a TypeError naming the invalid field', () => {
  const { tracer } = collectingTracer();
  const cases: [unknown, RegExp][] = [
    [{ traceId: 'xyz', spanId: SPAN }, /traceId/],
    [{ traceId: '0'.repeat(32), spanId: SPAN }, /traceId/],
    [{ traceId: TRACE.toUpperCase(), spanId: SPAN }, /traceId/],
    [{ traceId: TRACE, spanId: '123' }, /spanId/],
    [{ traceId: TRACE, spanId: SPAN, sampled: 'yes' }, /sampled/],
    [{ traceId: TRACE, spanId: SPAN, traceState: 5 }, /traceState/],
    [null, /traceId/],
  ];
  for (const [seed, field] of cases) {
    assert.throws(
      () => tracer.runWithTrace(seed as never, () => 1),
      (err: unknown) => err instanceof TypeError && err instanceof TraceContextTypeError && field.test((err as Error).message),
      JSON.stringify(seed),
    );
  }
});

test('getTraceContext returns undefined with no active span', () => {
  const { tracer } = collectingTracer();
  assert.equal(tracer.getTraceContext(), undefined);
  context.run(() => assert.equal(tracer.getTraceContext(), undefined));
});

test('the global tracer is a disabled pass-through until set, then the module functions use the set tracer', () => {
  const initial = getGlobalTracer();
  assert.equal(initial.enabled, false);
  // disabled: propagation still works, nothing is recorded, the parent's ids pass through
  runWithTrace({ traceId: TRACE, spanId: SPAN }, () => {
    const span = startSpan('x');
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceId, TRACE);
    assert.equal(span.spanContext().spanId, SPAN);
    assert.equal(getTraceContext()!.traceId, TRACE);
  });
  const { tracer, processor } = collectingTracer();
  setGlobalTracer(tracer);
  try {
    assert.equal(getGlobalTracer(), tracer);
    startActiveSpan('g', (span) => {
      assert.ok(span instanceof RecordingSpan);
      assert.equal(getActiveSpan(), span);
      withSpan(span, () => startSpan('child').end());
    });
    assert.deepEqual(processor.spans.map((s) => s.name), ['child', 'g']);
  } finally {
    setGlobalTracer(initial);
  }
  assert.throws(() => setGlobalTracer({} as Tracer), TypeError);
});

test('JSON of a span is its ids only', () => {
  const { tracer } = collectingTracer();
  const span = tracer.startSpan('j');
  const json = JSON.parse(JSON.stringify(span)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json).sort(), ['isRemote', 'spanId', 'traceFlags', 'traceId']);
  span.end();
});
