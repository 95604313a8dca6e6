// Typed keys for values in the request context. The store indexes values by the key's
// numeric id (context-store.ts), so a lookup is one integer-indexed read: no string hashing,
// and two libraries that both pick the name "user" never collide.
//
// Keys are meant to be made once, at module scope (`const USER = new ContextKey<User>('user')`):
// every key made lives as long as the process. A key made per request still works, but each
// one is a new id: past DENSE_KEYS ids they are kept in a per-store map, whose copy for a
// nested context costs one entry per key set rather than one slot per key ever made.

import { invalidArgument } from '../errors.js';

let nextId = 0;
const byName = new Map<string, ContextKey<unknown>>();

export class ContextKey<T> {
  /** Index of this key's slot in every store. */
  readonly id: number;
  readonly name: string;
  /** Phantom field so `ContextKey<A>` and `ContextKey<B>` are distinct types. */
  declare readonly __type?: T;

  constructor(name: string) {
    if (typeof name !== 'string' || name.length === 0) {
      throw invalidArgument('ContextKey name', name, 'a non-empty string');
    }
    this.id = nextId++;
    this.name = name;
  }

  /**
   * The one key registered under `name` in this copy of the package, created on first use
   * (like `Symbol.for`). This is what string-keyed APIs (`RequestContextService.get('user')`)
   * use, so string and typed access to the same name meet in the same slot.
   */
  static for<T = unknown>(name: string): ContextKey<T> {
    let key = byName.get(name);
    if (key === undefined) {
      key = new ContextKey<unknown>(name);
      byName.set(name, key);
    }
    return key as ContextKey<T>;
  }

  /**
   * The key registered under `name`, or undefined when none is: what string-keyed reads
   * (`get('user')`, `has('user')`) use, so reading a name that was never set makes no key
   * (a caller-chosen name must not grow the registry).
   */
  static find<T = unknown>(name: string): ContextKey<T> | undefined {
    return byName.get(name) as ContextKey<T> | undefined;
  }

  toString(): string {
    return `ContextKey(${this.name})`;
  }
}
