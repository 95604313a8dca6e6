// pino's `mixin`: `pino({ mixin: traceMixin })` adds the active span's ids to every line written
// inside a request (and nothing outside one). It reads the context at the line's write, unlike
// OpenTelemetry's pino instrumentation, which patches pino and needs a require hook (so not
// under ESM). Field names and baggage keys are set once, in createTraceMixin.

import { resolveBaggageKeys } from '../baggage/baggage-attributes.js';
import { storeBaggage } from '../baggage/active-baggage.js';
import { currentStore } from '../context/request-context.js';
import { invalidOption } from '../errors.js';
import { activeTraceContext } from '../instrumentation/active-trace.js';
import { FLAGS_HEX } from './trace-log-fields.js';

export interface TraceMixinOptions {
  /** Names of the fields written. Defaults: trace_id, span_id, trace_flags, request_id; `false` leaves one out. */
  readonly fields?: {
    readonly traceId?: string | false;
    readonly spanId?: string | false;
    readonly traceFlags?: string | false;
    readonly requestId?: string | false;
  };
  /** Baggage keys written (under the key itself) when the context carries them. */
  readonly baggage?: readonly string[];
}

/** A pino mixin: returns a new object per line (pino merges the line's own fields into it). */
export type TraceMixin = (mergeObject?: object, level?: number) => Record<string, string>;

const FIELD_KEYS = ['traceId', 'spanId', 'traceFlags', 'requestId'] as const;

function fieldName(value: unknown, fallback: string, path: string): string | null {
  if (value === undefined) return fallback;
  if (value === false) return null;
  if (typeof value !== 'string' || value === '') throw invalidOption(path, value, 'a non-empty field name, or false to leave the field out');
  return value;
}

/** A pino `mixin` with the given field names and baggage keys (validated here, once). */
export function createTraceMixin(options: TraceMixinOptions = {}): TraceMixin {
  if (typeof options !== 'object' || options === null) throw invalidOption('traceMixin', options, 'an object { fields?, baggage? }');
  const fields: Record<string, unknown> = options.fields ?? {};
  if (typeof fields !== 'object' || fields === null) throw invalidOption('traceMixin.fields', fields, 'an object { traceId?, spanId?, traceFlags?, requestId? }');
  for (const key of Object.keys(fields)) {
    if (!(FIELD_KEYS as readonly string[]).includes(key)) throw invalidOption(`traceMixin.fields.${key}`, fields[key], `no such field; fields takes ${FIELD_KEYS.join(', ')}`);
  }
  const traceIdName = fieldName(fields['traceId'], 'trace_id', 'traceMixin.fields.traceId');
  const spanIdName = fieldName(fields['spanId'], 'span_id', 'traceMixin.fields.spanId');
  const flagsName = fieldName(fields['traceFlags'], 'trace_flags', 'traceMixin.fields.traceFlags');
  const requestIdName = fieldName(fields['requestId'], 'request_id', 'traceMixin.fields.requestId');
  const baggageKeys = resolveBaggageKeys(options.baggage, 'traceMixin.baggage');

  return function traceMixin(): Record<string, string> {
    const out: Record<string, string> = {};
    const store = currentStore();
    if (store === undefined) return out;
    const ctx = activeTraceContext(store);
    if (ctx !== null) {
      if (traceIdName !== null) out[traceIdName] = ctx.traceId;
      if (spanIdName !== null) out[spanIdName] = ctx.spanId;
      if (flagsName !== null) out[flagsName] = FLAGS_HEX[ctx.traceFlags & 0xff]!;
    }
    if (requestIdName !== null && store.requestId !== '') out[requestIdName] = store.requestId;
    if (baggageKeys !== null) {
      const baggage = storeBaggage(store);
      if (baggage !== null) baggage.pick(out, baggageKeys);
    }
    return out;
  };
}

/** `pino({ mixin: traceMixin })`: trace_id, span_id, trace_flags, request_id on every line in a request. */
export const traceMixin: TraceMixin = createTraceMixin();
