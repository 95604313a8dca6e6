// The request path on Fastify. The hooks are registered on the application's own Fastify
// instance (so Nest's routes run them; test/nest/platform-facts.test.ts keeps that true) and
// are made once per app from the resolved options: no closure and no option lookup per
// request, one store and one frame per request.
//
// onRequest   opens the context: `runWithStore(store, done)`, callback style, so everything
//             Fastify runs after `done` (parsers, hooks, Nest's guards...handler) inherits it.
//             It is a route-level hook added in onRoute, made once per route with the route
//             template, span name and ignoreRoutes decision baked in: reading
//             `req.routeOptions` instead builds a 12-field object per request (~200 ns measured
//             on this machine class). 404s have no route: a global onRequest hook opens theirs
//             (`req.is404` is a plain field read). Routes registered before the module started
//             get their context in preValidation instead (fallback, never seen with Nest).
// preValidation  re-enters it: some body parsers resume from socket callbacks that lost the
//             async context (fastify/fastify-request-context does the same re-entry).
//             It also sets the response headers (request id, traceparent, server-timing) on the
//             reply, which keeps them until it sends: everything they carry is known here, and
//             an onSend hook for them cost every request one more hook-runner pass
//             (nest/fastify/response-headers.ts).
// end         the response's 'close' event (one listener, no closure; only when a span records,
//             metrics meter it, or an observer waits) and onTimeout end the server span once
//             and tell the observer. Not Fastify's onResponse + onRequestAbort hooks: with them
//             Fastify adds, on EVERY request of every route, a closure and 'finish' + 'error'
//             listeners on the response and a closure and a 'close' listener on the request,
//             sampled or not. 'close' comes after 'finish' for an answered request and alone
//             for one the client abandoned, so one listener tells both apart.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { resolveRequestId } from '../../engine/index.js';
import { createStore, currentStore, runWithStore, type ContextStore } from '../../engine/internal.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { TracingRuntime } from '../tracing/tracing-runtime.js';
import { receiveBaggage } from './request-baggage.js';
import { RequestFrame } from './request-frame.js';
import { createHeaderWriter } from './response-headers.js';
import { EndReason, endServerSpan, serverSpanName, startServerSpan } from './server-span.js';

/** The request decoration holding the store; a Symbol so no user decoration can collide. */
export const kStore: unique symbol = Symbol('nestjs-trace-context.store');

type StoredRequest = FastifyRequest & { [kStore]: ContextStore | null };

/** The response of a request whose end is watched holds its store (read by the 'close' listener). */
const kResponseStore: unique symbol = Symbol('nestjs-trace-context.response-store');

type WatchedResponse = ServerResponse & { [kResponseStore]?: ContextStore };

/**
 * Registers the hooks. `routesRegistered`: the app's routes are already on the instance (the
 * module started after Nest registered them, as with @nestjs/testing's createNestApplication),
 * so no onRoute hook can reach them: one global onRequest hook reads each request's route
 * instead, at the cost of `req.routeOptions`.
 */
