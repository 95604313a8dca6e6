// The OTLP metrics exporter against a real HTTP sink on 127.0.0.1: path, content types,
// headers and endpoints from OTEL_* variables, gzip, retries, failures that never throw,
// delta between exports, the periodic timer and an idempotent shutdown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { OtlpMetricsExporter, RedMetrics, SpanKind } from '../../../engine/index.js';
import { decodeMetricsProto, keepingAlive, startSink } from './helpers.js';

function logger(): { warn(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => void lines.push(m) };
}

type Body = { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics?: Array<{ name: string; sum?: { dataPoints: Array<{ asInt: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }; histogram?: { dataPoints: Array<{ count: string; bucketCounts: string[] }> } }> }> }> };

function requestCounts(body: Body): Record<string, number> {
  const out: Record<string, number> = {};
  const requests = body.resourceMetrics[0]!.scopeMetrics[0]!.metrics?.find((m) => m.name === 'ntc.requests');
  for (const p of requests?.sum?.dataPoints ?? []) {
    const attr = (k: string): string => p.attributes.find((a) => a.key === k)!.value.stringValue!;
    out[`${attr('route')} ${attr('span_kind')} ${attr('status_class')}`] = Number(p.asInt);
  }
  return out;
}

test('protobuf export: POST /v1/metrics with application/x-protobuf and OTEL_EXPORTER_OTLP_HEADERS, body decodes to the exact counts', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const agg = new RedMetrics({ serviceName: 'orders' });
  for (let i = 0; i < 300; i++) agg.record(i % 3 === 0 ? '/a' : '/b', SpanKind.SERVER, i % 10 === 0 ? 500 : 200, i % 10 === 0, i);
  const exporter = new OtlpMetricsExporter(agg, {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.origin, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr%20et, x-team = core ' },
    headers: { 'X-Extra': 'yes' },
    intervalMs: 0,
  });
  const result = await exporter.forceFlush();
  assert.deepEqual(result, { ok: true, status: 200, attempts: 1, error: '' });
  assert.equal(sink.requests.length, 1);
  const req = sink.requests[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/v1/metrics');
  assert.equal(req.headers['content-type'], 'application/x-protobuf');
  assert.equal(req.headers['api-key'], 's3cr et');
  assert.equal(req.headers['x-team'], 'core');
  assert.equal(req.headers['x-extra'], 'yes');
  assert.deepEqual(requestCounts(decodeMetricsProto(req.body) as Body), {
    '/a server 2xx': 90,
    '/a server 5xx': 10,
    '/b server 2xx': 180,
    '/b server 5xx': 20,
  });
});

