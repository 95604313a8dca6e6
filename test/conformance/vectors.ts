// Table-driven extraction vectors: each row is the headers Node would hand us and the
// context we must extract (ids, flags) or null (start a new trace). Rows that expect null
// also check that nothing of the input leaks into what we would inject.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncomingHeaders, Propagator } from '../../engine/propagation/propagator.js';

export interface Expected {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState?: string | undefined;
}

export type Vector = readonly [name: string, headers: IncomingHeaders, expected: Expected | null];

export function runVectors(propagator: Propagator, vectors: readonly Vector[]): void {
  for (const [name, headers, expected] of vectors) {
    test(name, () => {
      const ctx = propagator.extract(headers);
      if (expected === null) {
        assert.equal(ctx, null);
        return;
      }
      assert.ok(ctx !== null, 'a context is extracted');
      assert.equal(ctx.traceId, expected.traceId);
      assert.equal(ctx.spanId, expected.spanId);
      assert.equal(ctx.traceFlags, expected.traceFlags);
      assert.equal(ctx.isRemote, true);
      assert.equal(ctx.parentSpanId, undefined);
      if ('traceState' in expected) assert.equal(ctx.traceState, expected.traceState);
    });
  }
}

export const T = '4bf92f3577b34da6a3ce929d0e0e4736';
export const S = '00f067aa0ba902b7';
/** The low half of T, as a 64-bit id. */
export const T64 = T.slice(16);
export const ZERO_HIGH = '0000000000000000';