export function installRequestHooks(
  fastify: FastifyInstance,
  options: ResolvedOptions,
  runtime: TracingRuntime | null,
  routesRegistered = false,
): void {
  const idHeader = options.requestIdHeader;
  const generate = options.generateRequestId;
  const observer = options.observer;
  const tracing = runtime === null ? null : options.tracing;
  const tracer = runtime === null ? null : runtime.tracer;
  const propagator = runtime === null ? null : runtime.propagator;
  const ignore = tracing === null ? null : tracing.ignore;
  // Baggage formats configured: one header read per request; more only when baggage came.
  const extractBaggage = propagator === null || propagator.extractBaggage === undefined ? null : propagator.extractBaggage;
  const baggageKeys = tracing === null ? null : tracing.baggageAttributes;
  // 'otel' mode also makes the server span active in OpenTelemetry's context (nest/otel).
  const enter = runtime === null || runtime.enterRequest === undefined ? runWithStore : runtime.enterRequest;
  // Without a tracer and an observer nothing reads the clock or waits for the end of a
  // request: no clock read, and no end hooks (each one makes Fastify add per-request listeners).
  const observed = tracer !== null || observer !== null;
  // RED metrics meter unsampled server spans too: their end must be seen on every request.
  const writeHeaders = createHeaderWriter(options, runtime);
  const metered = runtime !== null && options.metrics != null && options.metrics.spanEndHook != null;

  // Hot path. `performance.now()` is the engine's span clock (engine/spans/clock.ts).
  // `name` is null only where it cannot be fixed per route (a route serving several methods).
  function open(req: FastifyRequest, reply: FastifyReply, route: string, name: string | null, traced: boolean): ContextStore {
    const headers = req.raw.headers;
    const method = req.method;
    const startTime = observed ? performance.now() : 0;
    let span = null;
    if (traced && tracer !== null && propagator !== null) {
      span = startServerSpan(tracer, propagator, req, headers, method, route, name ?? serverSpanName(method, route), startTime);
    }
    const store = createStore(resolveRequestId(headers[idHeader], generate), span, new RequestFrame(startTime, method, route, span));
    (req as StoredRequest)[kStore] = store;
    if (extractBaggage !== null) {
      const baggage = extractBaggage(headers);
      if (baggage !== null) receiveBaggage(store, baggage, span, baggageKeys);
    }
    if (writeHeaders !== null) writeHeaders(reply, store.requestId, span);
    // An unsampled request nobody meters or observes has nothing to end: no listener at all.
    if (observer !== null || (span !== null && (metered || span.isRecording()))) {
      const res = reply.raw as WatchedResponse;
      res[kResponseStore] = store;
      res.on('close', onResponseClose);
    }
    return store;
  }

  function isTraced(route: string, isTemplate: boolean): boolean {
    return tracer !== null && (ignore === null || !ignore.matches(route, isTemplate));
  }

  /** The onRequest hook of one route, made once when the route is registered. */
  function routeHook(route: string, methods: string | string[]): (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
    const method = typeof methods === 'string' ? methods : null;
    const name = method === null ? null : serverSpanName(method, route);
    const traced = isTraced(route, true);
    return function onRouteRequest(req, reply, done): void {
      // Fastify serves HEAD from a GET route's hooks when it exposes HEAD routes itself.
      enter(open(req, reply, route, req.method === method ? name : null, traced), done);
    };
  }

  function onRoute(routeOptions: RouteOptions): void {
    const hook = routeHook(routeOptions.url, routeOptions.method as string | string[]);
    const existing = routeOptions.onRequest;
    // Ours first among the route's hooks, so the route's own onRequest hooks see the context.
    routeOptions.onRequest = existing === undefined ? [hook] : [hook, ...(Array.isArray(existing) ? existing : [existing])];
  }

  function onRequest404(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (!req.is404) {
      done();
      return;
    }
    enter(open(req, reply, '', null, isTraced(req.url, false)), done);
  }

  function openByRouteOptions(req: FastifyRequest, reply: FastifyReply): ContextStore {
    const route = req.routeOptions.url ?? '';
    return open(req, reply, route, null, isTraced(route === '' ? req.url : route, route !== ''));
  }

  function onRequestAnyRoute(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    enter(openByRouteOptions(req, reply), done);
  }

  function reenter(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    let store = (req as StoredRequest)[kStore];
    if (store === null) {
      // A route another plugin registered before this module started: no route hook reached it.
      store = openByRouteOptions(req, reply);
    } else if (currentStore() === store) {
      done();
      return;
    }
    enter(store, done);
  }

  function finish(store: ContextStore | null | undefined, statusCode: number, reason: EndReason): void {
    if (store === null || store === undefined) return;
    const frame = store.frame as RequestFrame;
    if (frame.finished) return;
    frame.finished = true;
    const endTime = performance.now();
    if (frame.span !== null) endServerSpan(frame.span, statusCode, reason, endTime);
    if (observer !== null) observer(frame.route, frame.method, statusCode, endTime - frame.startTime);
  }

  // `writableFinished`: the whole response was handed to the socket ('finish' came first);
  // without it the client went away before its response (what onRequestAbort reported).
  function onResponseClose(this: WatchedResponse): void {
    if (this.writableFinished) finish(this[kResponseStore], this.statusCode, EndReason.RESPONSE);
    else finish(this[kResponseStore], 0, EndReason.ABORTED);
  }

  function onTimeout(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    finish((req as StoredRequest)[kStore], 0, EndReason.TIMEOUT);
    done();
  }

  function onError(req: FastifyRequest, _reply: FastifyReply, error: Error, done: HookHandlerDoneFunction): void {
    const store = (req as StoredRequest)[kStore];
    const span = store === null ? null : (store.frame as RequestFrame).span;
    if (span !== null) span.recordException(error);
    done();
  }

  fastify.decorateRequest(kStore as unknown as string, null);
  if (routesRegistered) {
    fastify.addHook('onRequest', onRequestAnyRoute);
  } else {
    fastify.addHook('onRoute', onRoute);
    fastify.addHook('onRequest', onRequest404);
  }
  fastify.addHook('preValidation', reenter);
  if (observed) {
    // Fastify allocates per-request timeout bookkeeping once any onTimeout hook exists, and the
    // hook can only fire with a socket timeout (connectionTimeout), so register it only then.
    if ((fastify.initialConfig.connectionTimeout ?? 0) > 0) fastify.addHook('onTimeout', onTimeout);
  }
  if (tracer !== null) fastify.addHook('onError', onError);
}
