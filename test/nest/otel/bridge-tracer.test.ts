// The bridge tracer and propagator the Nest layer uses in 'otel' mode, driven directly against
// a registered tracer provider (NodeTracerProvider on SDK 2.x, TracerProvider on 3.x): parents, roots, links, times, exceptions, activation in
// OpenTelemetry's context, flushing, and hostile carriers. Its own process (global provider).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { propagation, trace, SpanStatusCode as OtelStatus } from '@opentelemetry/api';
import { batchProcessor, InMemorySpanExporter, type ReadableSpan, registerProvider } from './sdk.js';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import {
  OtelBridgeSpan,
  OtelBridgeTracer,
  OtelPropagator,
  SpanKind,
  SpanStatusCode,
  TraceContext,
  loadOtelApi,
  type OtelApi,
} from '../../../engine/index.js';

const exporter = new InMemorySpanExporter();
await registerProvider({ spanProcessors: [batchProcessor(exporter, { scheduledDelayMillis: 60_000 })] });
const api = loadOtelApi() as OtelApi;
const tracer = new OtelBridgeTracer(api);
const propagator = new OtelPropagator(api);

async function finished(): Promise<Map<string, ReadableSpan>> {
  // The batch processor waits a minute: only forceFlush delivers, which is what this checks.
  await tracer.forceFlush();
  const spans = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
  exporter.reset();
  return spans;
}

test('loadOtelApi finds the installed api, and the bridge sees the registered provider', () => {
  assert.ok(api !== null && typeof api.trace.getTracerProvider === 'function');
  const probe = tracer.startSpan('probe');
  assert.ok(probe.isRecording());
  probe.end();
});

test('children, roots and explicit parents: the SDK span tree follows the engine API', async () => {
  const remote = TraceContext.from({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: 'k=v' });
  tracer.startActiveSpan('outer', (outer) => {
    assert.ok(outer instanceof OtelBridgeSpan);
    assert.equal(trace.getActiveSpan()?.spanContext().spanId, outer.spanContext().spanId, 'active in OTel context');
    assert.equal(tracer.getTraceContext(), outer, 'getTraceContext is the active span');
    tracer.startSpan('inner', { kind: SpanKind.CLIENT }).end();
    tracer.startSpan('new-root', { root: true }).end();
    tracer.startSpan('null-parent', { parent: null }).end();
    const child = tracer.startSpan('of-remote', { parent: remote });
    assert.equal(child.spanContext().traceId, remote.traceId);
    assert.equal(child.spanContext().parentSpanId, remote.spanId);
    assert.equal(child.spanContext().traceState, 'k=v');
    child.end();
  });
  const spans = await finished();
  const outerId = spans.get('outer')!.spanContext().spanId;
  assert.equal(spans.get('inner')!.parentSpanContext?.spanId, outerId);
  assert.equal(spans.get('inner')!.kind, SpanKind.CLIENT);
  assert.equal(spans.get('new-root')!.parentSpanContext, undefined);
  assert.notEqual(spans.get('new-root')!.spanContext().traceId, spans.get('outer')!.spanContext().traceId);
  assert.equal(spans.get('null-parent')!.parentSpanContext, undefined);
  const ofRemote = spans.get('of-remote')!;
  assert.equal(ofRemote.parentSpanContext?.spanId, 'b'.repeat(16));
  assert.equal(ofRemote.parentSpanContext?.isRemote, true);
  assert.equal(ofRemote.spanContext().traceState?.get('k'), 'v');
});

