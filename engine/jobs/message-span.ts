// The span of one message or job taken from a carrier: a child of the carrier's context, or
// (link) a new root linked to it. OpenTelemetry messaging conventions, "Trace structure":
// a consumer that processes one message continues its trace; a batch, fan-out or a repeating
// job starts its own trace and links the message's context instead, so one producer's trace
// does not grow without bound.

import type { TraceContext } from '../propagation/trace-context.js';
import { SpanStatusCode, type Attributes, type SpanKind } from '../spans/span-data.js';
import type { CarrierSpan, CarrierTracer } from './carrier-tracing.js';

export function startMessageSpan(
  tracer: CarrierTracer,
  parent: TraceContext | null,
  name: string,
  kind: SpanKind,
  link: boolean,
  attributes: Attributes | undefined,
): CarrierSpan {
  if (parent !== null && link) {
    return tracer.startSpan(name, { kind, parent: null, attributes, links: [{ context: parent }] });
  }
  // parent null: a new root (the carrier was missing or invalid).
  return tracer.startSpan(name, { kind, parent, attributes });
}

/**
 * Marks a span failed: exception event, `error.type` (semantic conventions: the error's class
 * or code) and error status with the message. Never throws, whatever was thrown.
 */
export function failSpan(span: CarrierSpan, error: unknown): void {
  let type = '_OTHER';
  let message = '';
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown; constructor?: { name?: unknown } };
    try {
      if (typeof e.code === 'string') type = e.code;
      else if (typeof e.constructor?.name === 'string' && e.constructor.name !== 'Object') type = e.constructor.name;
      else if (typeof e.name === 'string') type = e.name;
      if (typeof e.message === 'string') message = e.message;
    } catch {
      // a throwing getter on a thrown object: keep the defaults
    }
  } else if (typeof error === 'string') {
    message = error;
  }
  span.setAttribute('error.type', type);
  span.recordException(error);
  span.setStatus(message === '' ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
}
