// Custom header mapping vectors: the seed's `headers: { traceId: 'x-trace-id', spanId: 'x-span-id' }`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { runVectors, S, T, T64, ZERO_HIGH } from './vectors.js';
import type { Vector } from './vectors.js';

const custom = createPropagator({ extract: ['custom'], inject: ['custom'], headers: { traceId: 'X-Trace-Id', spanId: 'x-span-id' } });
const vectors: Vector[] = [
  ['32-hex trace id and span id (no decision: sampled)', { 'x-trace-id': T, 'x-span-id': S }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['16-hex trace id padded', { 'x-trace-id': T64, 'x-span-id': S }, { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['upper case lowered', { 'x-trace-id': T.toUpperCase(), 'x-span-id': S.toUpperCase() }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['span id missing', { 'x-trace-id': T }, null],
  ['trace id missing', { 'x-span-id': S }, null],
  ['zero trace id', { 'x-trace-id': '0'.repeat(32), 'x-span-id': S }, null],
  ['zero span id', { 'x-trace-id': T, 'x-span-id': '0'.repeat(16) }, null],
  ['trace id of 20 chars', { 'x-trace-id': T.slice(12), 'x-span-id': S }, null],
  ['UUID with dashes is not an id', { 'x-trace-id': '4bf92f35-77b3-4da6-a3ce-929d0e0e4736', 'x-span-id': S }, null],
  ['non-hex span id', { 'x-trace-id': T, 'x-span-id': 'zzzzzzzzzzzzzzzz' }, null],
  ['over 8 KiB', { 'x-trace-id': T + ' '.repeat(8200), 'x-span-id': S }, null],
];

describe('custom header mapping vectors', () => {
  runVectors(custom, vectors);
  test('injects the ids under the configured (lower-cased) names', () => {
    const out: Record<string, string> = {};
    custom.inject(new TraceContext(T, S, 0, undefined, true, undefined), out);
    assert.deepEqual(out, { 'x-trace-id': T, 'x-span-id': S });
    assert.deepEqual(custom.fields, ['x-trace-id', 'x-span-id']);
  });
});
