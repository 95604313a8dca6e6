// The baggage of a context: W3C Baggage list members (key, decoded value, raw properties), in
// order, one per key. Immutable: every change makes a new Baggage (copy on write), so a value
// captured by a child context, a job carrier or a log line never changes under its reader.

import { invalidArgument } from '../errors.js';

/** One list member. `properties` is the member's `;`-separated property text as received ('' when none). */
export class BaggageEntry {
  readonly key: string;
  readonly value: string;
  readonly properties: string;

  constructor(key: string, value: string, properties: string) {
    this.key = key;
    this.value = value;
    this.properties = properties;
  }
}

/** 1 for RFC 9110 `tchar`: what a baggage key (W3C Baggage, `key = token`) may use. */
export const TOKEN_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const c of "!#$%&'*+-.^_`|~") t[c.charCodeAt(0)] = 1;
  return t;
})();

/** Whether `s` is a non-empty RFC 9110 token. */
export function isToken(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN_CHAR[c] === 0) return false;
  }
  return true;
}

export class Baggage {
  /** The members in order; never mutated. */
  readonly entries: readonly BaggageEntry[];

  constructor(entries: readonly BaggageEntry[]) {
    this.entries = entries;
  }

  get size(): number {
    return this.entries.length;
  }

  getEntry(key: string): BaggageEntry | undefined {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.key === key) return entries[i];
    return undefined;
  }

  /** The decoded value of `key`, or undefined. */
  get(key: string): string | undefined {
    const entry = this.getEntry(key);
    return entry === undefined ? undefined : entry.value;
  }

  /**
   * A copy with `key` set: replaced in place when present (W3C Baggage allows mutation and
   * asks to keep the order of the other members), appended otherwise.
   */
  with(key: string, value: string, properties = ''): Baggage {
    if (!isToken(key)) throw invalidArgument('baggage key', key, 'a token (letters, digits and !#$%&\'*+-.^_`|~), as W3C Baggage requires');
    if (typeof value !== 'string') throw invalidArgument(`baggage value of ${key}`, value, 'a string');
    if (typeof properties !== 'string') throw invalidArgument(`baggage properties of ${key}`, properties, 'a string such as "ttl=30;secret"');
    const entry = new BaggageEntry(key, value, properties);
    const entries = this.entries;
    const next = entries.slice();
    for (let i = 0; i < entries.length; i++) {
      if (entries[i]!.key === key) {
        next[i] = entry;
        return new Baggage(next);
      }
    }
    next.push(entry);
    return new Baggage(next);
  }

  /** Sets `target[key]` to the value of each of `keys` this baggage has; returns `target`. */
  pick<T extends Record<string, string>>(target: T, keys: readonly string[]): T {
    for (let i = 0; i < keys.length; i++) {
      const value = this.get(keys[i]!);
      if (value !== undefined) (target as Record<string, string>)[keys[i]!] = value;
    }
    return target;
  }

  /** `{ key: value }` of every member (a new object). */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) out[entries[i]!.key] = entries[i]!.value;
    return out;
  }
}

/** The baggage of a context that has none: shared, so reading baggage never allocates. */
export const EMPTY_BAGGAGE: Baggage = Object.freeze(new Baggage(Object.freeze([]))) as Baggage;
