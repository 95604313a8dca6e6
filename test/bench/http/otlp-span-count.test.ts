// The sink's span counter against bodies OpenTelemetry's own serializer produces, and against
// the real OTLP/HTTP protobuf exporter posting to the real sink process.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { countJsonSpans, countProtobufSpans } from '../../../bench/http/otlp-span-count.js';
import { PinnedProcess } from '../../../bench/http/pinned-process.js';
import type { SinkCounts } from '../../../bench/http/sink.js';

function finishedSpans(n: number, scopes = 1): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  for (let i = 0; i < n; i++) {
    const span = provider.getTracer(`scope-${i % scopes}`).startSpan(`GET /orders/${i}`, { attributes: { 'http.route': '/orders/:id', n: i } });
    span.addEvent('checkpoint', { at: i });
    span.end();
  }
  return memory.getFinishedSpans();
}

test('counts every span of an OTLP protobuf export request, across scopes', () => {
  for (const [n, scopes] of [[0, 1], [1, 1], [7, 3], [512, 4]] as const) {
    const body = ProtobufTraceSerializer.serializeRequest(finishedSpans(n, scopes));
    assert.ok(body !== undefined);
    assert.equal(countProtobufSpans(body), n, `${n} spans in ${scopes} scopes`);
  }
});

test('counts every span of an OTLP JSON export request', () => {
  const body = JsonTraceSerializer.serializeRequest(finishedSpans(9, 2));
  assert.ok(body !== undefined);
  assert.equal(countJsonSpans(new TextDecoder().decode(body)), 9);
});

test('a truncated or foreign body is reported as not countable (-1), never miscounted', () => {
  const body = ProtobufTraceSerializer.serializeRequest(finishedSpans(5))!;
  assert.equal(countProtobufSpans(body.subarray(0, body.length - 3)), -1);
  assert.equal(countProtobufSpans(Uint8Array.of(0x0a, 0x80)), -1);
  assert.equal(countProtobufSpans(Uint8Array.of(0x0b)), -1); // wire type 3 (group) is not OTLP
  assert.equal(countJsonSpans('{"resourceSpans":'), -1);
  assert.equal(countJsonSpans('{"other":1}'), -1);
});

test('the sink process counts what the OpenTelemetry OTLP proto exporter sends, per scenario path', async (t) => {
  const sink = new PinnedProcess({ script: fileURLToPath(new URL('../../../bench/http/sink.js', import.meta.url)), cpu: null });
  t.after(() => sink.stop(5_000));
  const { port } = await sink.waitFor<{ type: 'ready'; port: number }>('ready', 10_000);
  const exportTo = (scenario: string, spans: ReadableSpan[]): Promise<void> => {
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/${scenario}/v1/traces` });
    return new Promise<void>((resolve, reject) => {
      exporter.export(spans, (result) => (result.code === 0 ? resolve() : reject(result.error ?? new Error('export failed'))));
    }).finally(() => exporter.shutdown());
  };
  await exportTo('ntc-100', finishedSpans(40, 2));
  await exportTo('ntc-100', finishedSpans(2));
  await exportTo('otel-100', finishedSpans(3));
  const counts = await sink.ask<SinkCounts>({ type: 'counts' }, 'counts', 5_000);
  assert.deepEqual(counts.spans, { 'ntc-100': 42, 'otel-100': 3 });
  assert.deepEqual(counts.exports, { 'ntc-100': 2, 'otel-100': 1 });
  assert.deepEqual(counts.bad, {});
});
