// Span limits, with OpenTelemetry's defaults (SDK spec "Span Limits"): 128 attributes, events
// and links per span, 128 attributes per event and per link, unlimited value length.
// Resolved once per tracer; `Infinity` stands for "unlimited" so the hot path compares numbers.
//
// Each limit comes from the option in code, else its OTEL_* variable: the span-specific one
// (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, ...), else the general attribute limit
// (OTEL_ATTRIBUTE_COUNT_LIMIT, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT), which the spec's "Attribute
// Limits" apply to every attribute collection (span, event and link attributes), else the
// default. A variable that is not an integer >= 0 is reported and ignored, as every OTEL_*
// variable is (engine/config/env.ts).

import { envInteger, type Env } from '../config/env.js';
import { consoleLogger, type ExportLogger } from '../config/logger.js';
import { invalidOption } from '../errors.js';

export interface SpanLimits {
  /** Attributes per span. Default 128. */
  attributeCountLimit?: number;
  /** Characters kept of a string value (and of each string in an array). Default unlimited. */
  attributeValueLengthLimit?: number;
  /** Events per span. Default 128. */
  eventCountLimit?: number;
  /** Links per span. Default 128. */
  linkCountLimit?: number;
  /** Attributes per event. Default 128. */
  attributePerEventCountLimit?: number;
  /** Attributes per link. Default 128. */
  attributePerLinkCountLimit?: number;
}

export type ResolvedSpanLimits = { readonly [K in keyof SpanLimits]-?: number };

const DEFAULTS: ResolvedSpanLimits = Object.freeze({
  attributeCountLimit: 128,
  attributeValueLengthLimit: Infinity,
  eventCountLimit: 128,
  linkCountLimit: 128,
  attributePerEventCountLimit: 128,
  attributePerLinkCountLimit: 128,
});

/** Each limit's variables, the span-specific one first. */
const VARIABLES: { readonly [K in keyof SpanLimits]-?: readonly string[] } = {
  attributeCountLimit: ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
  attributeValueLengthLimit: ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
  eventCountLimit: ['OTEL_SPAN_EVENT_COUNT_LIMIT'],
  linkCountLimit: ['OTEL_SPAN_LINK_COUNT_LIMIT'],
  attributePerEventCountLimit: ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
  attributePerLinkCountLimit: ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'],
};

function fromEnv(env: Env, logger: ExportLogger): Record<string, number> {
  const out: Record<string, number> = { ...DEFAULTS };
  for (const [key, names] of Object.entries(VARIABLES)) {
    for (const name of names) {
      const value = envInteger(env, name, 0, logger);
      if (value !== undefined) {
        out[key] = value;
        break;
      }
    }
  }
  return out;
}

const NO_ENV: Env = {};

export function resolveSpanLimits(limits: SpanLimits | undefined, path = 'limits', env: Env = NO_ENV, logger: ExportLogger = consoleLogger): ResolvedSpanLimits {
  const fromVariables = fromEnv(env, logger);
  if (limits === undefined) return Object.freeze(fromVariables) as ResolvedSpanLimits;
  if (typeof limits !== 'object' || limits === null) throw invalidOption(path, limits, 'an object of span limits');
  const out: Record<string, number> = fromVariables;
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULTS)) throw invalidOption(`${path}.${key}`, value, `no such limit (known: ${Object.keys(DEFAULTS).join(', ')})`);
    if (value === undefined) continue;
    if (value !== Infinity && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
      throw invalidOption(`${path}.${key}`, value, 'an integer >= 0, or Infinity');
    }
    out[key] = value;
  }
  return Object.freeze(out) as ResolvedSpanLimits;
}
