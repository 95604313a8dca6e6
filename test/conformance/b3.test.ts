// B3 vectors from openzipkin/b3-propagation (single and multi encodings), every invalid case.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { runVectors, S, T, T64, ZERO_HIGH } from './vectors.js';
import type { Vector } from './vectors.js';

const P = 'e457b5a2e4d86bd1';
const single: Vector[] = [
  ['b3 128-bit, sampled', { b3: `${T}-${S}-1` }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['b3 128-bit, deny', { b3: `${T}-${S}-0` }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['b3 debug d implies sampled', { b3: `${T}-${S}-d` }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['b3 with parent id', { b3: `${T}-${S}-1-${P}` }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['b3 without sampling state (defer)', { b3: `${T}-${S}` }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['b3 64-bit trace id is left-padded', { b3: `${T64}-${S}-1` }, { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['b3 upper-case hex is lowered', { b3: `${T.toUpperCase()}-${S.toUpperCase()}-1` }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['b3 sampling-only deny (no ids to continue)', { b3: '0' }, null],
  ['b3 sampling-only accept', { b3: '1' }, null],
  ['b3 sampling-only debug', { b3: 'd' }, null],
  ['b3 empty (counts as absent)', { b3: '' }, null],
  ['b3 empty falls back to x-b3-*', { b3: '', 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '1' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['b3 all-zero trace id', { b3: `${'0'.repeat(32)}-${S}-1` }, null],
  ['b3 all-zero span id', { b3: `${T}-${'0'.repeat(16)}-1` }, null],
  ['b3 48-bit trace id', { b3: `${T.slice(0, 12)}-${S}-1` }, null],
  ['b3 20-char trace id', { b3: `${T.slice(0, 20)}-${S}-1` }, null],
  ['b3 short span id', { b3: `${T}-${S.slice(1)}-1` }, null],
  ['b3 long span id', { b3: `${T}-${S}0-1` }, null],
  ['b3 bad sampling state', { b3: `${T}-${S}-2` }, null],
  ['b3 sampling state "true" is not single-header grammar', { b3: `${T}-${S}-true` }, null],
  ['b3 bad parent id', { b3: `${T}-${S}-1-${P.slice(1)}` }, null],
  ['b3 non-hex parent id', { b3: `${T}-${S}-1-${P.slice(1)}x` }, null],
  ['b3 trailing dash', { b3: `${T}-${S}-1-` }, null],
  ['b3 garbage around a valid value (OTel regex is unanchored)', { b3: `xx${T}-${S}-1` }, null],
  ['b3 non-hex in trace id', { b3: `${T.slice(0, 31)}g-${S}-1` }, null],
  ['b3 over 8 KiB', { b3: `${T}-${S}-1-${'a'.repeat(8200)}` }, null],
];

const multi: Vector[] = [
  ['x-b3 128-bit sampled', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '1' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['x-b3 deny', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '0' }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 legacy true', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': 'true' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['x-b3 legacy false', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': 'false' }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 flags 1 (debug) implies sampled', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-flags': '1' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['x-b3 flags other than 1 ignored', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-flags': '2', 'x-b3-sampled': '0' }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 defer (no sampled header)', { 'x-b3-traceid': T, 'x-b3-spanid': S }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 64-bit trace id padded', { 'x-b3-traceid': T64, 'x-b3-spanid': S, 'x-b3-sampled': '1' }, { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['x-b3 parent id validated and dropped', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-parentspanid': P, 'x-b3-sampled': '1' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['x-b3 upper-case lowered', { 'x-b3-traceid': T.toUpperCase(), 'x-b3-spanid': S.toUpperCase() }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 single wins over multi', { b3: `${T}-${S}-0`, 'x-b3-traceid': T64, 'x-b3-spanid': P, 'x-b3-sampled': '1' }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['x-b3 invalid single does not fall back to multi', { b3: 'garbage', 'x-b3-traceid': T, 'x-b3-spanid': S }, null],
  ['x-b3 empty sampled is malformed', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '' }, null],
  ['x-b3 sampled "yes" is malformed', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': 'yes' }, null],
  ['x-b3 parent "-" is malformed', { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-parentspanid': '-' }, null],
  ['x-b3 missing span id', { 'x-b3-traceid': T, 'x-b3-sampled': '1' }, null],
  ['x-b3 missing trace id', { 'x-b3-spanid': S, 'x-b3-sampled': '1' }, null],
  ['x-b3 sampled only (deny without ids)', { 'x-b3-sampled': '0' }, null],
  ['x-b3 zero trace id', { 'x-b3-traceid': '0'.repeat(32), 'x-b3-spanid': S }, null],
  ['x-b3 zero span id', { 'x-b3-traceid': T, 'x-b3-spanid': '0'.repeat(16) }, null],
  ['x-b3 trace id of 31 chars', { 'x-b3-traceid': T.slice(1), 'x-b3-spanid': S }, null],
  ['x-b3 repeated trace id joined by Node', { 'x-b3-traceid': `${T}, ${T}`, 'x-b3-spanid': S }, null],
  ['x-b3 repeated trace id as array is not trusted', { 'x-b3-traceid': [T, T64], 'x-b3-spanid': S }, null],
];

describe('B3 single header vectors (openzipkin/b3-propagation)', () => runVectors(createPropagator({ extract: ['b3'] }), single));
describe('B3 multi header vectors (openzipkin/b3-propagation)', () => runVectors(createPropagator({ extract: ['b3multi'] }), multi));

describe('B3 injection', () => {
  const ctx = new TraceContext(T, S, 0x03, 'a=1', true, undefined);
  test('b3 writes {trace}-{span}-{1|0}, never the parent id, never the W3C random bit', () => {
    const out: Record<string, string> = {};
    createPropagator({ inject: ['b3'] }).inject(ctx, out);
    assert.deepEqual(out, { b3: `${T}-${S}-1` });
  });
  test('b3multi (alias zipkin) writes x-b3-traceid, -spanid, -sampled', () => {
    for (const name of ['b3multi', 'zipkin']) {
      const out: Record<string, string> = {};
      createPropagator({ inject: [name] }).inject(new TraceContext(T, S, 0, undefined, true, undefined), out);
      assert.deepEqual(out, { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': '0' });
    }
  });
});
