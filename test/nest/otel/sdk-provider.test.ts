// 'otel' mode with the real OpenTelemetry SDK (a registered tracer provider, no HTTP instrumentation):
// this library starts the server span through the SDK, reading the incoming headers with the
// SDK's propagator, and every span of its API lands in the SDK's exporter in one tree.
// Registering a global provider is process-wide, so this file is its own process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, context as otelContext, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, simpleProcessor, registerProvider } from './sdk.js';
import { ErrorCodes, OtelBridgeTracer, getGlobalTracer } from '../../../engine/index.js';
import { captureTraceContext, getTracingRuntime, runWithTraceContext } from '../../../nest/index.js';
import { request, startApp } from '../helpers.js';
import { byName, otelAppModule, parentOf, startDownstream, type WorkReply } from './otel-app.js';

const exporter = new InMemorySpanExporter();
await registerProvider({ spanProcessors: [simpleProcessor(exporter)] });

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

async function setup(t: { after(fn: () => unknown): void }, mode: 'otel' | 'auto') {
  const downstream = await startDownstream();
  t.after(() => downstream.close());
  const app = await startApp(otelAppModule({ mode, serviceName: 'otel-mode-test', responseHeaders: { traceparent: true } }, downstream.origin));
  t.after(() => app.close());
  exporter.reset();
  return app;
}

test("mode 'otel': spans of this library's API are the SDK's, with the right parents, in the caller's trace", async (t) => {
  const app = await setup(t, 'otel');
  assert.ok(getGlobalTracer() instanceof OtelBridgeTracer, 'the global tracer bridges to OpenTelemetry');
  const res = await request(app.origin, '/work', { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, 'x-request-id': 'otel-1' } });
  assert.equal(res.status, 200);
  const reply = res.json<WorkReply>();
  assert.equal(reply.requestId, 'otel-1');

  const spans = byName(exporter.getFinishedSpans());
  const server = spans.get('GET /work');
  assert.ok(server, `server span exported; got ${[...spans.keys()].join(', ')}`);
  assert.equal(server.kind, SpanKind.SERVER);
  assert.equal(server.instrumentationScope.name, 'nestjs-trace-context');
  assert.equal(server.attributes['http.route'], '/work');
  assert.equal(server.attributes['http.response.status_code'], 200);
  // Continued from the caller through OpenTelemetry's configured (W3C) propagator.
  assert.equal(server.spanContext().traceId, CALLER_TRACE);
  assert.equal(parentOf(server), CALLER_SPAN);
  const serverId = server.spanContext().spanId;

  for (const name of ['manual-child', 'decorated-step', 'active-step']) {
    const span = spans.get(name);
    assert.ok(span, `${name} exported`);
    assert.equal(span.spanContext().traceId, CALLER_TRACE, name);
    assert.equal(parentOf(span), serverId, `${name} is a child of the server span`);
    assert.equal(span.kind, SpanKind.INTERNAL);
  }
  assert.equal(spans.get('manual-child')!.attributes['step'], 1);
  // A span started through the OpenTelemetry API (as instrumentations do) nests under ours.
  assert.equal(parentOf(spans.get('otel-api-inner')!), spans.get('active-step')!.spanContext().spanId);

  // getTraceContext() is OpenTelemetry's active span at each point.
  assert.deepEqual(reply.handler, { traceId: CALLER_TRACE, spanId: serverId });
  assert.deepEqual(reply.decorated, { traceId: CALLER_TRACE, spanId: spans.get('decorated-step')!.spanContext().spanId });
  assert.deepEqual(reply.active, { traceId: CALLER_TRACE, spanId: spans.get('active-step')!.spanContext().spanId });

  // The outgoing fetch: a client span under the server span, and its id in the traceparent sent.
  const client = spans.get('GET');
  assert.ok(client, 'fetch client span exported');
  assert.equal(client.kind, SpanKind.CLIENT);
  assert.equal(parentOf(client), serverId);
  assert.equal(reply.downstream, `00-${CALLER_TRACE}-${client.spanContext().spanId}-01`);
  // The response traceparent names the server span.
  assert.equal(res.headers['traceparent'], `00-${CALLER_TRACE}-${serverId}-01`);
});

