import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { context } from '../../../engine/context/index.js';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { SpanKind, SpanStatusCode } from '../../../engine/spans/span-data.js';
import { closedPort, httpCall, parseTraceparent, rawCount, startSink } from './helpers.js';
import { REMOTE_PARENT, RecordingTracer, inTrace } from './recording-tracer.js';

function enable(t: { after(fn: () => void): void }, tracer: RecordingTracer): void {
  t.after(enableOutboundHttp({ tracer }));
}

test('node:http inside a trace carries a traceparent naming its own new client span', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const status = await inTrace(REMOTE_PARENT, () =>
    httpCall(`${sink.origin}/orders/7`, { method: 'POST', headers: { 'content-type': 'application/json' } }, '{"a":1}'),
  );
  assert.equal(status, 200);
  const got = sink.received[0]!;
  assert.equal(got.body, '{"a":1}');
  assert.equal(rawCount(got, 'traceparent'), 1);
  const tp = parseTraceparent(got.headers.traceparent);
  assert.equal(tp.traceId, REMOTE_PARENT.traceId);
  assert.notEqual(tp.spanId, REMOTE_PARENT.spanId);
  assert.equal(got.headers.tracestate, REMOTE_PARENT.traceState);

  const span = tracer.spans[0]!;
  assert.equal(span.context.spanId, tp.spanId);
  assert.equal(span.name, 'POST');
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.deepEqual(span.attributes, {
    'http.request.method': 'POST',
    'url.full': `${sink.origin}/orders/7`,
    'server.address': '127.0.0.1',
    'server.port': sink.port,
    'http.response.status_code': 200,
  });
  assert.equal(span.ended, true);
});

test('node:http is covered with every agent: the global one, agent:false and a keep-alive agent', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const keepAlive = new http.Agent({ keepAlive: true });
  t.after(() => keepAlive.destroy());
  await inTrace(REMOTE_PARENT, async () => {
    await httpCall(`${sink.origin}/global`);
    await httpCall(`${sink.origin}/none`, { agent: false });
    await httpCall(`${sink.origin}/ka1`, { agent: keepAlive });
    await httpCall(`${sink.origin}/ka2`, { agent: keepAlive });
  });
  assert.equal(sink.received.length, 4);
  const spanIds = sink.received.map((got) => parseTraceparent(got.headers.traceparent).spanId);
  assert.equal(new Set(spanIds).size, 4);
  assert.deepEqual(tracer.spans.map((s) => s.context.spanId), spanIds);
});

test('url.full never carries the credentials of a node:http URL', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(REMOTE_PARENT, () => httpCall(`http://ada:secret@127.0.0.1:${sink.port}/private`));
  assert.equal(sink.received[0]!.headers.authorization, 'Basic ' + Buffer.from('ada:secret').toString('base64'));
  assert.equal(tracer.spans[0]!.attributes['url.full'], `${sink.origin}/private`);
});

test('node:http outside any context, or in a context with no trace, is left untouched', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await httpCall(`${sink.origin}/a`);
  await context.run(() => httpCall(`${sink.origin}/b`));
  for (const got of sink.received) assert.equal(got.headers.traceparent, undefined);
  assert.equal(tracer.spans.length, 0);
});

test('node:http answered 5xx ends its client span with error status', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(REMOTE_PARENT, () => httpCall(`${sink.origin}/status/500`));
  const span = tracer.spans[0]!;
  assert.equal(span.attributes['http.response.status_code'], 500);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
});

test('node:http that fails on the network ends its client span with error status and the exception', async (t) => {
  const port = await closedPort();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await assert.rejects(inTrace(REMOTE_PARENT, () => httpCall(`http://127.0.0.1:${port}/x`)), { code: 'ECONNREFUSED' });
  const span = tracer.spans[0]!;
  assert.equal(span.ended, true);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'ECONNREFUSED');
  assert.equal(span.exceptions.length, 1);
});

test('concurrent node:http calls from one trace each carry a distinct span id', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  await inTrace(REMOTE_PARENT, () => Promise.all(Array.from({ length: 8 }, (_, i) => httpCall(`${sink.origin}/c/${i}`))));
  const ids = sink.received.map((got) => parseTraceparent(got.headers.traceparent));
  assert.equal(new Set(ids.map((id) => id.spanId)).size, 8);
  for (const got of sink.received) {
    const span = tracer.spans.find((s) => s.attributes['url.full'] === sink.origin + got.url);
    assert.equal(span?.context.spanId, parseTraceparent(got.headers.traceparent).spanId);
  }
});

test('a traceparent the caller set on node:http is kept; raw-array headers are sent as given', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const own = '00-11111111111111111111111111111111-2222222222222222-01';
  await inTrace(REMOTE_PARENT, async () => {
    await httpCall(sink.origin + '/own', { headers: { traceparent: own } });
    await httpCall(sink.origin + '/raw', { headers: ['host', `127.0.0.1:${sink.port}`, 'x-raw', '1'] as unknown as http.OutgoingHttpHeaders });
  });
  assert.equal(rawCount(sink.received[0]!, 'traceparent'), 1);
  assert.equal(sink.received[0]!.headers.traceparent, own);
  // A raw header array is serialised in the ClientRequest constructor: nothing can be added,
  // but the call still succeeds and still gets its client span.
  assert.equal(sink.received[1]!.headers['x-raw'], '1');
  assert.equal(tracer.spans.length, 2);
  assert.equal(tracer.spans[1]!.attributes['http.response.status_code'], 200);
});

test('the disposer restores http.Agent.prototype.addRequest', () => {
  // addRequest is public runtime API that @types/node does not declare.
  const proto = http.Agent.prototype as unknown as { addRequest: unknown };
  const before = proto.addRequest;
  const dispose = enableOutboundHttp({ tracer: new RecordingTracer() });
  assert.notEqual(proto.addRequest, before);
  dispose();
  assert.equal(proto.addRequest, before);
});

test('requests through an exporter\'s agent (marked by engine/export) are never traced, even inside a trace', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  enable(t, tracer);
  const agent = new http.Agent();
  Object.defineProperty(agent, Symbol.for('nestjs-trace-context.export-agent'), { value: true });
  t.after(() => agent.destroy());
  await inTrace(REMOTE_PARENT, () => httpCall(`${sink.origin}/v1/traces`, { method: 'POST', agent }, '{}'));
  assert.equal(sink.received[0]!.headers.traceparent, undefined);
  assert.equal(tracer.spans.length, 0);
});
