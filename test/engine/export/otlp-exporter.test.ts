// The OTLP/HTTP exporter against a real collector stand-in on 127.0.0.1: what goes on the
// wire (path, content types, headers, gzip, resource), configuration from options and
// OTEL_EXPORTER_OTLP_*, partial success, and every failure the issue lists: refused
// connections, 503 with Retry-After, 400, a collector that hangs past the timeout, a
// connection closed mid-body. In each: no unhandled rejection, stats say what happened,
// shutdown returns promptly.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline, type ExportPipeline } from '../../../engine/export/export-pipeline.js';
import { resolveOtlpConfig } from '../../../engine/export/otlp/otlp-exporter.js';
import { SDK_VERSION } from '../../../engine/export/resource.js';
import { refusedUrl, startSink, type Sink } from '../../helpers/sink.js';
import { decodeProtobufRequest, readJsonRequestStrict, traceResponseType } from './otlp-schema.js';
import { makeSpans, serverSpan } from './span-fixture.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejection in any test'));

function quietLogger(): { warn(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => lines.push(m) };
}

function pipelineTo(
  url: string,
  extra: { protocol?: 'http/json' | 'http/protobuf'; compression?: 'gzip' | 'none'; timeoutMs?: number; headers?: Record<string, string> } = {},
  env: Record<string, string> = {},
): ExportPipeline & { logger: { lines: string[] } } {
  const logger = quietLogger();
  const pipeline = createExportPipeline(
    {
      serviceName: 'orders',
      exporters: [{ type: 'otlp', endpoint: url, ...extra }],
      batch: { scheduledDelayMillis: 60_000, exportTimeoutMillis: 15_000 },
      logger,
    },
    env,
  );
  return { ...pipeline, logger };
}

async function withSink(fn: (sink: Sink) => Promise<void>): Promise<void> {
  const sink = await startSink();
  try {
    await fn(sink);
  } finally {
    await sink.close();
  }
}

function spansOf(decoded: any): any[] {
  return decoded.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
}

function resourceOf(decoded: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of decoded.resourceSpans[0].resource.attributes) out[kv.key] = Object.values(kv.value)[0];
  return out;
}

test('protobuf by default: POST /v1/traces, application/x-protobuf, the resource and every span', () =>
  withSink(async (sink) => {
    const p = pipelineTo(sink.url('/v1/traces'), { headers: { 'x-api-key': 'secret' } });
    const spans = makeSpans(3).map((_, i) => serverSpan(i));
    for (const s of spans) p.processor.onEnd(s);
    await p.forceFlush();
    assert.equal(sink.requests.length, 1);
    const req = sink.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/traces');
    assert.equal(req.headers['content-type'], 'application/x-protobuf');
    assert.equal(req.headers['x-api-key'], 'secret');
    const decoded = decodeProtobufRequest(req.body);
    assert.deepEqual(spansOf(decoded).map((s) => s.spanId), spans.map((s) => s.spanId));
    assert.deepEqual(resourceOf(decoded), {
      'service.name': 'orders',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'nestjs-trace-context',
      'telemetry.sdk.version': SDK_VERSION,
    });
    assert.equal((decoded as any).resourceSpans[0].scopeSpans[0].scope.name, 'nestjs-trace-context');
    assert.deepEqual({ ...p.stats(), exporters: [] }, { exported: 3, dropped: 0, failed: 0, retried: 0, queueLength: 0, queueDropped: 0, shutdownDropped: 0, exporters: [] });
    await p.shutdown();
  }));

test('http/json with gzip: content-encoding gzip, a body that reads strictly as OTLP/JSON', () =>
  withSink(async (sink) => {
    const p = pipelineTo(sink.url('/v1/traces'), { protocol: 'http/json', compression: 'gzip' });
    for (const s of makeSpans(4)) p.processor.onEnd(s);
    await p.forceFlush();
    const req = sink.requests[0]!;
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['content-encoding'], 'gzip');
    assert.ok(req.rawBody.length > 0 && req.rawBody[0] === 0x1f && req.rawBody[1] === 0x8b, 'gzip magic');
    assert.equal(spansOf(readJsonRequestStrict(req.body)).length, 4);
    await p.shutdown();
  }));

