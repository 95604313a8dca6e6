// 'otel' mode on Express beside instrumentation-http and @opentelemetry/instrumentation-express,
// the setup OpenTelemetry's docs give for Express: the server span is instrumentation-http's,
// reused once and named by the route; instrumentation-express adds its middleware and
// request-handler spans (this module's route layer among them); every span of the request is in
// the server span's trace and tree. Its own process (global provider and instrumentations).

import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, registerProvider, simpleProcessor, type ReadableSpan } from './sdk.js';
import { request, startApp } from '../helpers.js';
import { otelAppModule, parentOf, startDownstream, type WorkReply } from './otel-app.js';

const exporter = new InMemorySpanExporter();
const provider = await registerProvider({ spanProcessors: [simpleProcessor(exporter)] });
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [new HttpInstrumentation({ ignoreOutgoingRequestHook: () => true }), new ExpressInstrumentation()],
});
// Both patch on the next require: node:http and express were loaded (through the helpers'
// imports) before the instrumentations were registered.
const require = createRequire(import.meta.url);
require('node:http');
require('express');

const CALLER_TRACE = '6bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

test('on Express with instrumentation-express: one server span, named by the route, and every span in its trace and tree', async (t) => {
  const downstream = await startDownstream();
  t.after(() => downstream.close());
  const app = await startApp(otelAppModule({ mode: 'otel', responseHeaders: { traceparent: true } }, downstream.origin), { platform: 'express' });
  t.after(() => app.close());
  exporter.reset();

  const res = await request(app.origin, '/work', { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
  assert.equal(res.status, 200);
  const reply = res.json<WorkReply>();
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
  assert.equal(server.attributes['http.route'], '/work');
  assert.equal(server.instrumentationScope.name, '@opentelemetry/instrumentation-http');
  assert.equal(parentOf(server), CALLER_SPAN);
  assert.ok(finished.some((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-express'), `instrumentation-express made spans: ${list}`);
  const serverId = server.spanContext().spanId;

  const byId = new Map<string, ReadableSpan>(finished.map((s) => [s.spanContext().spanId, s]));
  const descends = (s: ReadableSpan): boolean => {
    for (let p = parentOf(s), n = 0; p !== undefined && n < 20; p = parentOf(byId.get(p)!), n++) if (p === serverId) return true;
    return false;
  };
  for (const name of ['manual-child', 'decorated-step', 'active-step', 'otel-api-inner']) {
    const span = finished.find((s) => s.name === name);
    assert.ok(span !== undefined && descends(span), `${name} is in the server span's tree: ${list}`);
  }
  assert.deepEqual(reply.handler, { traceId: CALLER_TRACE, spanId: serverId });
  assert.equal(res.headers['traceparent'], `00-${CALLER_TRACE}-${serverId}-01`);
  assert.match(reply.downstream ?? '', new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
});
