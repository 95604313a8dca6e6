// The baggage of the active context. It lives in the store's value map under a key of its own,
// so it follows the same scoping as user values: a span scope (`@Span`, startActiveSpan) shares
// the request's map, so baggage set inside one is visible to the rest of the request; a
// `context.run` child starts from a copy, so what it sets stays inside. The Baggage object
// itself is immutable: setBaggage stores a new one (copy on write), and anything that captured
// the old one keeps it unchanged. A request without baggage has no entry at all.

import { ContextKey } from '../context/context-key.js';
import type { ContextStore } from '../context/context-store.js';
import { currentStore } from '../context/request-context.js';
import { contextNotActive } from '../errors.js';
import { EMPTY_BAGGAGE, type Baggage, type BaggageEntry } from './baggage.js';

/** Not registered under a name: `ContextKey.for(...)` can never reach this slot. */
const BAGGAGE_KEY = new ContextKey<Baggage>('nestjs-trace-context.baggage');
const SLOT = BAGGAGE_KEY.id;

/** The baggage a store holds, or null. One property read when it holds none. */
export function storeBaggage(store: ContextStore): Baggage | null {
  const values = store.values;
  if (values === null) return null;
  const baggage = values[SLOT];
  return baggage === undefined ? null : (baggage as Baggage);
}

/** Integration surface: gives a store the baggage extracted for it (a request, a message, a job). */
export function attachBaggage(store: ContextStore, baggage: Baggage): void {
  let values = store.values;
  if (values === null) {
    values = [];
    store.values = values;
  }
  values[SLOT] = baggage;
}

/** The active context's baggage: a shared empty one outside any context or when none came. */
export function getBaggage(): Baggage {
  const store = currentStore();
  if (store === undefined) return EMPTY_BAGGAGE;
  return storeBaggage(store) ?? EMPTY_BAGGAGE;
}

/** One entry (`.value`, `.properties`) of the active baggage, or undefined. */
export function getBaggageEntry(key: string): BaggageEntry | undefined {
  const store = currentStore();
  if (store === undefined) return undefined;
  const baggage = storeBaggage(store);
  return baggage === null ? undefined : baggage.getEntry(key);
}

/**
 * Sets `key` in the active context's baggage: later outbound calls, messages and job carriers of
 * this request carry it. `properties` is W3C property text (`ttl=30;flag`). Throws
 * ERR_CONTEXT_NOT_ACTIVE outside a context, ERR_INVALID_ARGUMENT for a key that is not a token.
 */
export function setBaggage(key: string, value: string, properties = ''): void {
  const store = currentStore();
  if (store === undefined) throw contextNotActive(`setBaggage(${String(key)})`);
  attachBaggage(store, (storeBaggage(store) ?? EMPTY_BAGGAGE).with(key, value, properties));
}
