// The per-request store. Fixed shape: every field is assigned in the constructor and never
// added or deleted, so every store shares one hidden class (fastify/lib/context.js does the
// same). It never holds `req` or `res`: only ids, the active trace slot and user values.

/** User values, indexed by `ContextKey.id`. Prototype-less so no key can hit `Object.prototype`. */
export type ValueMap = Record<number, unknown>;

/** Marks a slot that was never set, so `undefined` can be stored as a real value. */
export const ABSENT: unique symbol = Symbol('absent');

export function createValueMap(): ValueMap {
  return Object.create(null) as ValueMap;
}

export function copyValueMap(source: ValueMap): ValueMap {
  const copy = Object.create(null) as ValueMap;
  for (const id in source) copy[id as unknown as number] = source[id as unknown as number];
  return copy;
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
  /** User values keyed by ContextKey id. */
  values: ValueMap;

  constructor(requestId: string, span: object | null, frame: object | null, values: ValueMap) {
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
    this.values = Object.freeze(copyValueMap(store.values));
    Object.freeze(this);
  }
}
