// The request path on Express (Nest's @nestjs/platform-express, Express 5). Made once per app
// from the resolved options, after Nest registered its routes (onModuleInit): no closure and no
// option lookup per request, one store and one frame per request, as on Fastify.
//
// open        Nest's ExpressAdapter request hook (setOnRequestHook). The adapter's constructor
//             registers the middleware that calls it, so it is the first layer of the app's
//             router whatever the app registers and when: the context opens with
//             `runWithStore(store, done)` before Nest's body parsers, CORS and every `app.use`
//             middleware (before or after the module). It resolves the request id, echoes it,
//             and extracts the caller's trace context into the store, so middleware already
//             sees the request id and the caller's trace.
// route       a layer put first in each route's own stack (made once per route, template,
//             span name and ignoreRoutes decision baked in, as Fastify's onRoute hook does):
//             Express matches the route only after the middleware ran, and the route decides the
//             span's name, its sampling (per-route sampler rules) and ignoreRoutes. It starts
//             the server span under the extracted parent, with the start time of `open`, sets
//             the trace response headers, and re-enters the context for the guards,
//             interceptors, pipes and handler if a body parser resumed it elsewhere (body-parser
//             and multer keep it: raw-body and multer bind their callbacks with AsyncResource).
// unrouted    one middleware after Nest's routes and before Nest's 404 handler: a request no
//             route claimed gets a span named by its method (404s, routes other code adds later).
// end         the response's 'close' event (one listener, no closure; only when a span records,
//             metrics meter it, or an observer waits), as on Fastify. A route registered later
//             by other code is read from `req.route` there (Express sets it on match).

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { attachBaggage, copyBaggageAttributes, resolveRequestId, storeBaggage, type Span, type TraceContext } from '../../engine/index.js';
import { createStore, currentStore, runWithStore, type ContextStore } from '../../engine/internal.js';
import { RequestFrame } from '../fastify/request-frame.js';
import { createHeaderWriter } from '../fastify/response-headers.js';
import { EndReason, endServerSpan, serverSpanName, startServerSpanUnder } from '../fastify/server-span.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { TracingRuntime } from '../tracing/tracing-runtime.js';
import type { ExpressAdapterLike, ExpressApp, ExpressRequest as BaseRequest, ExpressResponse as BaseResponse } from './express-types.js';
import { writeExpressRequestAttributes } from './request-attributes.js';
import { hookRoutes } from './route-layers.js';

/** The request's store, kept on the request for the route layer and the end listener. */
const kStore: unique symbol = Symbol('nestjs-trace-context.store');
const kResponseStore: unique symbol = Symbol('nestjs-trace-context.response-store');
/** Set on a socket whose idle timeout fired, so its request ends as a timeout, not an abort. */
const kTimedOut: unique symbol = Symbol('nestjs-trace-context.timed-out');

type ExpressRequest = BaseRequest & { [kStore]?: ContextStore };
type ExpressResponse = BaseResponse & { req: ExpressRequest; [kResponseStore]?: ContextStore };
type RouteHandler = (req: ExpressRequest, res: ExpressResponse, next: (err?: unknown) => void) => void;

type TimedSocket = Socket & { [kTimedOut]?: boolean };

function onSocketTimeout(this: TimedSocket): void {
  this[kTimedOut] = true;
}

function watchSocketTimeouts(socket: Socket): void {
  socket.on('timeout', onSocketTimeout);
}

/**
 * Installs the request path on the app's Express instance. Call after Nest registered its
 * routes and before its 404 handler (onModuleInit): routes added later are traced from the end
 * listener (`req.route`), or by method only when nothing waits for their end.
 */
