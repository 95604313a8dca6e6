// Typed keys for values in the request context. The store indexes values by the key's
// numeric id in a prototype-less object, so a lookup is one integer-keyed property read:
// no string hashing, and two libraries that both pick the name "user" never collide.

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

  toString(): string {
    return `ContextKey(${this.name})`;
  }
}
