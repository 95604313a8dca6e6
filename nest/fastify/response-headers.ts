// The response headers the module adds: the request id (`requestId.echo`), and for a traced
// request `traceparent`, `server-timing` and the custom span id header when configured.
// Written on the reply when the request opens (Fastify keeps reply headers until it sends,
// error answers included), not in an onSend hook: the values are all known by then, and an
// onSend hook makes Fastify run one more hook-runner pass on every request. A handler or filter
// that sets one of these headers itself now wins over the module's value.
// Express writes them when the route matches (nest/express/request-path.ts): its response has
// the same `header(name, value)` method as Fastify's reply.

import type { Span } from '../../engine/index.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { TracingRuntime } from '../tracing/tracing-runtime.js';

/** Fastify's reply and Express's response both set a header with `header(name, value)`. */
interface HeaderTarget {
  header(name: string, value: string): unknown;
}

type HeaderWriter = (reply: HeaderTarget, requestId: string, span: Span | null) => void;

/** Writes the configured headers, or null when no header is configured (nothing per request). */
export function createHeaderWriter(options: ResolvedOptions, runtime: TracingRuntime | null): HeaderWriter | null {
  const idHeader = options.echoRequestId ? options.requestIdHeader : null;
  const tracing = runtime === null ? null : options.tracing;
  const traceparent = tracing !== null && tracing.traceparentHeader;
  const serverTiming = tracing !== null && tracing.serverTimingHeader;
  const spanIdHeader = tracing === null ? null : tracing.spanIdResponseHeader;
  const anyTrace = traceparent || serverTiming || spanIdHeader !== null;
  if (idHeader === null && !anyTrace) return null;

  return function writeHeaders(reply, requestId, span): void {
    if (idHeader !== null) reply.header(idHeader, requestId);
    if (!anyTrace || span === null) return;
    const ctx = span.spanContext();
    if (traceparent || serverTiming) {
      const value = ctx.toW3CFormat();
      if (traceparent) reply.header('traceparent', value);
      // The Server-Timing convention browsers' Resource Timing API exposes to page scripts.
      if (serverTiming) reply.header('server-timing', 'traceparent;desc="' + value + '"');
    }
    if (spanIdHeader !== null) reply.header(spanIdHeader, ctx.spanId);
  };
}