export function installExpressRequestPath(
  adapter: ExpressAdapterLike,
  options: ResolvedOptions,
  runtime: TracingRuntime | null,
): void {
  const app = adapter.getInstance<ExpressApp>();
  const idHeader = options.requestIdHeader;
  const echoHeader = options.echoRequestId ? options.requestIdHeader : null;
  const generate = options.generateRequestId;
  const observer = options.observer;
  const tracing = runtime === null ? null : options.tracing;
  const tracer = runtime === null ? null : runtime.tracer;
  const propagator = runtime === null ? null : runtime.propagator;
  const ignore = tracing === null ? null : tracing.ignore;
  // Baggage formats configured: one header read per request; more only when baggage came.
  const extractBaggage = propagator === null || propagator.extractBaggage === undefined ? null : propagator.extractBaggage;
  const baggageKeys = tracing === null ? null : tracing.baggageAttributes;
  // 'otel' mode makes the server span active in OpenTelemetry's context when the route starts it.
  const otelEnter = runtime === null || runtime.enterRequest === undefined ? null : runtime.enterRequest;
  const observed = tracer !== null || observer !== null;
  const metered = runtime !== null && options.metrics != null && options.metrics.spanEndHook != null;
  // The request id is echoed when the request opens (middleware may answer it); the writer
  // adds only the trace headers, once the route started the span.
  const writeTraceHeaders = createHeaderWriter({ ...options, echoRequestId: false }, runtime);

  function isTraced(route: string, isTemplate: boolean): boolean {
    return tracer !== null && (ignore === null || !ignore.matches(route, isTemplate));
  }

  function watch(res: ExpressResponse, store: ContextStore): void {
    res[kResponseStore] = store;
    res.on('close', onResponseClose);
  }

  // Hot path: the first middleware of every request. `performance.now()` is the engine's span
  // clock (engine/spans/clock.ts).
  function open(req: ExpressRequest, res: ExpressResponse): ContextStore {
    const headers = req.headers;
    const startTime = observed ? performance.now() : 0;
    const parent = propagator === null ? null : propagator.extract(headers);
    const store = createStore(resolveRequestId(headers[idHeader], generate), parent, new RequestFrame(startTime, req.method!, '', null));
    req[kStore] = store;
    if (extractBaggage !== null) {
      const baggage = extractBaggage(headers);
      if (baggage !== null) attachBaggage(store, baggage);
    }
    if (echoHeader !== null) res.setHeader(echoHeader, store.requestId);
    if (observer !== null) watch(res, store);
    return store;
  }

  function onRequest(req: ExpressRequest, res: ExpressResponse, done: (err?: unknown) => void): void {
    runWithStore(open(req, res), done);
  }

  /** The route (or no route: '') takes the request: starts its span and writes the trace headers. */
  function claim(req: ExpressRequest, res: ExpressResponse, store: ContextStore, frame: RequestFrame, route: string, name: string | null, traced: boolean): void {
    frame.route = route;
    let span: Span | null = null;
    if (traced) {
      span = startServerSpanUnder(tracer!, store.span as TraceContext | null, name ?? serverSpanName(frame.method, route), frame.startTime);
      if (span.isRecording()) {
        writeExpressRequestAttributes(span, req, frame.method, route);
        // The span starts at the route on Express: the listed entries the request carries by then.
        if (baggageKeys !== null) {
          const baggage = storeBaggage(store);
          if (baggage !== null) copyBaggageAttributes(span, baggage, baggageKeys);
        }
      }
      frame.span = span;
    }
    // As on Fastify, an ignored route's handler runs with no trace active.
    store.span = span;
    if (writeTraceHeaders !== null) writeTraceHeaders(res, store.requestId, span);
    if (observer === null && span !== null && (metered || span.isRecording())) watch(res, store);
  }

  /** Runs the rest of the route in the request's context (re-entered, or with the span active in OTel). */
  function proceed(store: ContextStore, claimed: boolean, next: (err?: unknown) => void): void {
    if (claimed && otelEnter !== null) otelEnter(store, next);
    else if (currentStore() !== store) runWithStore(store, next);
    else next();
  }

  /** The first layer of one route, made once when the module starts. `nested`: in a mounted router. */
  function routeLayer(path: string, method: string | null, nested: boolean): RouteHandler {
    const name = method === null || nested ? null : serverSpanName(method, path);
    const traced = nested ? false : isTraced(path, true);
    return function onExpressRoute(req, res, next): void {
      const store = req[kStore];
      if (store === undefined) {
        next();
        return;
      }
      const frame = store.frame as RequestFrame;
      // The first route that matches takes the request (a route calling next() passes it on).
      const claimed = frame.route === '' && frame.span === null && !frame.finished;
      if (claimed) {
        if (nested) {
          // A router mounted with app.use(path, router): its mount path is known per request.
          const route = req.baseUrl + path;
          claim(req, res, store, frame, route, null, isTraced(route, true));
        } else {
          // HEAD runs a GET route's layers: its name is made for that request.
          claim(req, res, store, frame, path, req.method === method ? name : null, traced);
        }
      }
      proceed(store, claimed, next);
    };
  }

  function onUnrouted(req: ExpressRequest, res: ExpressResponse, next: (err?: unknown) => void): void {
    const store = req[kStore];
    if (store !== undefined) {
      const frame = store.frame as RequestFrame;
      if (frame.route === '' && frame.span === null && !frame.finished) claim(req, res, store, frame, '', null, isTraced(req.path, false));
    }
    next();
  }

  function onResponseClose(this: ExpressResponse): void {
    const store = this[kResponseStore];
    if (store === undefined) return;
    const frame = store.frame as RequestFrame;
    if (frame.finished) return;
    frame.finished = true;
    const req = this.req;
    if (frame.route === '') adoptLateRoute(req, frame);
    const endTime = performance.now();
    let statusCode = this.statusCode;
    let reason: EndReason = EndReason.RESPONSE;
    // `writableFinished`: the whole response went to the socket; otherwise the client left or
    // the socket timed out first.
    if (!this.writableFinished) {
      statusCode = 0;
      reason = (req.socket as TimedSocket)[kTimedOut] === true ? EndReason.TIMEOUT : EndReason.ABORTED;
    }
    if (frame.span !== null) endServerSpan(frame.span, statusCode, reason, endTime);
    if (observer !== null) observer(frame.route, frame.method, statusCode, endTime - frame.startTime);
  }

  app.use(onUnrouted);
  hookRoutes(app.router.stack, false, routeLayer);
  const previous = (adapter as { onRequestHook?: RouteHandler }).onRequestHook;
  if (typeof previous === 'function') {
    // Another request hook was set first: it runs inside the context, as the app's middleware do.
    const callPrevious = previous.bind(adapter);
    adapter.setOnRequestHook(function onRequestThenPrevious(req, res, done): void {
      runWithStore(open(req, res), callPrevious, req, res, done);
    });
  } else {
    adapter.setOnRequestHook(onRequest);
  }
  if (observed) adapter.getHttpServer()?.on('connection', watchSocketTimeouts);
}

/** A route other code registered after the module started: Express set `req.route` on match. */
function adoptLateRoute(req: ExpressRequest, frame: RequestFrame): void {
  const route = req.route;
  if (route === undefined || typeof route.path !== 'string') return;
  const template = req.baseUrl + route.path;
  frame.route = template;
  const span = frame.span;
  if (span !== null && span.isRecording()) {
    span.updateName(serverSpanName(frame.method, template));
    span.setAttribute('http.route', template);
  }
}
