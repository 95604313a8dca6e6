// mode 'native' with @opentelemetry/api installed and no SDK: the engine registers itself as the
// api's global TracerProvider, ContextManager and propagator, so app code and libraries that
// call the api (here @fastify/otel, which traces Fastify's hooks and handlers through it) make
// pooled spans of this engine, exported by its exporters, parented both ways. Its own process
// (the api's globals).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import FastifyOtel from '@fastify/otel';
import { context as otelContext, propagation, trace } from '@opentelemetry/api';
import { RequestContextModule, SpanKind, startSpan, type TracingOptions } from '../../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans } from '../../../nest/testing/index.js';
import { request, startApp } from '../helpers.js';
import { unregisteredProvider } from './sdk.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

@Controller()
class WorkController {
  @Get('work')
  work(): Promise<{ active: string | undefined; injected: Record<string, string> }> {
    const active = trace.getActiveSpan()?.spanContext().traceId;
    return trace.getTracer('app').startActiveSpan('api-work', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      startSpan('engine-inner').end();
      const injected: Record<string, string> = {};
      propagation.inject(otelContext.active(), injected);
      span.setAttribute('work.items', 3);
      span.end();
      return { active, injected };
    });
  }
}

function appModule(tracing: TracingOptions): DynamicModule {
  @Module({})
  class App {}
  return { module: App, imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }], ...tracing } })], controllers: [WorkController] };
}

test('api spans are engine spans: a child of the server span, parent of engine spans inside, exported, and propagated', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({}));
  t.after(() => app.close());
  const reply = (await request(app.origin, '/work', { headers: { traceparent: SAMPLED } })).json();
  assert.equal(reply.active, TRACE_ID, 'trace.getActiveSpan() in a handler is the request\'s span');
  const [server] = await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  const spans = getFinishedSpans();
  const work = spans.find((s) => s.name === 'api-work');
  const inner = spans.find((s) => s.name === 'engine-inner');
  assert.ok(work && inner, spans.map((s) => s.name).join(', '));
  assert.equal(work.parentSpanId, server!.spanId);
  assert.equal(work.traceId, TRACE_ID);
  assert.equal(work.attributes['work.items'], 3);
  assert.equal(inner.parentSpanId, work.spanId, 'an engine span inside the api span\'s startActiveSpan is its child');
  assert.equal(reply.injected.traceparent, `00-${TRACE_ID}-${work.spanId}-01`, 'propagation.inject writes the engine\'s formats');
});

test('a library that traces through the api (@fastify/otel) makes spans of this engine in the request\'s trace', async (t) => {
  resetFinishedSpans();
  const instrumentation = new FastifyOtel.FastifyOtelInstrumentation({ registerOnInitialization: false });
  const app = await startApp(appModule({}), {
    configure: async (nest) => {
      await nest.getHttpAdapter().getInstance().register(instrumentation.plugin());
    },
  });
  t.after(() => app.close());
  await request(app.origin, '/work', { headers: { traceparent: SAMPLED } });
  await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  await waitForFinishedSpans(1, { filter: (s) => s.name === 'handler - WorkController.work' });
  const all = getFinishedSpans();
  const list = all.map((s) => s.name).join(', ');
  assert.ok(all.every((s) => s.traceId === TRACE_ID), list);
  // @fastify/otel's own request span continues the caller's trace through the engine's propagator
  const fastifyRequest = all.find((s) => s.name === 'request');
  assert.ok(fastifyRequest, list);
  assert.equal(fastifyRequest.kind, SpanKind.SERVER);
  assert.equal(fastifyRequest.parentSpanId, '00f067aa0ba902b7');
  assert.ok(all.some((s) => s.name.startsWith('onRequest - ')), `its hook spans: ${list}`);
});

test('otelApi: false leaves the api alone, and closing the app takes the engine back out', async () => {
  const off = await startApp(appModule({ otelApi: false }));
  assert.equal(trace.getTracer('x').startSpan('probe').isRecording(), false, 'no provider: the api\'s no-op span');
  await off.close();

  const on = await startApp(appModule({}));
  assert.equal(typeof (trace.getTracerProvider() as unknown as { getDelegate(): object }).getDelegate().constructor, 'function');
  await on.close();
  const delegate = (trace.getTracerProvider() as unknown as { getDelegate(): { constructor: { name: string } } }).getDelegate();
  assert.equal(delegate.constructor.name, 'NoopTracerProvider');
});

test('an app\'s own registered provider is never replaced', async () => {
  const own = unregisteredProvider();
  assert.equal(trace.setGlobalTracerProvider(own), true);
  const app = await startApp(appModule({}));
  assert.equal((trace.getTracerProvider() as unknown as { getDelegate(): object }).getDelegate(), own);
  await app.close();
  assert.equal((trace.getTracerProvider() as unknown as { getDelegate(): object }).getDelegate(), own, 'and stays after close');
  trace.disable();
});
