// url.full on client spans follows the HTTP semantic conventions: the values of sensitive
// query parameters (AWSAccessKeyId, Signature, sig, X-Goog-Signature, plus a configured list)
// become REDACTED, userinfo becomes REDACTED:REDACTED; the request itself is sent unchanged.

import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { urlFull, DEFAULT_SENSITIVE_QUERY_PARAMS, resolveSensitiveQueryParams } from '../../../engine/instrumentation/url-full.js';
import { startSink } from './helpers.js';
import { REMOTE_PARENT, RecordingTracer, UNSAMPLED_PARENT, inTrace } from './recording-tracer.js';

const SIGNED = '/bucket/key.tar?AWSAccessKeyId=AKIAEXAMPLE&Expires=1700000000&Signature=c2VjcmV0&token=t0k&sig=abc&X-Goog-Signature=def&keep=1#frag';

test('fetch and node:http client spans carry url.full with signatures and configured params REDACTED; the server gets the real URL', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  t.after(enableOutboundHttp({ tracer, sensitiveQueryParams: ['token'] }));
  await inTrace(REMOTE_PARENT, async () => {
    await (await fetch(`${sink.origin}${SIGNED}`)).text();
    await new Promise<void>((resolve, reject) => {
      http.get(`${sink.origin}${SIGNED.slice(0, SIGNED.indexOf('#'))}`, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  });
  assert.equal(sink.received.length, 2);
  assert.equal(sink.received[0]!.url, SIGNED.slice(0, SIGNED.indexOf('#')), 'the call itself is unchanged');
  const expected = `${sink.origin}/bucket/key.tar?AWSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED&token=REDACTED&sig=REDACTED&X-Goog-Signature=REDACTED&keep=1`;
  assert.deepEqual(
    tracer.spans.map((s) => s.attributes['url.full']),
    [expected, expected],
  );
});

test('an unsampled call records no url.full (no redaction work either)', async (t) => {
  const sink = await startSink();
  const tracer = new RecordingTracer();
  t.after(enableOutboundHttp({ tracer }));
  await inTrace(UNSAMPLED_PARENT, async () => (await fetch(`${sink.origin}${SIGNED}`)).text());
  assert.equal(tracer.spans.length, 1);
  assert.equal(tracer.spans[0]!.attributes['url.full'], undefined);
});

test('urlFull: userinfo, empty and valueless parameters, fragments, and paths without a query', () => {
  const names = resolveSensitiveQueryParams(undefined, 'x');
  assert.deepEqual([...names], [...DEFAULT_SENSITIVE_QUERY_PARAMS]);
  assert.equal(urlFull('http://h', '/p', names), 'http://h/p');
  assert.equal(urlFull('http://user:pw@h:81', '/p?sig=1', names), 'http://REDACTED:REDACTED@h:81/p?sig=REDACTED');
  assert.equal(urlFull('http://h', '/p?sig&Signature=&a=1&&sig=x#sig=2', names), 'http://h/p?sig&Signature=REDACTED&a=1&&sig=REDACTED#sig=2');
  assert.equal(urlFull('http://h', '/p?signature=lowercase-is-another-name', names), 'http://h/p?signature=lowercase-is-another-name');
  assert.throws(() => resolveSensitiveQueryParams('token', 'outboundHttp.sensitiveQueryParams'), /outboundHttp\.sensitiveQueryParams: got "token"/);
  assert.throws(() => resolveSensitiveQueryParams([''], 'outboundHttp.sensitiveQueryParams'), /outboundHttp\.sensitiveQueryParams\[0\]/);
});
