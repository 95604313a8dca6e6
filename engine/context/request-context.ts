// The request context: one module-level AsyncLocalStorage and the operations on its store.
//
// Why one ALS: every extra AsyncLocalStorage instance adds a lookup to each async hop, and
// Node (v20) propagates all of them on every promise. One store object per request carries
// everything (ids, the active span, user values), so there is exactly one ALS per process.
// `enterWith` is never used on a request path: it leaks the store into whatever the caller
// does next (see nodejs/node#45848 and fastify-request-context's use of `run`).

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  contextKeyExists,
  contextKeyMissing,
  contextNotActive,
  invalidArgument,
} from '../errors.js';
import { ContextKey } from './context-key.js';
import {
  ContextSnapshot,
  ContextStore,
  copyValueMap,
  createValueMap,
  deleteSlot,
  hasValue,
  readValue,
  writeSlot,
  type ValueMap,
} from './context-store.js';

const als = new AsyncLocalStorage<ContextStore>();

/** What `set` and `merge` do when a key already has a value. */
export type SetPolicy = 'overwrite' | 'ignore' | 'deny';

/** Initial contents of a context opened with `run`. */
export interface ContextInit {
  /** Request id of the new context; inherited from the parent context when omitted. */
  readonly requestId?: string;
  /** Values to set in the new context, after the parent's values are copied in. */
  readonly values?: Iterable<readonly [ContextKey<any>, unknown]>;
}

function checkPolicy(policy: unknown): asserts policy is SetPolicy {
  if (policy !== 'overwrite' && policy !== 'ignore' && policy !== 'deny') {
    throw invalidArgument('policy', policy, '"overwrite", "ignore" or "deny"');
  }
}

// Writes and `require` check the key: a string or plain object has no numeric `id`, so it would
// land in one shared "undefined" slot and collide with every other non-key. Reads (`get`,
// `has`) stay a single property load; they can only miss for a non-key, since nothing is ever
// written under one.
function checkKey(key: unknown, operation: string): asserts key is ContextKey<unknown> {
  if (!(key instanceof ContextKey)) {
    throw invalidArgument(`key for ${operation}`, key, 'a ContextKey (new ContextKey(name) or ContextKey.for(name))');
  }
}

/** The store's value map, made on first write. */
function valuesOf(store: ContextStore): ValueMap {
  let values = store.values;
  if (values === null) {
    values = createValueMap();
    store.values = values;
  }
  return values;
}

function writeValue(values: ValueMap, key: ContextKey<unknown>, value: unknown, policy: SetPolicy): void {
  if (policy !== 'overwrite' && hasValue(values, key.id)) {
    if (policy === 'ignore') return;
    throw contextKeyExists(key.name);
  }
  writeSlot(values, key.id, value);
}

function childStore(init: ContextInit | ContextSnapshot | undefined): ContextStore {
  const parent = als.getStore();
  if (init instanceof ContextSnapshot) {
    return new ContextStore(init.requestId, init.span, init.frame, copyValueMap(init.values));
  }
  const store =
    parent === undefined
      ? new ContextStore('', null, null, null)
      : new ContextStore(parent.requestId, parent.span, parent.frame, copyValueMap(parent.values));
  if (init !== undefined) {
    if (typeof init !== 'object' || init === null) {
      throw invalidArgument('initial context for context.run', init, 'an object { requestId?, values? } or a context.snapshot()');
    }
    if (init.requestId !== undefined) {
      if (typeof init.requestId !== 'string') throw invalidArgument('requestId for context.run', init.requestId, 'a string');
      store.requestId = init.requestId;
    }
    if (init.values !== undefined) {
      const values = valuesOf(store);
      for (const [key, value] of entryList(init.values, 'context.run')) writeSlot(values, key.id, value);
    }
  }
  return store;
}

/**
 * Opens a context and returns `fn`'s result (a promise stays a promise). Nested inside another
 * context, the new store starts from a copy of the parent's values: changes inside never leak
 * out, changes outside after the call never leak in.
 */
