// Manual propagation for clients the instrumentation does not see (axios with a custom adapter,
// got over http2, gRPC metadata, message brokers): the headers of the active trace context.

import { currentStore } from '../context/index.js';
import { invalidArgument } from '../errors.js';
import { carrierTracing } from '../jobs/carrier-tracing.js';
import { activeTraceContext } from './active-trace.js';
import { activeInject, isOutboundHttpEnabled } from './outbound-http.js';

/**
 * Writes the propagation headers of the active span into `headers` (a new object when omitted)
 * and returns it. Uses the propagator of `enableOutboundHttp`; when outbound HTTP is off, the
 * trace carriers' one (a Nest app's configured formats, also with `outboundHttp: false`; else
 * `configureTraceCarriers`; else W3C), so the headers always match what the app propagates.
 * Outside any context, or with no active trace, returns `headers` unchanged. The headers name
 * the active span as parent: to give the call its own client span, start one and call this
 * inside it.
 */
export function injectTraceHeaders<H extends Record<string, string>>(headers?: H): H {
  const target = headers === undefined ? ({} as H) : headers;
  if (typeof target !== 'object' || target === null) {
    throw invalidArgument('headers', headers, 'an object of header names to string values');
  }
  const store = currentStore();
  if (store === undefined) return target;
  const ctx = activeTraceContext(store);
  if (ctx === null) return target;
  if (isOutboundHttpEnabled()) activeInject()(ctx, target as Record<string, string>);
  else carrierTracing().propagator.inject(ctx, target as Record<string, string>);
  return target;
}
