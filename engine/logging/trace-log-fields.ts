// Log correlation: the ids of the span active where a log line is written, under
// OpenTelemetry's log-correlation names (trace_id, span_id, trace_flags), plus the request id.
// Read from the context store at the call, so a line written inside an `@Span` method carries
// that span's id, and a line written outside any request carries nothing.

import { storeBaggage } from '../baggage/active-baggage.js';
import { currentStore } from '../context/request-context.js';
import { invalidArgument } from '../errors.js';
import { activeTraceContext } from '../instrumentation/active-trace.js';

/** What `traceLogFields()` returns inside a traced request (baggage entries are extra keys). */
export interface TraceLogFields {
  readonly trace_id?: string;
  readonly span_id?: string;
  /** The W3C flags byte as two hex digits ('01' sampled), as OpenTelemetry's log bridges write it. */
  readonly trace_flags?: string;
  readonly request_id?: string;
  readonly [baggageKey: string]: string | undefined;
}

export interface TraceLogFieldsOptions {
  /** Baggage keys whose values are added (under the key itself) when the context carries them. */
  readonly baggage?: readonly string[];
}

/**
 * Returned outside any context: shared and frozen, so a log call outside a request allocates
 * nothing here (bench/micro/logging.bench.ts, "outside a context").
 */
export const NO_LOG_FIELDS: TraceLogFields = Object.freeze({});

/** '00'..'ff' by flags byte: no toString/padStart per line. */
export const FLAGS_HEX: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16)));

/**
 * `{ trace_id, span_id, trace_flags, request_id }` of the span active here (the ids fields
 * only when a trace is active, request_id only when the context has one), plus the listed
 * baggage entries. Outside any context, the shared empty NO_LOG_FIELDS.
 */
export function traceLogFields(options?: TraceLogFieldsOptions): TraceLogFields {
  const store = currentStore();
  if (store === undefined) return NO_LOG_FIELDS;
  const ctx = activeTraceContext(store);
  const requestId = store.requestId;
  let fields: Record<string, string>;
  if (ctx !== null) {
    const flags = FLAGS_HEX[ctx.traceFlags & 0xff]!;
    fields =
      requestId === ''
        ? { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: flags }
        : { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: flags, request_id: requestId };
  } else if (requestId !== '') fields = { request_id: requestId };
  else fields = {};
  if (options !== undefined) {
    const keys = options === null ? undefined : options.baggage;
    if (keys !== undefined) {
      if (!Array.isArray(keys)) throw invalidArgument('options.baggage', keys, 'an array of baggage keys');
      const baggage = storeBaggage(store);
      if (baggage !== null) baggage.pick(fields, keys as readonly string[]);
    }
  }
  return fields;
}
