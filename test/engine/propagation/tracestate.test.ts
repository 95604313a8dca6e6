// tracestate normalisation, truncation (§3.3.1.5) and mutation (§3.3.1.4).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes } from '../../../engine/errors.js';
import {
  deleteTraceStateValue,
  getTraceStateValue,
  normalizeTraceState,
  parseTraceState,
  setTraceStateValue,
} from '../../../engine/propagation/tracestate.js';

const member = (key: string, length: number): string => `${key}=${'v'.repeat(length - key.length - 1)}`;

describe('tracestate', () => {
  test('a canonical header is returned as the very same string (no copy)', () => {
    const s = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
    assert.equal(normalizeTraceState(s), s);
  });

  test('empty and OWS-only headers are "no tracestate"; invalid ones are null (discard)', () => {
    assert.equal(normalizeTraceState(''), undefined);
    assert.equal(normalizeTraceState(' , \t,'), undefined);
    for (const bad of ['a', 'a=', '=1', 'a=1,b', 'a=b=c', 'a=1,,B=2', 'a =1', '@a=1', 'a=\u00e9', 'a=x\u0000', 'a=1;b=2,c=\u007f']) {
      assert.equal(normalizeTraceState(bad), null, JSON.stringify(bad));
    }
  });

  test('over 512 chars: members over 128 chars go first, from the right', () => {
    const big1 = member('big1', 200);
    const big2 = member('big2', 200);
    const small = Array.from({ length: 6 }, (_, i) => member(`s${i}`, 30));
    const input = [small[0], big1, small[1], big2, ...small.slice(2)].join(',');
    assert.ok(input.length > 512);
    const out = normalizeTraceState(input)!;
    assert.ok(out.length <= 512);
    assert.equal(out, [small[0], big1, small[1], ...small.slice(2)].join(','), 'big2 (rightmost large) dropped first, order kept');
  });

  test('over 512 chars with only small members: drop from the right end', () => {
    const members = Array.from({ length: 20 }, (_, i) => member(`k${String(i).padStart(2, '0')}`, 30));
    const out = normalizeTraceState(members.join(','))!;
    assert.ok(out.length <= 512);
    assert.equal(out, members.slice(0, 16).join(','));
  });

  test('get/parse read members without touching the rest', () => {
    const s = 'a=1,bb=2,b=3';
    assert.equal(getTraceStateValue(s, 'b'), '3');
    assert.equal(getTraceStateValue(s, 'bb'), '2');
    assert.equal(getTraceStateValue(s, 'c'), undefined);
    assert.equal(getTraceStateValue(undefined, 'a'), undefined);
    assert.deepEqual(parseTraceState(s), [['a', '1'], ['bb', '2'], ['b', '3']]);
  });

  test('set moves the key to the left, never duplicates it, drops the 33rd member from the right', () => {
    assert.equal(setTraceStateValue('a=1,b=2,c=3', 'b', '9'), 'b=9,a=1,c=3');
    assert.equal(setTraceStateValue(undefined, 'x', 'y'), 'x=y');
    const full = Array.from({ length: 32 }, (_, i) => `k${i}=1`).join(',');
    const out = setTraceStateValue(full, 'new', '1');
    assert.equal(parseTraceState(out).length, 32);
    assert.ok(out.startsWith('new=1,k0=1'));
    assert.ok(!out.includes('k31='));
  });

  test('set rejects keys and values outside the grammar', () => {
    assert.throws(() => setTraceStateValue('a=1', 'Bad', '1'), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
    assert.throws(() => setTraceStateValue('a=1', 'ok', 'x,y'), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
    assert.throws(() => setTraceStateValue('a=1', 'ok', 'trailing '), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
  });

  test('delete removes one member; nothing left is undefined', () => {
    assert.equal(deleteTraceStateValue('a=1,b=2', 'a'), 'b=2');
    assert.equal(deleteTraceStateValue('a=1', 'a'), undefined);
  });
});
