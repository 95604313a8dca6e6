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

// Reference for the scanner, written straight from the ABNF (§3.3.1.3) with split and a regex:
// members split on ",", OWS (SP/HTAB) trimmed, empty ones skipped, at most 32, first of a
// duplicated key kept. Inputs stay under 512 chars, so no truncation.
const MEMBER = /^[a-z0-9][_0-9a-z\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
function referenceTraceState(s: string): string | undefined | null {
  const kept: string[] = [];
  const keys = new Set<string>();
  let count = 0;
  for (const raw of s.split(',')) {
    const m = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (m === '') continue;
    if (!MEMBER.test(m) || ++count > 32) return null;
    const key = m.slice(0, m.indexOf('='));
    if (!keys.has(key)) kept.push(m);
    keys.add(key);
  }
  return kept.length === 0 ? undefined : kept.join(',');
}

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

  test('the scanner agrees with the ABNF on 20,000 generated headers (OWS, tabs, wide chars, duplicates)', () => {
    // wide chars whose low byte is a valid or structural char (a, ",", "=", HTAB) catch a
    // char-class lookup that truncates the code unit to a byte
    const chars = ['a', 'z', '0', '9', '_', '-', '*', '/', '@', '=', ',', ' ', '\t', '\n', '~', '!', 'A', '\u007f', '\u00e9', '\u0161', '\u012c', '\u013d', '\u0109'];
    const tails = ['', ' ', '\t', ' \t ', '\tx', ' x'];
    let seed = 0x2545f491;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let t = 0; t < 20_000; t++) {
      let s = '';
      if (next(3) === 0) {
        for (let i = next(40); i > 0; i--) s += chars[next(chars.length)];
      } else {
        for (let m = next(t % 50 === 0 ? 40 : 6); m >= 0; m--) {
          if (s !== '') s += [',', ' ,', ',\t', ' , ', ',,'][next(5)];
          const key = `k${next(5)}${next(4) === 0 ? chars[next(chars.length)] : ''}`;
          const last = next(3) === 0 ? chars[next(chars.length)] : 'w';
          s += `${key}=v${chars[next(chars.length)]}${last}${tails[next(tails.length)]}`;
        }
      }
      assert.equal(normalizeTraceState(s), referenceTraceState(s), JSON.stringify(s));
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
