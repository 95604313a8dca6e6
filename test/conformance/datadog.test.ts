// Datadog header vectors (dd-trace-js text_map.js; Datadog trace_context_propagation docs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { runVectors, S, T, T64, ZERO_HIGH } from './vectors.js';
import type { Vector } from './vectors.js';

const dec = (hex: string): string => BigInt('0x' + hex).toString(10); // test oracle only
const TRACE_DEC = dec(T64);
const SPAN_DEC = dec(S);
const HIGH = T.slice(0, 16);
const dd = (trace: string, parent: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'x-datadog-trace-id': trace,
  'x-datadog-parent-id': parent,
  ...extra,
});

const vectors: Vector[] = [
  ['64-bit ids, priority 1', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-sampling-priority': '1' }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['priority 2 (USER_KEEP) is sampled', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-sampling-priority': '2' }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['priority 0 (AUTO_REJECT)', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-sampling-priority': '0' }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['priority -1 (USER_REJECT)', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-sampling-priority': '-1' }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['no priority: no decision, not sampled', dd(TRACE_DEC, SPAN_DEC), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['malformed priority ignored', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-sampling-priority': 'yes' }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['128-bit through _dd.p.tid', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.tid=${HIGH}`, 'x-datadog-sampling-priority': '1' }), { traceId: T, spanId: S, traceFlags: 1 }],
  ['_dd.p.tid among other tags', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.dm=-4,_dd.p.tid=${HIGH},_dd.p.usr=x` }), { traceId: T, spanId: S, traceFlags: 0 }],
  ['_dd.p.tid upper case lowered', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.tid=${HIGH.toUpperCase()}` }), { traceId: T, spanId: S, traceFlags: 0 }],
  ['_dd.p.tid of 15 chars ignored', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.tid=${HIGH.slice(1)}` }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['_dd.p.tid non-hex ignored', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.tid=${HIGH.slice(1)}z` }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['x_dd.p.tid (not a member start) ignored', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `x_dd.p.tid=${HIGH}` }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['tags over 512 chars ignored whole', dd(TRACE_DEC, SPAN_DEC, { 'x-datadog-tags': `_dd.p.tid=${HIGH},_dd.p.x=${'a'.repeat(520)}` }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 0 }],
  ['max uint64 ids', dd('18446744073709551615', '18446744073709551615'), { traceId: ZERO_HIGH + 'ffffffffffffffff', spanId: 'ffffffffffffffff', traceFlags: 0 }],
  ['id 1', dd('1', '1'), { traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 0 }],
  ['2^53 + 1 exactly (beyond double precision)', dd('9007199254740993', '9007199254740993'), { traceId: ZERO_HIGH + '0020000000000001', spanId: '0020000000000001', traceFlags: 0 }],
  ['leading zeros allowed within 20 chars', dd('00000000000000000042', '42'), { traceId: '0'.repeat(30) + '2a', spanId: '0'.repeat(14) + '2a', traceFlags: 0 }],
  ['2^64 overflows', dd('18446744073709551616', SPAN_DEC), null],
  ['21 digits', dd('100000000000000000000', SPAN_DEC), null],
  ['zero trace id', dd('0', SPAN_DEC), null],
  ['zero parent id', dd(TRACE_DEC, '0'), null],
  ['negative id', dd('-1', SPAN_DEC), null],
  ['hex instead of decimal', dd(T64, SPAN_DEC), null],
  ['empty trace id', dd('', SPAN_DEC), null],
  ['space inside', dd('12 34', SPAN_DEC), null],
  ['missing parent id', { 'x-datadog-trace-id': TRACE_DEC }, null],
  ['missing trace id', { 'x-datadog-parent-id': SPAN_DEC }, null],
  ['repeated trace id joined by Node', dd(`${TRACE_DEC}, ${TRACE_DEC}`, SPAN_DEC), null],
];

describe('Datadog header vectors', () => runVectors(createPropagator({ extract: ['datadog'] }), vectors));

describe('Datadog injection (decimal without BigInt)', () => {
  test('writes the low half and span id in decimal, priority, and _dd.p.tid for the high half', () => {
    const out: Record<string, string> = {};
    createPropagator({ inject: ['datadog'] }).inject(new TraceContext(T, S, 0x03, undefined, true, undefined), out);
    assert.deepEqual(out, {
      'x-datadog-trace-id': TRACE_DEC,
      'x-datadog-parent-id': SPAN_DEC,
      'x-datadog-sampling-priority': '1',
      'x-datadog-tags': `_dd.p.tid=${HIGH}`,
    });
  });
  test('no _dd.p.tid for a 64-bit trace id; priority 0 when not sampled', () => {
    const ctx = new TraceContext(ZERO_HIGH + T64, S, 0, undefined, true, undefined);
    assert.deepEqual(ctx.toDatadog(), { 'x-datadog-trace-id': TRACE_DEC, 'x-datadog-parent-id': SPAN_DEC, 'x-datadog-sampling-priority': '0' });
  });
});
