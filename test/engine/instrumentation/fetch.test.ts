import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../../../engine/context/index.js';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { SpanKind, SpanStatusCode } from '../../../engine/spans/span-data.js';
import { closedPort, parseTraceparent, rawCount, startSink } from './helpers.js';
import { REMOTE_PARENT, RecordingTracer, UNSAMPLED_PARENT, inTrace } from './recording-tracer.js';

function enable(t: { after(fn: () => void): void }, tracer: RecordingTracer, extra: object = {}): void {
  const dispose = enableOutboundHttp({ tracer, ...extra });
  t.after(dispose);
}

test('fetch inside a trace carries a traceparent naming its own new client span', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const res = await inTrace(REMOTE_PARENT, () => fetch(`${sink.origin}/orders/7?x=1`));
  await res.text();

  assert.equal(sink.received.length, 1);
  const got = sink.received[0]!;
  assert.equal(rawCount(got, 'traceparent'), 1);
  const tp = parseTraceparent(got.headers.traceparent);
  assert.equal(tp.traceId, REMOTE_PARENT.traceId);
  assert.notEqual(tp.spanId, REMOTE_PARENT.spanId);
  assert.equal(tp.flags, '01');
  assert.equal(got.headers.tracestate, REMOTE_PARENT.traceState);

  assert.equal(tracer.spans.length, 1);
  const span = tracer.spans[0]!;
  assert.equal(span.context.spanId, tp.spanId);
  assert.equal(span.context.parentSpanId, REMOTE_PARENT.spanId);
  assert.equal(span.name, 'GET');
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.deepEqual(span.attributes, {
    'http.request.method': 'GET',
    'url.full': `${sink.origin}/orders/7?x=1`,
    'server.address': '127.0.0.1',
    'server.port': sink.port,
    'http.response.status_code': 200,
  });
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.equal(span.ended, true);
});

test('fetch outside any context, or in a context with no trace, is left untouched', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await (await fetch(`${sink.origin}/a`)).text();
  await context.run(async () => (await fetch(`${sink.origin}/b`)).text());
  assert.equal(sink.received.length, 2);
  for (const got of sink.received) assert.equal(got.headers.traceparent, undefined);
  assert.equal(tracer.spans.length, 0);
});

test('fetch from an unsampled trace propagates the flags off with a new span id, and records no attributes', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(UNSAMPLED_PARENT, async () => (await fetch(`${sink.origin}/u`)).text());
  const tp = parseTraceparent(sink.received[0]!.headers.traceparent);
  assert.equal(tp.traceId, UNSAMPLED_PARENT.traceId);
  assert.notEqual(tp.spanId, UNSAMPLED_PARENT.spanId);
  assert.equal(tp.flags, '00');
  assert.equal(tracer.spans[0]!.attributes['url.full'], undefined);
});

test('a fetch answered 5xx or 4xx ends its client span with error status', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(REMOTE_PARENT, async () => {
    await (await fetch(`${sink.origin}/status/503`, { method: 'POST', body: '{}' })).text();
    await (await fetch(`${sink.origin}/status/404`)).text();
    await (await fetch(`${sink.origin}/status/201`)).text();
  });
  const [s503, s404, s201] = tracer.spans;
  assert.equal(s503!.name, 'POST');
  assert.equal(s503!.attributes['http.response.status_code'], 503);
  assert.equal(s503!.status.code, SpanStatusCode.ERROR);
  assert.equal(s503!.attributes['error.type'], '503');
  assert.equal(s404!.status.code, SpanStatusCode.ERROR);
  assert.equal(s201!.status.code, SpanStatusCode.UNSET);
  assert.equal(s201!.attributes['error.type'], undefined);
});

test('a fetch that fails on the network ends its client span with error status and the exception', async (t) => {
  const port = await closedPort();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await assert.rejects(inTrace(REMOTE_PARENT, () => fetch(`http://127.0.0.1:${port}/x`)));
  assert.equal(tracer.spans.length, 1);
  const span = tracer.spans[0]!;
  assert.equal(span.ended, true);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(span.exceptions.length, 1);
  assert.equal(span.attributes['http.response.status_code'], undefined);
});

test('concurrent fetches from one trace each carry a distinct span id', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(REMOTE_PARENT, () =>
    Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`${sink.origin}/c/${i}`).then((r) => r.text()))),
  );
  const ids = sink.received.map((got) => parseTraceparent(got.headers.traceparent));
  assert.equal(new Set(ids.map((id) => id.spanId)).size, 8);
  for (const id of ids) assert.equal(id.traceId, REMOTE_PARENT.traceId);
  // Each call's header names the span recorded for that very call.
  for (const got of sink.received) {
    const span = tracer.spans.find((s) => s.attributes['url.full'] === sink.origin + got.url);
    assert.equal(span?.context.spanId, parseTraceparent(got.headers.traceparent).spanId);
  }
});

test('a traceparent the caller set on fetch is kept, never duplicated', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const own = '00-11111111111111111111111111111111-2222222222222222-01';
  await inTrace(REMOTE_PARENT, async () => (await fetch(sink.origin, { headers: { TraceParent: own } })).text());
  assert.equal(rawCount(sink.received[0]!, 'traceparent'), 1);
  assert.equal(sink.received[0]!.headers.traceparent, own);
});

test('after the disposer runs, fetch is no longer instrumented', async () => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  const dispose = enableOutboundHttp({ tracer });
  dispose();
  dispose();
  await inTrace(REMOTE_PARENT, async () => (await fetch(sink.origin)).text());
  assert.equal(sink.received[0]!.headers.traceparent, undefined);
  assert.equal(tracer.spans.length, 0);
});
