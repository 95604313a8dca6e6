// The server span of one request: named `{METHOD} {route template}` (method only when no route
// matched), with the stable HTTP semantic-convention attributes
// (opentelemetry.io/docs/specs/semconv/http/http-spans/, "HTTP server span").
// Attributes are written only on a recording span: an unsampled request builds nothing here.

import {
  SpanKind,
  SpanStatusCode,
  type IncomingHeaders,
  type Propagator,
  type Span,
  type StartSpanOptions,
  type TraceContext,
  type Tracer,
} from '../../engine/index.js';
import type { FastifyRequest } from 'fastify';

/**
 * One options object per process, refilled per request: Tracer.startSpan reads its options
 * synchronously and keeps none of them, so this saves an allocation on every request.
 */
const serverOptions: { kind: SpanKind; parent: TraceContext | null; startTime: number } = {
  kind: SpanKind.SERVER,
  parent: null,
  startTime: 0,
};

/** The span name: `{METHOD} {route template}`, or the method alone when no route matched. */
export function serverSpanName(method: string, route: string): string {
  return route === '' ? method : method + ' ' + route;
}

/** Starts the server span for `req`, continuing the trace extracted from its headers. */
export function startServerSpan(
  tracer: Tracer,
  propagator: Propagator,
  req: FastifyRequest,
  headers: IncomingHeaders,
  method: string,
  route: string,
  name: string,
  startTime: number,
): Span {
  serverOptions.parent = propagator.extract(headers);
  serverOptions.startTime = startTime;
  const span = tracer.startSpan(name, serverOptions as StartSpanOptions);
  serverOptions.parent = null;
  if (span.isRecording()) writeRequestAttributes(span, req, headers, method, route);
  return span;
}

/**
 * Starts a server span under an already extracted parent (Express extracts it when the request
 * opens and starts the span when the route matches). Same shared options object as above.
 */
export function startServerSpanUnder(tracer: Tracer, parent: TraceContext | null, name: string, startTime: number): Span {
  serverOptions.parent = parent;
  serverOptions.startTime = startTime;
  const span = tracer.startSpan(name, serverOptions as StartSpanOptions);
  serverOptions.parent = null;
  return span;
}

function writeRequestAttributes(
  span: Span,
  req: FastifyRequest,
  headers: IncomingHeaders,
  method: string,
  route: string,
): void {
  const url = req.url;
  const query = url.indexOf('?');
  span.setAttribute('http.request.method', method);
  span.setAttribute('url.path', query === -1 ? url : url.slice(0, query));
  span.setAttribute('url.scheme', req.protocol);
  if (route !== '') span.setAttribute('http.route', route);
  const host = req.hostname;
  if (host !== '') span.setAttribute('server.address', host);
  const port = req.port;
  if (port !== null && port > 0) span.setAttribute('server.port', port);
  const client = req.ip;
  if (client !== undefined) span.setAttribute('client.address', client);
  const agent = headers['user-agent'];
  if (typeof agent === 'string') span.setAttribute('user_agent.original', agent);
  span.setAttribute('network.protocol.version', req.raw.httpVersion);
}

/** Why a request ended without a normal response. */
export const EndReason = {
  RESPONSE: 0,
  ABORTED: 1,
  TIMEOUT: 2,
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/**
 * Writes the outcome and ends the span. Semconv: server spans are errors for 5xx only (4xx is
 * the client's fault), with `error.type` the status code; a request that never got its
 * response (client gone, socket timeout) is an error too.
 */
export function endServerSpan(span: Span, statusCode: number, reason: EndReason, endTime: number): void {
  if (span.isRecording()) {
    if (reason === EndReason.RESPONSE) {
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) {
        span.setAttribute('error.type', String(statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } else {
      const type = reason === EndReason.ABORTED ? 'aborted' : 'timeout';
      span.setAttribute('error.type', type);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: reason === EndReason.ABORTED ? 'client closed the connection before the response' : 'socket timed out',
      });
    }
  }
  span.end(endTime);
}