test("mode 'otel': a request without a traceparent starts a new trace through the SDK, one trace id for all its spans", async (t) => {
  const app = await setup(t, 'otel');
  const reply = (await request(app.origin, '/work')).json<WorkReply>();
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 6, spans.map((s) => s.name).join(', '));
  const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
  assert.equal(traceIds.size, 1);
  const [traceId] = traceIds;
  assert.equal(reply.handler?.traceId, traceId);
  assert.equal(parentOf(byName(spans).get('GET /work')!), undefined, 'the server span is a root');
  assert.match(reply.downstream ?? '', new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
});

test("mode 'otel': the SDK's sampler decides; an unsampled caller gets nothing exported and its ids still flow", async (t) => {
  const app = await setup(t, 'otel');
  const res = await request(app.origin, '/work', { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` } });
  const reply = res.json<WorkReply>();
  assert.equal(exporter.getFinishedSpans().length, 0, 'parent-based sampler of the SDK drops the trace');
  assert.equal(reply.handler?.traceId, CALLER_TRACE);
  assert.match(reply.downstream ?? '', new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-00$`));
});

test("mode 'auto' with a registered SDK traces through OpenTelemetry", async (t) => {
  const app = await setup(t, 'auto');
  assert.ok(getTracingRuntime()?.tracer instanceof OtelBridgeTracer);
  await request(app.origin, '/work');
  assert.ok(byName(exporter.getFinishedSpans()).has('GET /work'));
});

test("mode 'otel': runWithTrace outside a request continues the given trace in OpenTelemetry's context", async (t) => {
  await setup(t, 'otel');
  const tracer = getGlobalTracer();
  const seen = tracer.runWithTrace({ traceId: CALLER_TRACE, spanId: CALLER_SPAN }, () => {
    const otelActive = trace.getSpan(otelContext.active())?.spanContext();
    const span = tracer.startSpan('job-step');
    span.end();
    return { otelActive, ours: tracer.getTraceContext() };
  });
  assert.equal(seen.otelActive?.traceId, CALLER_TRACE);
  assert.equal(seen.otelActive?.spanId, CALLER_SPAN);
  assert.equal(seen.ours?.traceId, CALLER_TRACE);
  const job = byName(exporter.getFinishedSpans()).get('job-step')!;
  assert.equal(job.spanContext().traceId, CALLER_TRACE);
  assert.equal(parentOf(job), CALLER_SPAN);
  assert.throws(() => tracer.runWithTrace({ traceId: 'nope', spanId: CALLER_SPAN }, () => 1), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
});

test("mode 'otel': captureTraceContext and runWithTraceContext carry a trace to a job through the SDK's propagator and spans", async (t) => {
  await setup(t, 'otel');
  const tracer = getGlobalTracer();
  const carrier = tracer.startActiveSpan('producer', () => captureTraceContext());
  const jobSeen = await runWithTraceContext(carrier, 'job', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    tracer.startSpan('job-child').end();
    return tracer.getTraceContext()?.spanId;
  });
  const spans = byName(exporter.getFinishedSpans());
  const producer = spans.get('producer')!;
  const job = spans.get('job')!;
  assert.match(carrier.traceparent ?? '', new RegExp(`^00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01$`));
  assert.equal(job.spanContext().traceId, producer.spanContext().traceId);
  assert.equal(parentOf(job), producer.spanContext().spanId);
  assert.equal(job.kind, SpanKind.CONSUMER);
  assert.equal(jobSeen, job.spanContext().spanId);
  assert.equal(parentOf(spans.get('job-child')!), job.spanContext().spanId);
});
