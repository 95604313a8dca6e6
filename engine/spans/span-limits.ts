// Span limits, with OpenTelemetry's defaults (SDK spec "Span Limits"): 128 attributes, events
// and links per span, 128 attributes per event and per link, unlimited value length.
// Resolved once per tracer; `Infinity` stands for "unlimited" so the hot path compares numbers.

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

export function resolveSpanLimits(limits: SpanLimits | undefined, path = 'limits'): ResolvedSpanLimits {
  if (limits === undefined) return DEFAULTS;
  if (typeof limits !== 'object' || limits === null) throw invalidOption(path, limits, 'an object of span limits');
  const out: Record<string, number> = { ...DEFAULTS };
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
