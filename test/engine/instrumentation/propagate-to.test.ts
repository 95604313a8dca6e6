import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { httpCall, startSink } from './helpers.js';
import { REMOTE_PARENT, RecordingTracer, inTrace } from './recording-tracer.js';

async function callBoth(origin: string): Promise<void> {
  await inTrace(REMOTE_PARENT, async () => {
    await (await fetch(`${origin}/f`)).text();
    await httpCall(`${origin}/h`);
  });
}

test('propagateTo false: no traceparent, tracestate or other header is sent, but client spans are still recorded', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  t.after(enableOutboundHttp({ tracer, propagateTo: false }));
  await callBoth(sink.origin);
  for (const got of sink.received) {
    assert.equal(got.headers.traceparent, undefined);
    assert.equal(got.headers.tracestate, undefined);
  }
  assert.equal(tracer.spans.length, 2);
  assert.ok(tracer.spans.every((s) => s.ended && s.attributes['http.response.status_code'] === 200));
});

test('propagateTo list: only listed origins receive headers (default ports may be written either way)', async (t) => {
  const sink = await startSink();
  const other = await startSink();
  const tracer = new RecordingTracer();
  t.after(enableOutboundHttp({ tracer, propagateTo: [`${sink.origin}/`, 'https://api.example.com:443'] }));
  await callBoth(sink.origin);
  await callBoth(other.origin);
  for (const got of sink.received) assert.equal(typeof got.headers.traceparent, 'string');
  for (const got of other.received) {
    assert.equal(got.headers.traceparent, undefined);
    assert.equal(got.headers.tracestate, undefined);
  }
});

test('propagateTo predicate sees url.full and the origin of each call', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  const seen: [string, string][] = [];
  t.after(
    enableOutboundHttp({
      tracer,
      propagateTo: (url, origin) => {
        seen.push([url, origin]);
        return url.endsWith('/f');
      },
    }),
  );
  await callBoth(sink.origin);
  assert.deepEqual(seen, [
    [`${sink.origin}/f`, sink.origin],
    [`${sink.origin}/h`, sink.origin],
  ]);
  assert.equal(typeof sink.received[0]!.headers.traceparent, 'string');
  assert.equal(sink.received[1]!.headers.traceparent, undefined);
});

test('a propagateTo predicate that throws sends no headers and does not fail the call', async (t) => {
  const sink = await startSink();
  t.after(
    enableOutboundHttp({
      tracer: new RecordingTracer(),
      propagateTo: () => {
        throw new Error('boom');
      },
    }),
  );
  await callBoth(sink.origin);
  assert.equal(sink.received.length, 2);
  for (const got of sink.received) assert.equal(got.headers.traceparent, undefined);
});

test('bad options fail at enable time with ERR_INVALID_OPTION naming the option', () => {
  const tracer = new RecordingTracer();
  const cases: [unknown, RegExp][] = [
    [undefined, /outboundHttp: got undefined/],
    [{}, /outboundHttp\.tracer/],
    [{ tracer, propagator: {} }, /outboundHttp\.propagator/],
    [{ tracer, propagateTo: 'https://a.example' }, /outboundHttp\.propagateTo: got "https:\/\/a\.example"/],
    [{ tracer, propagateTo: ['https://a.example/path'] }, /outboundHttp\.propagateTo\[0\]/],
    [{ tracer, propagateTo: ['not a url'] }, /outboundHttp\.propagateTo\[0\]/],
    [{ tracer, propagateTo: ['ftp://a.example'] }, /outboundHttp\.propagateTo\[0\]/],
    [{ tracer, fetch: 'yes' }, /outboundHttp\.fetch/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => enableOutboundHttp(options as never), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_INVALID_OPTION');
      assert.ok(error instanceof TypeError);
      assert.match(error.message, message);
      return true;
    });
  }
});