test('configuration from OTEL_EXPORTER_OTLP_*: base endpoint gets /v1/traces, _TRACES_ variables win, options win over both', () => {
  const log = quietLogger();
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%20def,x-tenant=one',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=two',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
  };
  const fromEnv = resolveOtlpConfig({ type: 'otlp' }, env, log, 'exporters[0]');
  assert.equal(fromEnv.url.href, 'http://collector:4318/v1/traces');
  assert.deepEqual(fromEnv.headers, { 'api-key': 'abc def', 'x-tenant': 'two' });
  assert.equal(fromEnv.protocol, 'http/json');
  assert.equal(fromEnv.compression, 'gzip');
  assert.equal(fromEnv.timeoutMs, 2500);
  assert.equal(resolveOtlpConfig({ type: 'otlp' }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/base/' }, log, 'e').url.href, 'http://c:4318/base/v1/traces');
  const specific = resolveOtlpConfig({ type: 'otlp' }, { ...env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/custom', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, log, 'e');
  assert.equal(specific.url.href, 'https://otlp.example.com/custom', 'the signal-specific endpoint is used as is');
  assert.equal(specific.protocol, 'http/protobuf');
  const options = resolveOtlpConfig({ type: 'otlp', endpoint: 'http://mine:1/v1/traces', protocol: 'http/protobuf', compression: 'none', timeoutMs: 99, headers: { 'X-Tenant': 'three' } }, env, log, 'e');
  assert.equal(options.url.href, 'http://mine:1/v1/traces');
  assert.equal(options.compression, 'none');
  assert.equal(options.timeoutMs, 99);
  assert.equal(options.headers['x-tenant'], 'three');
  const defaults = resolveOtlpConfig({ type: 'otlp' }, {}, log, 'e');
  assert.deepEqual([defaults.url.href, defaults.protocol, defaults.compression, defaults.timeoutMs], ['http://localhost:4318/v1/traces', 'http/protobuf', 'none', 10000]);
  // Bad env values warn and fall back; grpc is not spoken here.
  const fallback = resolveOtlpConfig({ type: 'otlp' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, log, 'e');
  assert.deepEqual([fallback.protocol, fallback.compression, fallback.url.href], ['http/protobuf', 'none', 'http://localhost:4318/v1/traces']);
  assert.ok(log.lines.some((l) => l.includes('grpc')) && log.lines.some((l) => l.includes('brotli')) && log.lines.some((l) => l.includes('not a url')));
});

test('bad OTLP options fail at startup naming the option and what is allowed', () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ protocol: 'grpc' }, /exporters\[0\]\.protocol: got "grpc", expected 'http\/protobuf' \| 'http\/json'/],
    [{ endpoint: 'ftp://x' }, /exporters\[0\]\.endpoint.*http:\/\/ or https:\/\/ URL/],
    [{ compression: 'zstd' }, /exporters\[0\]\.compression/],
    [{ timeoutMs: -1 }, /exporters\[0\]\.timeoutMs/],
    [{ headers: { 'bad header': 'x' } }, /exporters\[0\]\.headers/],
    [{ headers: { ok: 'line\nbreak' } }, /exporters\[0\]\.headers\.ok/],
  ];
  for (const [extra, message] of bad) {
    assert.throws(() => createExportPipeline({ exporters: [{ type: 'otlp', ...extra } as never] }, {}), { code: 'ERR_INVALID_OPTION', message }, JSON.stringify(extra));
  }
});

test('partial_success in a protobuf or JSON response counts the rejected spans as failed, without a retry', () =>
  withSink(async (sink) => {
    const response = traceResponseType();
    const protoBody = response.encode(response.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: 'attribute too long' } })).finish();
    sink.behave((req) =>
      req.headers['content-type'] === 'application/json'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"bad"}}' }
        : { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: protoBody },
    );
    const proto = pipelineTo(sink.url('/v1/traces'));
    for (const s of makeSpans(5)) proto.processor.onEnd(s);
    await proto.shutdown();
    const ps = proto.stats().exporters[0]!;
    assert.deepEqual([ps.exported, ps.rejected, ps.failed, ps.retried], [3, 2, 2, 0]);
    assert.ok(proto.logger.lines.some((l) => l.includes('rejected 2 spans: attribute too long')));
    const json = pipelineTo(sink.url('/v1/traces'), { protocol: 'http/json' });
    for (const s of makeSpans(5)) json.processor.onEnd(s);
    await json.shutdown();
    const js = json.stats().exporters[0]!;
    assert.deepEqual([js.exported, js.rejected, js.failed], [4, 1, 1]);
    assert.equal(sink.requests.length, 2);
  }));

test('503 with Retry-After: 1 is retried after one second and then delivered', () =>
  withSink(async (sink) => {
    const times: number[] = [];
    sink.behave((_req, index) => {
      times[index] = Date.now();
      return index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 };
    });
    const p = pipelineTo(sink.url('/v1/traces'));
    for (const s of makeSpans(3)) p.processor.onEnd(s);
    await p.forceFlush();
    assert.equal(sink.requests.length, 2);
    const waited = times[1]! - times[0]!;
    assert.ok(waited >= 950 && waited < 2000, `waited ${waited} ms`);
    const stats = p.stats();
    assert.deepEqual([stats.exported, stats.failed, stats.retried], [3, 0, 1]);
    await p.shutdown();
  }));

