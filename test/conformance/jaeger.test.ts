// Jaeger uber-trace-id vectors (jaegertracing.io client-libraries "Propagation format").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { extractJaegerBaggage, injectJaegerBaggage } from '../../engine/propagation/jaeger.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { runVectors, S, T, T64, ZERO_HIGH } from './vectors.js';
import type { Vector } from './vectors.js';

const h = (v: string): { 'uber-trace-id': string } => ({ 'uber-trace-id': v });
const vectors: Vector[] = [
  ['128-bit, sampled', h(`${T}:${S}:0:1`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['not sampled', h(`${T}:${S}:0:0`), { traceId: T, spanId: S, traceFlags: 0 }],
  ['two-digit flags 01', h(`${T}:${S}:0:01`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['debug 0x02 implies sampled, never the W3C random bit', h(`${T}:${S}:0:2`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['debug + sampled 0x03', h(`${T}:${S}:0:3`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['firehose 0x08 alone is not sampled', h(`${T}:${S}:0:8`), { traceId: T, spanId: S, traceFlags: 0 }],
  ['64-bit trace id padded', h(`${T64}:${S}:0:1`), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['ids without leading zeros (jaeger-client-node)', h('a3ce929d0e0e4736:f067aa0ba902b7:0:1'), { traceId: ZERO_HIGH + 'a3ce929d0e0e4736', spanId: S, traceFlags: 1 }],
  ['one-digit ids', h('1:2:0:1'), { traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '2', traceFlags: 1 }],
  ['parent id present', h(`${T}:${S}:53995c3f42cd8ad8:1`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['URL-encoded colons', h(`${T}%3A${S}%3A0%3A1`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['upper-case hex lowered', h(`${T.toUpperCase()}:${S.toUpperCase()}:0:1`), { traceId: T, spanId: S, traceFlags: 1 }],
  ['zero trace id', h(`0:${S}:0:1`), null],
  ['zero span id', h(`${T}:0000000000000000:0:1`), null],
  ['trace id over 32 chars', h(`0${T}:${S}:0:1`), null],
  ['span id over 16 chars', h(`${T}:0${S}:0:1`), null],
  ['empty trace id', h(`:${S}:0:1`), null],
  ['empty parent', h(`${T}:${S}::1`), null],
  ['empty flags', h(`${T}:${S}:0:`), null],
  ['flags of three digits', h(`${T}:${S}:0:001`), null],
  ['non-hex flags', h(`${T}:${S}:0:x`), null],
  ['three fields', h(`${T}:${S}:1`), null],
  ['five fields', h(`${T}:${S}:0:1:0`), null],
  ['non-hex trace id', h(`${T.slice(0, 31)}z:${S}:0:1`), null],
  ['bad percent-encoding', h(`${T}%3${S}:0:1`), null],
  ['empty header', h(''), null],
  ['over 8 KiB', h(`${T}:${S}:0:1${' '.repeat(8200)}`), null],
];

describe('Jaeger uber-trace-id vectors', () => runVectors(createPropagator({ extract: ['jaeger'] }), vectors));

describe('Jaeger injection and baggage', () => {
  test('writes full-width ids, parent 0 and only the sampled bit', () => {
    const out: Record<string, string> = {};
    createPropagator({ inject: ['jaeger'] }).inject(new TraceContext(T, S, 0x03, undefined, true, undefined), out);
    assert.deepEqual(out, { 'uber-trace-id': `${T}:${S}:0:01` });
    const unsampledRandom = new TraceContext(T, S, 0x02, undefined, true, undefined);
    assert.equal(unsampledRandom.toJaeger(), `${T}:${S}:0:00`);
  });
  test('uberctx-* and jaeger-baggage are read, URL-decoded; malformed items skipped', () => {
    const baggage = extractJaegerBaggage({
      'uberctx-user': 'ada%20lovelace',
      'uberctx-bad': '%E0%A4%A',
      'uberctx-': 'no key',
      'jaeger-baggage': 'k1=v1, k2 = v%202,broken',
      host: 'x',
    });
    assert.deepEqual(baggage, { user: 'ada lovelace', k1: 'v1', k2: 'v 2' });
  });
  test('baggage is written as uberctx-{key} with URL-encoded values; bad keys skipped', () => {
    const out: Record<string, string> = {};
    injectJaegerBaggage({ user: 'ada lovelace', 'bad key': 'x', 'bad\nkey': 'y' }, out);
    assert.deepEqual(out, { 'uberctx-user': 'ada%20lovelace' });
  });
});
