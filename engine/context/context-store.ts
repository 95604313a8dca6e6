// The per-request store. Fixed shape: every field is assigned in the constructor and never
// added or deleted, so every store shares one hidden class (fastify/lib/context.js does the
// same). It never holds `req` or `res`: only ids, the active trace slot and user values.

/**
 * User values, indexed by `ContextKey.id` in a holey array: `id in values` tells set from unset,
 * and keys are small dense integers (one per ContextKey made), so the array stays in V8's fast
 * elements mode. A prototype-less object was measured first: it is a dictionary-mode object
 * (~250 B on the first write, bench/micro/context.bench.ts), the array ~40 B. Only integer
 * indexes are ever used, so no key can reach `Array.prototype`.
 *
 * Ids from DENSE_KEYS up (an app that made thousands of keys, e.g. one per request) go to a Map
 * in the array's `overflow` property instead: a nested context copies the array, and an array
 * indexed up to id 200,000 cost 7.3 ms to copy against 1.2 µs; the Map copies one entry per key
 * set. A named property rather than a reserved slot 0: keys keep starting at id 0, and a store
 * whose first key is id 1 measured 16 B more per first set (bench/micro/context.bench.ts).
 */
export type ValueMap = unknown[];

/** Ids below this index the array; from it up, the overflow Map. */
export const DENSE_KEYS = 256;

type Overflow = Map<number, unknown>;

/** Only arrays that hold a key from DENSE_KEYS up get the property (and so another hidden class). */
interface WithOverflow {
  overflow?: Overflow;
}

function overflowOf(values: Readonly<ValueMap>): Overflow | undefined {
  return (values as unknown as WithOverflow).overflow;
}

export function createValueMap(): ValueMap {
  return [];
}

export function copyValueMap(source: Readonly<ValueMap> | null): ValueMap | null {
  if (source === null) return null;
  const copy = source.slice();
  const overflow = overflowOf(source);
  if (overflow !== undefined) (copy as unknown as WithOverflow).overflow = new Map(overflow);
  return copy;
}

/** Hot path for dense ids (one compare more than a plain index read, see bench/micro/context.bench.ts). */
export function readValue(values: Readonly<ValueMap>, id: number): unknown {
  return id < DENSE_KEYS ? values[id] : overflowOf(values)?.get(id);
}

export function hasValue(values: Readonly<ValueMap>, id: number): boolean {
  if (id < DENSE_KEYS) return id in values;
  const overflow = overflowOf(values);
  return overflow !== undefined && overflow.has(id);
}

export function writeSlot(values: ValueMap, id: number, value: unknown): void {
  if (id < DENSE_KEYS) {
    values[id] = value;
    return;
  }
  let overflow = overflowOf(values);
  if (overflow === undefined) (values as unknown as WithOverflow).overflow = overflow = new Map();
  overflow.set(id, value);
}

export function deleteSlot(values: ValueMap, id: number): void {
  if (id < DENSE_KEYS) delete values[id];
  else overflowOf(values)?.delete(id);
}

export class ContextStore {
  /** The request id ('' until the integration assigns one). */
  requestId: string;
  /**
   * The active span (or remote parent) for this scope. Owned by the tracer in engine/spans:
   * the context layer only carries it. `null` means no trace is active.
   */
  span: object | null;
  /** Per-request state owned by an integration (the Nest layer keeps its request record here). */
  frame: object | null;
  /**
   * User values keyed by ContextKey id; `null` until the first write. Most requests never set a
   * value, and the per-request map was ~60 B of the module's per-request bytes
   * (bench/micro/nest-request.bench.ts), so it is made on first `set`.
   */
  values: ValueMap | null;

  constructor(requestId: string, span: object | null, frame: object | null, values: ValueMap | null) {
    this.requestId = requestId;
    this.span = span;
    this.frame = frame;
    this.values = values;
  }
}

/** A frozen copy of a store's contents, for `snapshot()` / `restore()` and `run(snapshot, fn)`. */
export class ContextSnapshot {
  readonly requestId: string;
  readonly span: object | null;
  readonly frame: object | null;
  readonly values: Readonly<ValueMap>;

  constructor(store: ContextStore) {
    this.requestId = store.requestId;
    this.span = store.span;
    this.frame = store.frame;
    this.values = Object.freeze(copyValueMap(store.values) ?? createValueMap());
    Object.freeze(this);
  }
}
