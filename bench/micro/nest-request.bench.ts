// The per-request cost of the Nest module's Fastify hooks (onRequest -> preValidation ->
// the response's 'close', the work the module adds to every request), against the raw ALS floor
// (one als.run per request, what any context library must pay) and against the equivalent
// OpenTelemetry JS work (extract traceparent, start a SERVER span with the same attributes,
// make it active with context.with, set the status code, end it).
// The hooks are driven with a minimal request/reply carrying just the fields they read, so the
// numbers are the module's own cost, not Fastify's (the HTTP suite measures the whole stack).

import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, context as otelContext, propagation, SpanKind as OtelSpanKind, trace, defaultTextMapGetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { Tracer, createPropagator } from '../../engine/index.js';
import { installRequestHooks, kStore } from '../../nest/fastify/request-hooks.js';
import { resolveOptions } from '../../nest/options/resolve-options.js';
import type { TracingRuntime } from '../../nest/tracing/tracing-runtime.js';
import type { RequestContextModuleOptions } from '../../nest/options/request-context-options.js';
import { defineSuite, runStandalone } from './harness.js';

type Hook = (...args: any[]) => void;
const noop = (): void => {};

/** Installs the hooks on a stand-in that records them, and returns one request cycle. `metrics`: the module option (nest-metrics.bench.ts). */
export function hookCycle(tracing: 'off' | 'sampled' | 'unsampled', metrics?: RequestContextModuleOptions['metrics']): () => unknown {
  const hooks: Record<string, Hook> = {};
  const fastify = {
    decorateRequest: noop,
    addHook: (name: string, fn: Hook) => {
      hooks[name] = fn;
    },
    initialConfig: { connectionTimeout: 0 },
  } as unknown as FastifyInstance;
  const options = resolveOptions({ tracing: tracing === 'off' ? false : { exporters: [] }, metrics }, {});
  const runtime: TracingRuntime | null =
    tracing === 'off'
      ? null
      : {
          tracer: new Tracer({ sampler: { type: tracing === 'sampled' ? 'always_on' : 'always_off' }, processor: null, onSpanEnd: options.metrics?.spanEndHook ?? null }),
          propagator: createPropagator({ extract: ['w3c'], inject: ['w3c'] }),
          stats: () => ({}) as never,
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
        };
  installRequestHooks(fastify, options, runtime);
  const { onRequest: onRequest404, onRoute, preValidation } = hooks as Record<string, Hook>;
  const route: { url: string; method: string; onRequest?: Hook[] } = { url: '/orders/:id', method: 'GET' };
  onRoute!(route);
  const onRequest = route.onRequest![0]!;
  const headers = {
    host: '127.0.0.1:3000',
    'user-agent': 'bench',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  };
  // The raw response: the module listens for its 'close' when a request's end matters (a
  // recording span, metered or observed requests); a real one emits it once after 'finish'.
  const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true });
  const reply = { statusCode: 200, header: noop, raw: res };
  // Fastify allocates the request object, not the module: one is reused here, with the
  // decoration slot the module declares (decorateRequest) already on it.
  const req = {
    raw: { headers, httpVersion: '1.1' },
    method: 'GET',
    url: '/orders/42?x=1',
    is404: false,
    protocol: 'http',
    hostname: '127.0.0.1',
    port: 3000,
    ip: '127.0.0.1',
    [kStore]: null,
  };
  return () => {
    onRequest404!(req, reply, noop);
    // Fastify calls preValidation inside the context onRequest opened (done runs in als.run).
    onRequest(req, reply, () => preValidation!(req, reply, noop));
    res.emit('close');
    res.removeAllListeners('close');
    return req;
  };
}

const floorAls = new AsyncLocalStorage<{ id: number; span: null }>();
let n = 0;
function floor(): unknown {
  return floorAls.run({ id: n++, span: null }, noop);
}

otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const otelPropagator = new W3CTraceContextPropagator();
function otelCycle(sampled: boolean): () => unknown {
  const tracer = new BasicTracerProvider({ sampler: sampled ? new AlwaysOnSampler() : new AlwaysOffSampler() }).getTracer('bench');
  const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'user-agent': 'bench' };
  void propagation;
  return () => {
    const parent = otelPropagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const span = tracer.startSpan(
      'GET /orders/:id',
      {
        kind: OtelSpanKind.SERVER,
        attributes: {
          'http.request.method': 'GET',
          'url.path': '/orders/42',
          'url.scheme': 'http',
          'http.route': '/orders/:id',
          'server.address': '127.0.0.1',
          'server.port': 3000,
          'client.address': '127.0.0.1',
          'user_agent.original': headers['user-agent'],
          'network.protocol.version': '1.1',
        },
      },
      parent,
    );
    otelContext.with(trace.setSpan(parent, span), noop);
    span.setAttribute('http.response.status_code', 200);
    span.end();
    return span;
  };
}

export const suite = defineSuite({
  name: 'nest-request',
  cases: [
    { name: 'request hooks, tracing off (ntc)', impl: 'ntc', fn: hookCycle('off') },
    { name: 'request hooks, unsampled (ntc)', impl: 'ntc', fn: hookCycle('unsampled') },
    { name: 'request hooks, sampled (ntc)', impl: 'ntc', fn: hookCycle('sampled') },
    { name: 'als.run + store (floor)', impl: 'floor', fn: floor },
    { name: 'server span, unsampled (otel)', impl: 'otel', fn: otelCycle(false) },
    { name: 'server span, sampled (otel)', impl: 'otel', fn: otelCycle(true) },
  ],
  comparisons: [
    { id: 'nest-request-sampled-vs-otel', ours: 'request hooks, sampled (ntc)', theirs: 'server span, sampled (otel)', metric: 'time' },
    { id: 'nest-request-unsampled-vs-otel', ours: 'request hooks, unsampled (ntc)', theirs: 'server span, unsampled (otel)', metric: 'time' },
    { id: 'nest-request-sampled-bytes-vs-otel', ours: 'request hooks, sampled (ntc)', theirs: 'server span, sampled (otel)', metric: 'bytes' },
    { id: 'nest-request-off-vs-floor', ours: 'request hooks, tracing off (ntc)', theirs: 'als.run + store (floor)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