test('JSON export chosen by OTEL_EXPORTER_OTLP_METRICS_PROTOCOL to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (used as is), gzip by OTEL_EXPORTER_OTLP_COMPRESSION', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const agg = new RedMetrics({ serviceName: 'svc' });
  agg.record('/x', SpanKind.CLIENT, 204, false, 1);
  const exporter = new OtlpMetricsExporter(agg, {
    env: {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${sink.origin}/custom/path`,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored.invalid:1',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    },
  });
  assert.equal((await exporter.forceFlush()).ok, true);
  const req = sink.requests[0]!;
  assert.equal(req.url, '/custom/path');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers['content-encoding'], 'gzip');
  const body = JSON.parse(gunzipSync(req.body).toString('utf8')) as Body;
  assert.deepEqual(requestCounts(body), { '/x client 2xx': 1 });
});

test('a base endpoint with a path gets /v1/metrics appended with one slash', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  for (const base of [`${sink.origin}/otlp`, `${sink.origin}/otlp/`]) {
    const exporter = new OtlpMetricsExporter(new RedMetrics({ serviceName: 's' }), { env: { OTEL_EXPORTER_OTLP_ENDPOINT: base } });
    await exporter.forceFlush();
  }
  assert.deepEqual(sink.requests.map((r) => r.url), ['/otlp/v1/metrics', '/otlp/v1/metrics']);
});

test('503 with Retry-After is retried; 400 is not retried, counted and logged; the promise never rejects', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const log = logger();
  const agg = new RedMetrics({ serviceName: 's' });
  agg.record('/r', SpanKind.SERVER, 200, false, 1);
  const exporter = new OtlpMetricsExporter(agg, { endpoint: `${sink.origin}/v1/metrics`, logger: log });
  t.after(() => exporter.shutdown());
  sink.replies.push({ status: 503, headers: { 'retry-after': '0' } }, { status: 429 });
  const ok = await keepingAlive(exporter.forceFlush());
  assert.deepEqual(ok, { ok: true, status: 200, attempts: 3, error: '' });
  assert.equal(sink.requests.length, 3);

  sink.replies.push({ status: 400 });
  const bad = await exporter.forceFlush();
  assert.equal(bad.ok, false);
  assert.equal(bad.status, 400);
  assert.equal(bad.attempts, 1);
  assert.equal(sink.requests.length, 4);
  assert.deepEqual(exporter.stats, { exports: 2, failures: 1, skipped: 0 });
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!, /HTTP 400/);
});

test('a collector that is down yields a failed result within the timeout, not an exception', async () => {
  const sink = await startSink();
  const origin = sink.origin;
  await sink.close(); // nothing listens on this port now
  const log = logger();
  const exporter = new OtlpMetricsExporter(new RedMetrics({ serviceName: 's' }), {
    endpoint: `${origin}/v1/metrics`,
    logger: log,
    timeoutMs: 2000,
  });
  const result = await keepingAlive(exporter.forceFlush());
  assert.equal(result.ok, false);
  assert.equal(result.status, 0);
  // Refused, then one retry after ~1 s backoff; the next backoff (~1.5 s) would pass the 2 s timeout.
  assert.equal(result.attempts, 2);
  assert.match(result.error, /ECONNREFUSED/);
  assert.equal(log.lines.length, 1);
});

test('delta temporality (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE) sends only the change since the last export', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const agg = new RedMetrics({ serviceName: 's' });
  const exporter = new OtlpMetricsExporter(agg, {
    endpoint: `${sink.origin}/v1/metrics`,
    env: { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta' },
  });
  assert.equal(exporter.config.temporality, 'delta');
  for (let i = 0; i < 5; i++) agg.record('/d', SpanKind.SERVER, 200, false, 1);
  await exporter.forceFlush();
  for (let i = 0; i < 3; i++) agg.record('/d', SpanKind.SERVER, 200, false, 1);
  await exporter.forceFlush();
  const bodies = sink.requests.map((r) => decodeMetricsProto(r.body) as Body);
  assert.deepEqual(bodies.map(requestCounts), [{ '/d server 2xx': 5 }, { '/d server 2xx': 3 }]);
});

test('the periodic export runs on its interval, and shutdown is idempotent with a last export', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const agg = new RedMetrics({ serviceName: 's' });
  agg.record('/p', SpanKind.SERVER, 200, false, 1);
  const exporter = new OtlpMetricsExporter(agg, { endpoint: `${sink.origin}/v1/metrics`, intervalMs: 30 }).start();
  const deadline = Date.now() + 3000;
  while (sink.requests.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(sink.requests.length >= 2, `only ${sink.requests.length} periodic exports in 3 s`);
  agg.record('/p', SpanKind.SERVER, 200, false, 1);
  const first = exporter.shutdown();
  assert.equal(exporter.shutdown(), first);
  assert.equal((await first).ok, true);
  const after = sink.requests.length;
  assert.deepEqual(requestCounts(decodeMetricsProto(sink.requests[after - 1]!.body) as Body), { '/p server 2xx': 2 });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(sink.requests.length, after, 'no export after shutdown');
});

test('a started exporter does not keep the process alive', () => {
  const engine = new URL('../../../engine/index.js', import.meta.url).href;
  const script =
    `import { OtlpMetricsExporter, RedMetrics } from ${JSON.stringify(engine)};` +
    `new OtlpMetricsExporter(new RedMetrics({ serviceName: 's' }), { endpoint: 'http://127.0.0.1:9/v1/metrics', intervalMs: 60000 }).start();` +
    `console.log('started');`;
  // Killed short of the 60 s interval, not sooner: a loaded machine can take seconds to start a child.
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
  assert.equal(child.signal, null, 'the child had to be killed: the export timer held it open');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 'started');
});