function run<R>(fn: () => R): R;
function run<R>(init: ContextInit | ContextSnapshot, fn: () => R): R;
function run<R>(initOrFn: ContextInit | ContextSnapshot | (() => R), maybeFn?: () => R): R {
  if (typeof initOrFn === 'function') return als.run(childStore(undefined), initOrFn);
  if (typeof maybeFn !== 'function') throw invalidArgument('fn', maybeFn, 'a function to run in the context');
  return als.run(childStore(initOrFn), maybeFn);
}

function active(operation: string): ContextStore {
  const store = als.getStore();
  if (store === undefined) throw contextNotActive(operation);
  return store;
}

/** The value of `key` in the active context, or `undefined` (also outside any context). */
function get<T>(key: ContextKey<T>): T | undefined {
  const store = als.getStore();
  return store === undefined || store.values === null ? undefined : (readValue(store.values, key.id) as T | undefined);
}

/** Whether `key` has a value (possibly `undefined`) in the active context. */
function has(key: ContextKey<unknown>): boolean {
  const store = als.getStore();
  return store !== undefined && store.values !== null && hasValue(store.values, key.id);
}

/** The value of `key`; throws ERR_CONTEXT_KEY_MISSING when unset, ERR_CONTEXT_NOT_ACTIVE outside a context. */
function require<T>(key: ContextKey<T>): T {
  checkKey(key, 'context.require');
  const store = active(`context.require(${key.name})`);
  if (store.values === null || !hasValue(store.values, key.id)) throw contextKeyMissing(key.name);
  return readValue(store.values, key.id) as T;
}

/**
 * Sets `key` in the active context. Policy 'overwrite' (default) replaces, 'ignore' keeps an
 * existing value, 'deny' throws ERR_CONTEXT_KEY_EXISTS when one exists.
 */
function set<T>(key: ContextKey<T>, value: T, policy: SetPolicy = 'overwrite'): void {
  checkKey(key, 'context.set');
  const store = active(`context.set(${key.name})`);
  if (policy !== 'overwrite') checkPolicy(policy);
  writeValue(valuesOf(store), key as ContextKey<unknown>, value, policy);
}

/** Removes `key` from the active context. */
function unset(key: ContextKey<unknown>): void {
  checkKey(key, 'context.unset');
  const store = active(`context.unset(${key.name})`);
  if (store.values !== null) deleteSlot(store.values, key.id);
}

/**
 * Sets several keys at once with one policy. With 'deny', nothing is written when any key
 * already has a value (all or nothing).
 */
function merge(
  entries: Iterable<readonly [ContextKey<any>, unknown]>,
  policy: SetPolicy = 'overwrite',
): void {
  const store = active('context.merge');
  checkPolicy(policy);
  const list = entryList(entries, 'context.merge');
  const values = valuesOf(store);
  if (policy === 'deny') {
    for (const [key] of list) if (hasValue(values, key.id)) throw contextKeyExists(key.name);
  }
  for (const [key, value] of list) writeValue(values, key, value, policy);
}

/** The entries as an array of [key, value] pairs, every key checked before anything is written. */
function entryList(entries: unknown, operation: string): ReadonlyArray<readonly [ContextKey<unknown>, unknown]> {
  let list: unknown[];
  if (Array.isArray(entries)) list = entries;
  else if (entries !== null && typeof entries === 'object' && typeof (entries as Iterable<unknown>)[Symbol.iterator] === 'function') {
    list = [...(entries as Iterable<unknown>)];
  } else {
    throw invalidArgument(`entries for ${operation}`, entries, 'an array or Map of [ContextKey, value] pairs');
  }
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!Array.isArray(entry)) throw invalidArgument(`entry ${i} for ${operation}`, entry, 'a [ContextKey, value] pair');
    checkKey(entry[0], operation);
  }
  return list as ReadonlyArray<readonly [ContextKey<unknown>, unknown]>;
}

/** A frozen copy of the active context, or `undefined` outside one. */
function snapshot(): ContextSnapshot | undefined {
  const store = als.getStore();
  return store === undefined ? undefined : new ContextSnapshot(store);
}

