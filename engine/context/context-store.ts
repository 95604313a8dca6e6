// The per-request store. Fixed shape: every field is assigned in the constructor and never
// added or deleted, so every store shares one hidden class (fastify/lib/context.js does the
// same). It never holds `req` or `res`: only ids, the active trace slot and user values.

/**
 * User values, indexed by `ContextKey.id` in a holey array: `id in values` tells set from unset,
 * and keys are small dense integers (one per ContextKey made), so the array stays in V8's fast
 * elements mode. A prototype-less object was measured first: it is a dictionary-mode object
 * (~250 B on the first write, bench/micro/context.bench.ts), the array ~40 B. Only integer
 * indexes are ever used, so no key can reach `Array.prototype`.
 */
export type ValueMap = unknown[];

export function createValueMap(): ValueMap {
  return [];
}

export function copyValueMap(source: Readonly<ValueMap> | null): ValueMap | null {
  return source === null ? null : source.slice();
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