test('429 without Retry-After is retried with backoff; 400 is never retried', () =>
  withSink(async (sink) => {
    sink.behave((_req, index) => (index === 0 ? { status: 429 } : { status: 200 }));
    const retried = pipelineTo(sink.url('/v1/traces'));
    for (const s of makeSpans(2)) retried.processor.onEnd(s);
    await retried.forceFlush();
    assert.deepEqual([retried.stats().exported, retried.stats().retried], [2, 1]);
    await retried.shutdown();

    sink.behave(() => ({ status: 400, body: 'malformed' }));
    const before = sink.requests.length;
    const rejected = pipelineTo(sink.url('/v1/traces'));
    for (const s of makeSpans(2)) rejected.processor.onEnd(s);
    await rejected.forceFlush();
    assert.equal(sink.requests.length - before, 1, 'one request, no retry');
    assert.deepEqual([rejected.stats().exported, rejected.stats().failed, rejected.stats().retried], [0, 2, 0]);
    assert.ok(rejected.logger.lines.some((l) => l.includes('HTTP 400: malformed')));
    await rejected.shutdown();
  }));

test('a collector refusing connections: retried within the timeout, then failed; shutdown is prompt', async () => {
  const url = await refusedUrl('/v1/traces');
  const p = pipelineTo(url, { timeoutMs: 2000 });
  for (const s of makeSpans(4)) p.processor.onEnd(s);
  await p.forceFlush();
  const stats = p.stats();
  assert.equal(stats.failed, 4);
  assert.ok(stats.retried >= 1, `retried ${stats.retried}`);
  assert.ok(p.logger.lines.some((l) => /ECONNREFUSED/.test(l)), p.logger.lines.join('\n'));
  await p.shutdown();
  // A batch while the collector is down, under a 60 s export timeout: shutdown ends the retry
  // schedule at once. Had it kept retrying, the batch would still be in flight when the
  // processor's 15 s shutdown bound let go, so not yet counted failed (no wall-clock bound).
  const late = pipelineTo(url, { timeoutMs: 60_000 });
  for (const s of makeSpans(4)) late.processor.onEnd(s);
  await late.shutdown();
  assert.deepEqual([late.stats().failed, late.stats().retried], [4, 0]);
});

test('a collector that hangs past the timeout: the request is abandoned at the deadline, not retried', () =>
  withSink(async (sink) => {
    sink.behave(() => ({ hang: true }));
    const p = pipelineTo(sink.url('/v1/traces'), { timeoutMs: 300 });
    for (const s of makeSpans(2)) p.processor.onEnd(s);
    const started = Date.now();
    await p.forceFlush();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 280, `abandoned after ${elapsed} ms, before the 300 ms deadline`);
    // Counted failed when the flush returns: without the deadline the request would still hang
    // when the processor's 15 s flush bound let go (no wall-clock upper bound needed).
    assert.deepEqual([p.stats().failed, p.stats().retried], [2, 0]);
    assert.ok(p.logger.lines.some((l) => l.includes('timed out')));
    await p.shutdown();
    // Shutdown while a request hangs ends it now, not at its 60 s deadline: failed as soon as
    // shutdown returns (the processor's shutdown bound is 15 s).
    const hanging = pipelineTo(sink.url('/v1/traces'), { timeoutMs: 60_000 });
    for (const s of makeSpans(2)) hanging.processor.onEnd(s);
    void hanging.forceFlush();
    await sink.waitForRequests(2);
    await hanging.shutdown();
    // Ended by shutdown, not by a reply: counted as dropped for that reason.
    assert.deepEqual([hanging.stats().failed, hanging.stats().shutdownDropped], [0, 2]);
  }));

test('a connection closed mid-body is retried and the batch delivered', () =>
  withSink(async (sink) => {
    sink.behave((_req, index) => (index === 0 ? { closeMidBody: true } : { status: 200 }));
    const p = pipelineTo(sink.url('/v1/traces'));
    const spans = Array.from({ length: 512 }, (_, i) => serverSpan(i));
    for (const s of spans) p.processor.onEnd(s);
    await p.forceFlush();
    assert.equal(sink.attempts(), 2);
    assert.equal(sink.requests.length, 1, 'the first body never completed');
    assert.ok(sink.requests[0]!.body.length > 65536, 'the body spans several chunks');
    assert.equal(spansOf(decodeProtobufRequest(sink.requests[0]!.body)).length, 512);
    assert.deepEqual([p.stats().exported, p.stats().failed, p.stats().retried], [512, 0, 1]);
    await p.shutdown();
  }));

test('shutdown delivers every span ended before it to a healthy collector', () =>
  withSink(async (sink) => {
    const logger = quietLogger();
    const p = createExportPipeline(
      { exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces') }], batch: { maxExportBatchSize: 100, maxQueueSize: 2048 }, logger },
      {},
    );
    const spans = makeSpans(1500);
    for (const s of spans) p.processor.onEnd(s);
    await p.shutdown();
    const ids = sink.requests.flatMap((r) => spansOf(decodeProtobufRequest(r.body)).map((s) => s.spanId));
    assert.equal(ids.length, 1500);
    assert.deepEqual(new Set(ids), new Set(spans.map((s) => s.spanId)));
    assert.ok(sink.requests.every((r) => spansOf(decodeProtobufRequest(r.body)).length <= 100));
    assert.deepEqual([p.stats().exported, p.stats().dropped, p.stats().failed], [1500, 0, 0]);
    assert.ok(spans.every((s) => s.releases === 1));
  }));