/** Replaces the active context's contents (values, request id, trace slot) with a snapshot's. */
function restore(snap: ContextSnapshot): void {
  if (!(snap instanceof ContextSnapshot)) throw invalidArgument('snapshot', snap, 'a value returned by context.snapshot()');
  const store = active('context.restore');
  store.requestId = snap.requestId;
  store.span = snap.span;
  store.frame = snap.frame;
  store.values = copyValueMap(snap.values);
}

/**
 * Returns a function that always runs `fn` in the context active now (for EventEmitter
 * listeners, callbacks of pooled clients, anything that loses async context). Outside any
 * context, the returned function runs `fn` outside any context too.
 */
function bind<F extends (...args: any[]) => any>(fn: F): F {
  if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function to bind');
  const store = als.getStore();
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    return store === undefined ? als.exit(() => fn.apply(this, args)) : als.run(store, () => fn.apply(this, args));
  };
  return bound as F;
}

/** Whether a context is active here. */
function isActive(): boolean {
  return als.getStore() !== undefined;
}

/** The active store's request id, or `undefined` outside a context. */
function getRequestId(): string | undefined {
  const store = als.getStore();
  return store === undefined || store.requestId === '' ? undefined : store.requestId;
}

/** The public context API. */
export const context = Object.freeze({
  run,
  get,
  has,
  require,
  set,
  unset,
  merge,
  snapshot,
  restore,
  bind,
  isActive,
  getRequestId,
});

// ---- Integration surface (tracer, Nest layer, job runners). Not for application code. ----

/** The active store or `undefined`. Hot path: one ALS read. */
export function currentStore(): ContextStore | undefined {
  return als.getStore();
}

/**
 * Runs `fn(...args)` with `store` as the active store. Extra arguments are passed through so
 * hot callers (the Fastify onRequest hook runs `done` this way) need not allocate a closure.
 */
export function runWithStore<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R {
  return als.run(store, fn, ...args);
}

/** A new store for a request: fixed shape, empty values. */
export function createStore(requestId: string, span: object | null, frame: object | null): ContextStore {
  return new ContextStore(requestId, span, frame, null);
}

/**
 * Runs `fn` with `span` as the active span. The new store shares the parent's values object:
 * a span scope is not a new context, so values set inside stay visible to the request (as in
 * OpenTelemetry, where `context.with(setSpan(...))` does not fork baggage the user set).
 * Outside any context a fresh store is made so the span is still active for `fn`.
 */
export function runWithSpan<A extends unknown[], R>(span: object | null, fn: (...args: A) => R, ...args: A): R {
  return als.run(storeWithSpan(span), fn, ...args);
}

/** The store runWithSpan opens: the active store's request, frame and values with `span` active. */
export function storeWithSpan(span: object | null): ContextStore {
  const parent = als.getStore();
  return parent === undefined
    ? new ContextStore('', span, null, null)
    : new ContextStore(parent.requestId, span, parent.frame, valuesOf(parent));
}

/**
 * `runWithSpan(span, fn)` without extra arguments, for `Tracer#withSpan` and `runWithTrace`:
 * no rest parameter, so no argument array per call (one of the allocations of a child span
 * started in an active scope, bench/micro/spans.bench.ts 'child start+end in active span').
 */
export function runInSpan<R>(span: object | null, fn: () => R): R {
  return als.run(storeWithSpan(span), fn);
}

/**
 * Binds the context to a diagnostics channel (`channel.bindStore`): while a library runs
 * `channel.runStores(message, fn)`, `fn` sees `transform(message)` as the active store (for a
 * TracingChannel's `start`, the call; for `asyncStart`, the callback the library invokes).
 * Returns the unbinder. The transform must not throw: Node rethrows it as an uncaught exception.
 */
export function bindChannelStore<M>(
  channel: { bindStore(store: AsyncLocalStorage<ContextStore>, transform: (message: M) => ContextStore | undefined): void; unbindStore(store: AsyncLocalStorage<ContextStore>): boolean },
  transform: (message: M) => ContextStore | undefined,
): () => void {
  channel.bindStore(als, transform as (message: M) => ContextStore);
  return () => {
    channel.unbindStore(als);
  };
}

/** Runs `fn` outside any context. */
export function runOutsideContext<R>(fn: () => R): R {
  return als.exit(fn);
}
