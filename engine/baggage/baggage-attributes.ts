// `tracing.baggage.toSpanAttributes`: the allow-listed baggage entries copied onto spans, under
// the entry's own key (as OpenTelemetry's BaggageSpanProcessor names them). Nothing outside
// the list is ever copied: baggage comes from callers and may hold what must not be exported.

import { invalidOption } from '../errors.js';
import type { Baggage } from './baggage.js';
import { isToken } from './baggage.js';

interface AttributeSink {
  setAttribute(key: string, value: string): unknown;
}

/** Writes the listed entries that `baggage` has onto `span`. */
export function copyBaggageAttributes(span: AttributeSink, baggage: Baggage, keys: readonly string[]): void {
  for (let i = 0; i < keys.length; i++) {
    const value = baggage.get(keys[i]!);
    if (value !== undefined) span.setAttribute(keys[i]!, value);
  }
}

/** A validated, frozen key list (null when empty or absent); errors name `optionPath[i]`. */
export function resolveBaggageKeys(value: unknown, optionPath: string): readonly string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value)) throw invalidOption(optionPath, value, "an array of baggage keys, e.g. ['tenant.id', 'user.tier']");
  const keys: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const key: unknown = value[i];
    if (typeof key !== 'string' || !isToken(key)) {
      throw invalidOption(`${optionPath}[${i}]`, key, "a baggage key: a token of letters, digits and !#$%&'*+-.^_`|~");
    }
    if (!keys.includes(key)) keys.push(key);
  }
  return keys.length === 0 ? null : Object.freeze(keys);
}
