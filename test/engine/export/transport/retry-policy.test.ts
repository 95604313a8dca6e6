// The OTLP retry rules (specification/protocol/exporter.md "Retry", otlp/docs/specification.md
// "OTLP/HTTP Throttling") as the transport applies them: which statuses are retried, how a
// Retry-After value is read (delta-seconds or HTTP-date, RFC 9110 §10.2.3), and the exponential
// backoff with jitter. The HTTP fault tests cover 503, 429 and 400 end to end; these pin the rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffMs, isRetryableStatus, parseRetryAfter } from '../../../../engine/export/transport/retry-policy.js';
import { HttpTransport } from '../../../../engine/export/transport/http-transport.js';

test('only 429, 502, 503 and 504 are retryable statuses; other 4xx and 5xx are not', () => {
  const retryable: number[] = [];
  for (let status = 100; status < 600; status++) if (isRetryableStatus(status)) retryable.push(status);
  assert.deepEqual(retryable, [429, 502, 503, 504]);
});

test('Retry-After: delta-seconds, an HTTP-date relative to now, and unreadable values', () => {
  const now = Date.parse('Sun, 06 Nov 1994 08:49:37 GMT');
  assert.equal(parseRetryAfter('1', now), 1000);
  assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:40 GMT', now), 3000);
  assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:30 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfter('Sunday, 06-Nov-94 08:49:47 GMT', now), 10_000, 'RFC 850 form');
  assert.equal(parseRetryAfter('Sun Nov  6 08:49:38 1994', now), 1000, 'asctime form');
  // Malformed values are ignored (backoff applies); Date.parse alone would read them as dates.
  for (const bad of [undefined, '', '   ', '1.5', '-1', 'soon', '10s', '1-1-2030', '1994-11-06T08:49:40Z', 'Sunny']) {
    assert.equal(parseRetryAfter(bad, now), -1, String(bad));
  }
});

test('backoff grows x1.5 from 1 s, caps at 5 s, and jitters within ±20%', () => {
  const base = [1000, 1500, 2250, 3375, 5000, 5000];
  for (let retry = 1; retry <= base.length; retry++) {
    const b = base[retry - 1]!;
    assert.equal(backoffMs(retry, () => 0.5), b, `retry ${retry} without jitter`);
    assert.equal(backoffMs(retry, () => 0), Math.round(b * 0.8), `retry ${retry} lowest`);
    assert.equal(backoffMs(retry, () => 0.999999), Math.round(b * 1.2 - b * 0.4 * 0.000001), `retry ${retry} highest`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const ms = backoffMs(2);
    assert.ok(ms >= 1200 && ms <= 1800, String(ms));
    seen.add(ms);
  }
  assert.ok(seen.size > 20, 'Math.random jitter spreads the retries');
});

test('an export makes at most five attempts against a collector that keeps answering 503', async () => {
  let requests = 0;
  // Retry-After: 0 keeps the test fast; the transport still counts every attempt.
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.writeHead(503, { 'retry-after': '0' }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const transport = new HttpTransport({ url: new URL(`http://127.0.0.1:${port}/v1/traces`), headers: {}, contentType: 'application/x-protobuf', gzip: false });
  try {
    const result = await transport.post(Buffer.from('spans'), 60_000);
    assert.equal(result.status, 503);
    assert.equal(result.retries, 4);
    assert.equal(requests, 5, 'five requests reached the collector, then the transport gave up');
    assert.ok(result.error !== null);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
