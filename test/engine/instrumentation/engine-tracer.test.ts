// The instrumentation on the engine's own Tracer and propagators (not the test tracer): the
// client span reaches the span processor with its attributes, and an unsampled request, whose
// children the tracer folds into one shared non-recording span, still sends a new parent-id
// per call.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWithSpan } from '../../../engine/context/index.js';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { createPropagator } from '../../../engine/propagation/create-propagator.js';
import { SpanKind, SpanStatusCode, type SpanData } from '../../../engine/spans/span-data.js';
import type { SpanProcessor } from '../../../engine/spans/span-processor.js';
import { Tracer } from '../../../engine/spans/tracer.js';
import { parseTraceparent, startSink } from './helpers.js';

interface Copied {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  statusCode: number;
  attributes: Record<string, unknown>;
}

function collecting(): SpanProcessor & { spans: Copied[] } {
  const spans: Copied[] = [];
  return {
    spans,
    onEnd(span: SpanData): void {
      const attributes: Record<string, unknown> = {};
      for (let i = 0; i < span.attributeCount; i++) attributes[span.attributeKeys[i]!] = span.attributeValues[i];
      spans.push({ name: span.name, kind: span.kind, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, statusCode: span.statusCode, attributes });
      span.release();
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

test('with the engine Tracer, a sampled request\'s fetch makes a CLIENT span child of the server span', async (t) => {
  const sink = await startSink();
  const processor = collecting();
  const tracer = new Tracer({ processor, sampler: { type: 'always_on' } });
  t.after(enableOutboundHttp({ tracer, propagator: createPropagator({ inject: ['w3c', 'b3'] }) }));
  const server = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER });
  await runWithSpan(server, async () => (await fetch(`${sink.origin}/status/502`)).text());
  server.end();

  const got = sink.received[0]!;
  const tp = parseTraceparent(got.headers.traceparent);
  assert.equal(got.headers.b3, `${tp.traceId}-${tp.spanId}-1`, 'every configured format is injected');
  const client = processor.spans.find((s) => s.kind === SpanKind.CLIENT)!;
  assert.equal(client.spanId, tp.spanId);
  assert.equal(client.parentSpanId, server.spanContext().spanId);
  assert.equal(client.name, 'GET');
  assert.equal(client.statusCode, SpanStatusCode.ERROR);
  assert.equal(client.attributes['http.response.status_code'], 502);
  assert.equal(client.attributes['url.full'], `${sink.origin}/status/502`);
});

test('with the engine Tracer, concurrent calls of an unsampled request carry distinct new parent-ids', async (t) => {
  const sink = await startSink();
  const processor = collecting();
  const tracer = new Tracer({ processor, sampler: { type: 'always_off' } });
  t.after(enableOutboundHttp({ tracer }));
  const server = tracer.startSpan('GET /x', { kind: SpanKind.SERVER });
  await runWithSpan(server, () => Promise.all([1, 2, 3].map((i) => fetch(`${sink.origin}/${i}`).then((r) => r.text()))));
  const ids = sink.received.map((got) => parseTraceparent(got.headers.traceparent));
  assert.equal(new Set(ids.map((id) => id.spanId)).size, 3);
  for (const id of ids) {
    assert.equal(id.traceId, server.spanContext().traceId);
    assert.notEqual(id.spanId, server.spanContext().spanId);
    assert.equal(id.flags, '02', 'unsampled, random flag kept');
  }
  assert.equal(processor.spans.length, 0, 'nothing recorded for an unsampled request');
});
