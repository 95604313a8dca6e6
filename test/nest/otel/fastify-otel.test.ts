// 'otel' mode beside instrumentation-http and @fastify/otel, the OpenTelemetry setup Fastify's
// own docs give. @fastify/otel wraps every route hook (this module's onRequest too) in a span
// of its own: the server span is still instrumentation-http's, reused once, and this library's
// spans stay in its tree. Its own process (global provider and instrumentations).

import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import FastifyOtel from '@fastify/otel';
import { SpanKind } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, simpleProcessor, type ReadableSpan, registerProvider } from './sdk.js';
import { request, startApp } from '../helpers.js';
import { otelAppModule, parentOf, startDownstream, type WorkReply } from './otel-app.js';

const exporter = new InMemorySpanExporter();
const provider = await registerProvider({ spanProcessors: [simpleProcessor(exporter)] });
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation({ ignoreOutgoingRequestHook: () => true }),
    new FastifyOtel.FastifyOtelInstrumentation({ registerOnInitialization: true }) as unknown as Instrumentation,
  ],
});
createRequire(import.meta.url)('node:http');

const CALLER_TRACE = '5bf92f3577b34da6a3ce929d0e0e4736';

test('with @fastify/otel too: one server span, and every span of the request in its trace and tree', async (t) => {
  const downstream = await startDownstream();
  t.after(() => downstream.close());
  const app = await startApp(otelAppModule({ mode: 'otel' }, downstream.origin));
  t.after(() => app.close());
  exporter.reset();

  const reply = (await request(app.origin, '/work', { headers: { traceparent: `00-${CALLER_TRACE}-00f067aa0ba902b7-01` } })).json<WorkReply>();
  await provider.forceFlush();
  for (let i = 0; i < 100 && !exporter.getFinishedSpans().some((s) => s.name === 'GET /work'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const finished = exporter.getFinishedSpans();
  const list = finished.map((s) => `${s.name}(${s.instrumentationScope.name})`).join(', ');
  const appServers = finished.filter((s) => s.kind === SpanKind.SERVER && s.name !== 'GET');
  assert.equal(appServers.length, 1, list);
  const server = appServers[0]!;
  assert.equal(server.name, 'GET /work', list);
  assert.equal(server.instrumentationScope.name, '@opentelemetry/instrumentation-http');
  assert.ok(finished.some((s) => s.instrumentationScope.name === '@fastify/otel'), `@fastify/otel made spans: ${list}`);
  assert.ok(finished.every((s) => s.spanContext().traceId === CALLER_TRACE), list);

  // Every span of ours descends from the server span.
  const byId = new Map<string, ReadableSpan>(finished.map((s) => [s.spanContext().spanId, s]));
  const descends = (s: ReadableSpan): boolean => {
    for (let p = parentOf(s), n = 0; p !== undefined && n < 20; p = parentOf(byId.get(p)!), n++) if (p === server.spanContext().spanId) return true;
    return false;
  };
  for (const name of ['manual-child', 'decorated-step', 'active-step', 'otel-api-inner']) {
    const span = finished.find((s) => s.name === name);
    assert.ok(span !== undefined && descends(span), `${name} is in the server span's tree: ${list}`);
  }
  assert.equal(reply.handler?.traceId, CALLER_TRACE);
  assert.match(reply.downstream ?? '', new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
});