test('times, attributes, events, links, exceptions and status reach the SDK span', async () => {
  const linked = TraceContext.from({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16) });
  const startPerf = performance.now() - 50;
  const span = tracer.startSpan('detailed', { startTime: startPerf, attributes: { a: 1 }, links: [{ context: linked, attributes: { why: 'batch' } }] });
  span.setAttribute('b', 'two').setAttributes({ c: true }).addEvent('evt', { n: 3 }, new Date(Date.now() - 10));
  span.recordException('plain string failure');
  span.recordException(42);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  span.updateName('detailed-renamed');
  const endEpoch = Date.now();
  span.end(endEpoch);
  span.end();
  const s = (await finished()).get('detailed-renamed')!;
  assert.ok(Math.abs(hrTimeToMilliseconds(s.startTime) - (performance.timeOrigin + startPerf)) < 1, 'performance.now() start time');
  assert.ok(Math.abs(hrTimeToMilliseconds(s.endTime) - endEpoch) < 1, 'epoch ms end time');
  assert.deepEqual(s.attributes, { a: 1, b: 'two', c: true });
  assert.equal(s.events[0]!.name, 'evt');
  assert.deepEqual(s.events.slice(1).map((e) => e.attributes?.['exception.message']), ['plain string failure', '42']);
  assert.equal(s.links[0]!.context.spanId, 'd'.repeat(16));
  assert.deepEqual(s.links[0]!.attributes, { why: 'batch' });
  assert.deepEqual(s.status, { code: OtelStatus.ERROR, message: 'boom' });
});

test('startActiveSpan ends the span on a rejection and records it; withSpan activates in OTel', async () => {
  await assert.rejects(
    tracer.startActiveSpan('failing', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('nope');
    }),
    /nope/,
  );
  const span = tracer.startSpan('held');
  const seen = tracer.withSpan(span, () => trace.getActiveSpan()?.spanContext().spanId);
  assert.equal(seen, span.spanContext().spanId);
  span.end();
  const spans = await finished();
  assert.equal(spans.get('failing')!.status.code, OtelStatus.ERROR);
  assert.equal(spans.get('failing')!.events[0]!.attributes?.['exception.message'], 'nope');
  assert.equal(tracer.getTraceContext(), undefined, 'nothing active outside');
  assert.throws(() => tracer.withSpan({} as never, () => 1), { code: 'ERR_INVALID_ARGUMENT' });
});

test("getTraceContext reflects a span an instrumentation made active through OpenTelemetry's API", () => {
  const otelTracer = trace.getTracer('some-instrumentation');
  otelTracer.startActiveSpan('theirs', (theirs) => {
    const ctx = tracer.getTraceContext();
    assert.equal(ctx?.spanId, theirs.spanContext().spanId);
    assert.equal(ctx?.traceId, theirs.spanContext().traceId);
    assert.equal(ctx?.sampled, true);
    const ours = tracer.startSpan('ours-under-theirs');
    assert.equal(ours.spanContext().parentSpanId, theirs.spanContext().spanId);
    ours.end();
    // A borrowed handle never ends the instrumentation's span.
    (tracer.getActiveSpan() as OtelBridgeSpan).end();
    assert.ok(theirs.isRecording(), 'still open');
    theirs.end();
  });
});

test("the propagator reads and writes with OpenTelemetry's configured propagator, baggage included, and never throws", () => {
  const ctx = propagator.extract({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'x=1', baggage: 'user=ann' });
  assert.ok(ctx !== null);
  assert.equal(ctx.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(ctx.traceState, 'x=1');
  assert.equal(ctx.isRemote, true);
  const child = tracer.startSpan('from-headers', { kind: SpanKind.SERVER, parent: ctx });
  const out: Record<string, string> = {};
  propagator.inject(child.spanContext(), out);
  assert.equal(out['traceparent'], `00-0af7651916cd43dd8448eb211c80319c-${child.spanContext().spanId}-01`);
  assert.equal(out['tracestate'], 'x=1');
  assert.equal(out['baggage'], 'user=ann', 'baggage extracted with the parent travels on');
  child.end();
  assert.deepEqual([...propagator.fields].sort(), [...propagation.fields()].sort());

  const hostile: unknown[] = [
    {}, { traceparent: 'junk' }, { traceparent: ['a', 'b'] }, { traceparent: 42 }, { traceparent: 'x'.repeat(100_000) },
    { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
  ];
  for (const headers of hostile) assert.equal(propagator.extract(headers as never), null, JSON.stringify(headers).slice(0, 60));
  const throwing = new Proxy({}, { get() { throw new Error('bad carrier'); }, ownKeys() { throw new Error('bad carrier'); } });
  assert.equal(propagator.extract(throwing as never), null);
  assert.doesNotThrow(() => propagator.inject(ctx, Object.freeze({}) as never));
});
