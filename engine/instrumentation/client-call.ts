// The client span of one outbound call, shared by every client integration (undici, node:http):
// start it under the active span, inject its context into the call's headers, end it with the
// response status or the error. Each client supplies a HeaderTarget so header access needs no
// per-call closure.

import { currentStore } from '../context/index.js';
import type { TraceContext } from '../propagation/trace-context.js';
import { SpanKind, SpanStatusCode } from '../spans/span-data.js';
import type { OriginInfo } from './origin-info.js';
import type { OutboundConfig, OutboundSpan } from './outbound-config.js';
import { activeTraceContext } from './active-trace.js';
import { urlFull } from './url-full.js';

/** How one client reads and adds request headers. `name` is lower case. */
export interface HeaderTarget<R> {
  has(request: R, name: string): boolean;
  add(request: R, name: string, value: string): void;
}

/**
 * Starts the client span for a call and injects its context, or returns null when the call is
 * left untouched: outside any context, or in a context with no active trace (exporters send
 * outside any context, so their own requests are never traced).
 * Hot path per outbound call.
 */
export function beginCall<R>(
  config: OutboundConfig,
  method: string,
  info: OriginInfo,
  path: string,
  target: HeaderTarget<R>,
  request: R,
): OutboundSpan | null {
  const store = currentStore();
  if (store === undefined) return null;
  const parent = activeTraceContext(store);
  if (parent === null) return null;
  const url = info.origin + path;
  // An unsampled parent makes a non-recording span: build no attribute object for it (and so
  // no redacted url.full either).
  const span = config.tracer.startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: parent.sampled
      ? {
          'http.request.method': method,
          'url.full': urlFull(info.origin, path, config.sensitiveQueryParams),
          'server.address': info.address,
          'server.port': info.port,
        }
      : undefined,
  });
  if (info.listed && allowedByPredicate(config, url, info.origin)) {
    injectInto(config, callContext(span.spanContext(), parent), target, request);
  }
  return span;
}

/**
 * The context to send. A tracer may hand an unsampled child its parent's own non-recording
 * span (engine/spans does, to allocate nothing per unsampled span); sending that would give
 * every call the same parent-id, which W3C trace-context §3.2.2.4 and the test harness's
 * AdvancedTest reject. So an unsampled call that got no span id of its own gets a fresh one.
 */
function callContext(ctx: TraceContext, parent: TraceContext): TraceContext {
  return ctx.spanId !== parent.spanId ? ctx : parent.createChild();
}

function allowedByPredicate(config: OutboundConfig, url: string, origin: string): boolean {
  if (config.predicate === null) return true;
  try {
    return config.predicate(url, origin) === true;
  } catch {
    // A throwing predicate must not fail the user's call; sending nothing is the safe side.
    return false;
  }
}

function injectInto<R>(config: OutboundConfig, ctx: TraceContext, target: HeaderTarget<R>, request: R): void {
  const carrier: Record<string, string> = {};
  config.inject(ctx, carrier);
  for (const name in carrier) {
    const lower = name.toLowerCase();
    // Headers the caller set itself win (e.g. from injectTraceHeaders): never send two
    // traceparent headers (W3C trace-context §3.2: exactly one; the test harness fails on two).
    if (!target.has(request, lower)) target.add(request, lower, carrier[name]!);
  }
}

/**
 * Ends a client span with the response status. OpenTelemetry HTTP semantic conventions: a
 * client span is an error for 4xx and 5xx (`error.type` = the status code).
 */
export function finishCall(span: OutboundSpan, statusCode: number): void {
  span.setAttribute('http.response.status_code', statusCode);
  if (statusCode >= 400) {
    span.setAttribute('error.type', String(statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Ends a client span for a call that failed without a response (network error, abort, timeout). */
export function failCall(span: OutboundSpan, error: unknown): void {
  const err = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  const type = err !== null && typeof err === 'object' ? (typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : '_OTHER') : '_OTHER';
  span.setAttribute('error.type', type);
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err !== null && typeof err === 'object' && typeof err.message === 'string' ? err.message : String(error) });
  span.end();
}
