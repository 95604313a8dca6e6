// The span of one traced library call, carried on the call's TracingChannel message. Shared by
// every library integration (ioredis, node-redis, mysql2, GraphQL): decide whether to record,
// keep the span on the message, end it once.
//
// When a call ends: Node's tracePromise and traceCallback publish `end` when the call returns,
// then `asyncStart`/`asyncEnd` when it settles (after `error` on failure); a call that throws
// synchronously publishes `error` and `end` and never `asyncEnd`. So a span ends on `asyncEnd`,
// or on `end` when the message already carries its error (dd-trace-js#8676 ended on `end` and
// measured every database call as ~0 ms).

import type { ContextStore } from '../context/index.js';
import { SpanStatusCode, type Attributes, type SpanKind } from '../spans/span-data.js';
import { errorMessage } from '../spans/exception.js';
import { activeTraceContext } from './active-trace.js';
import type { OutboundSpan, OutboundTracer } from './outbound-config.js';

/** Where a message keeps its span: a symbol, so no library field and no other subscriber's can clash. */
export const SPAN = Symbol('nestjs-trace-context.span');

/** The fields Node's TracingChannel adds to a message, and ours. */
export interface TracedMessage {
  error?: unknown;
  result?: unknown;
  [SPAN]?: OutboundSpan | null;
}

/**
 * Whether a call made here is recorded: inside a context whose active trace is sampled.
 * Hot path for every traced call of an instrumented library: an unsampled request stops at
 * this one check, with nothing allocated (bench/micro/library-spans.bench.ts measures it).
 */
export function recordsHere(store: ContextStore | undefined): boolean {
  if (store === undefined) return false;
  const parent = activeTraceContext(store);
  return parent !== null && parent.sampled;
}

/** Starts the span of a call in a sampled scope (a child of the active span) and keeps it on the message. */
export function startCallSpan(
  tracer: OutboundTracer,
  message: TracedMessage,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
): OutboundSpan {
  const span = tracer.startSpan(name, { kind, attributes });
  message[SPAN] = span;
  return span;
}

/**
 * OpenTelemetry's `error.type`: the error's string code (`ER_NO_SUCH_TABLE`, `ECONNREFUSED`),
 * else its class (`ReplyError`, node-redis's `SimpleError`), else `_OTHER`.
 */
function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '_OTHER';
  const e = error as { code?: unknown; name?: unknown };
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  // A subclass that never set `name` (node-redis's SimpleError) still says what it is by class.
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  if (e.name === 'Error' && typeof ctor?.name === 'string' && ctor.name !== '' && ctor.name !== 'Error') return ctor.name;
  if (typeof e.name === 'string' && e.name !== '') return e.name;
  return '_OTHER';
}

/** Marks a span failed with `error` (status ERROR, `error.type`, an exception event). */
function failSpan(span: OutboundSpan, error: unknown): void {
  span.setAttribute('error.type', errorType(error));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

/** Ends the message's span (once): failed when the message carries an error. */
export function finishCallSpan(message: TracedMessage): void {
  const span = message[SPAN];
  if (span === undefined || span === null) return;
  message[SPAN] = null;
  if (message.error !== undefined) failSpan(span, message.error);
  span.end();
}
