// New Relic vectors (node-newrelic lib/transaction/index.js, dt-payload.js, lib/w3c/tracestate.js).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { parseNewRelicTraceState } from '../../engine/propagation/newrelic.js';
import { runVectors, S, T, T64, ZERO_HIGH } from './vectors.js';
import type { Vector } from './vectors.js';

const TX = 'e8b91a159289ff74';
const data = { ty: 'App', ac: '33', ap: '2827902', tx: TX, id: S, tr: T, pr: 1.234567, sa: true, ti: 1518469636035 };
const b64 = (payload: unknown): string => Buffer.from(JSON.stringify(payload)).toString('base64');
const nr = (payload: unknown): { newrelic: string } => ({ newrelic: b64(payload) });
const NR_STATE = `33@nr=0-0-33-2827902-${S}-${TX}-1-1.234567-1518469636035`;

const vectors: Vector[] = [
  ['base64 payload, sampled', nr({ v: [0, 1], d: data }), { traceId: T, spanId: S, traceFlags: 1 }],
  ['raw JSON payload accepted', { newrelic: JSON.stringify({ v: [0, 1], d: data }) }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['not sampled', nr({ v: [0, 1], d: { ...data, sa: false } }), { traceId: T, spanId: S, traceFlags: 0 }],
  ['no span id: the transaction id is the parent', nr({ v: [0, 1], d: { ...data, id: undefined } }), { traceId: T, spanId: TX, traceFlags: 1 }],
  ['16-hex trace id padded', nr({ v: [0, 1], d: { ...data, tr: T64 } }), { traceId: ZERO_HIGH + T64, spanId: S, traceFlags: 1 }],
  ['major version 1 ignored', nr({ v: [1, 0], d: data }), null],
  ['missing v', nr({ d: data }), null],
  ['missing ty', nr({ v: [0, 1], d: { ...data, ty: undefined } }), null],
  ['missing ac', nr({ v: [0, 1], d: { ...data, ac: undefined } }), null],
  ['missing ti', nr({ v: [0, 1], d: { ...data, ti: undefined } }), null],
  ['missing tr', nr({ v: [0, 1], d: { ...data, tr: undefined } }), null],
  ['neither id nor tx', nr({ v: [0, 1], d: { ...data, id: undefined, tx: undefined } }), null],
  ['non-hex trace id', nr({ v: [0, 1], d: { ...data, tr: 'not-hex' } }), null],
  ['zero trace id', nr({ v: [0, 1], d: { ...data, tr: '0'.repeat(32) } }), null],
  ['short span id', nr({ v: [0, 1], d: { ...data, id: S.slice(2) } }), null],
  ['not JSON', { newrelic: Buffer.from('{oops').toString('base64') }, null],
  ['JSON array', nr([0, 1]), null],
  ['JSON null', nr(null), null],
  ['empty header', { newrelic: '' }, null],
  ['over 8 KiB', { newrelic: 'a'.repeat(8200) }, null],
  ['traceparent present: W3C wins, @nr kept in tracestate', { traceparent: `00-${T}-${TX}-00`, tracestate: `${NR_STATE},rojo=1`, newrelic: b64({ v: [0, 1], d: data }) }, { traceId: T, spanId: TX, traceFlags: 0, traceState: `${NR_STATE},rojo=1` }],
  ['invalid traceparent present: newrelic is not consulted', { traceparent: 'garbage', newrelic: b64({ v: [0, 1], d: data }) }, null],
];

describe('New Relic vectors (extract only)', () => {
  runVectors(createPropagator({ extract: ['newrelic'] }), vectors);

  test('injection writes nothing; configured with w3c the @nr member is forwarded untouched', () => {
    const only: Record<string, string> = {};
    const p = createPropagator({ extract: ['newrelic'], inject: ['newrelic'] });
    const ctx = p.extract({ traceparent: `00-${T}-${TX}-01`, tracestate: NR_STATE })!;
    p.inject(ctx, only);
    assert.deepEqual(only, {});
    const withW3C: Record<string, string> = {};
    createPropagator({ extract: ['newrelic'], inject: ['w3c'] }).inject(ctx.createChild(), withW3C);
    assert.equal(withW3C.tracestate, NR_STATE);
  });

  test('the @nr tracestate value parses into its nine fields', () => {
    const parsed = parseNewRelicTraceState(NR_STATE.slice('33@nr='.length));
    assert.deepEqual(parsed, {
      version: 0,
      parentType: 0,
      accountId: '33',
      appId: '2827902',
      spanId: S,
      transactionId: TX,
      sampled: true,
      priority: 1.234567,
      timestamp: 1518469636035,
    });
    assert.equal(parseNewRelicTraceState('0-0-33-2827902----1518469636035')?.spanId, undefined);
    for (const bad of ['1-0-33-1----1', '0-3-33-1----1', '0-0--1----1', '0-0-33-1---x-1', '0-0-33-1-----', '0-0-33-1----1-extra', undefined]) {
      assert.equal(parseNewRelicTraceState(bad), null, String(bad));
    }
  });
});
