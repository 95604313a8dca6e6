// traceparent and tracestate vectors from the spec text (Trace Context Level 2 §3.2, §3.3),
// beyond the suite: exact grammar edges, flags masking, one OWS, the 8 KiB cap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { parseTraceparent } from '../../engine/propagation/w3c.js';
import { runVectors, S, T } from './vectors.js';
import type { Vector } from './vectors.js';

const w3c = createPropagator({ extract: ['w3c'] });
const tp = (version: string, flags: string, tail = ''): string => `${version}-${T}-${S}-${flags}${tail}`;

const vectors: Vector[] = [
  ['version 00, sampled', { traceparent: tp('00', '01') }, { traceId: T, spanId: S, traceFlags: 0x01 }],
  ['version 00, not sampled', { traceparent: tp('00', '00') }, { traceId: T, spanId: S, traceFlags: 0 }],
  ['random flag alone (0x02) is kept', { traceparent: tp('00', '02') }, { traceId: T, spanId: S, traceFlags: 0x02 }],
  ['sampled + random (0x03) kept', { traceparent: tp('00', '03') }, { traceId: T, spanId: S, traceFlags: 0x03 }],
  ['reserved flag bits are zeroed (ff -> 03)', { traceparent: tp('00', 'ff') }, { traceId: T, spanId: S, traceFlags: 0x03 }],
  ['reserved flag bits are zeroed (09 -> 01)', { traceparent: tp('00', '09') }, { traceId: T, spanId: S, traceFlags: 0x01 }],
  ['future version 01 at 55 chars', { traceparent: tp('01', '01') }, { traceId: T, spanId: S, traceFlags: 0x01 }],
  ['future version fe with a - field', { traceparent: tp('fe', '01', '-00ff') }, { traceId: T, spanId: S, traceFlags: 0x01 }],
  ['future version with a bare - tail', { traceparent: tp('cc', '01', '-') }, { traceId: T, spanId: S, traceFlags: 0x01 }],
  ['future version with non-dash tail', { traceparent: tp('cc', '01', 'x') }, null],
  ['future version shorter than 55', { traceparent: `cc-${T}-${S}-1` }, null],
  ['version 00 with a - tail', { traceparent: tp('00', '01', '-') }, null],
  ['version ff', { traceparent: tp('ff', '01') }, null],
  ['upper-case version', { traceparent: tp('0A', '01') }, null],
  ['upper-case trace id (HEXDIGLC only)', { traceparent: `00-${T.toUpperCase()}-${S}-01` }, null],
  ['upper-case span id', { traceparent: `00-${T}-${S.toUpperCase()}-01` }, null],
  ['upper-case flags', { traceparent: tp('00', '0A') }, null],
  ['underscore instead of dash', { traceparent: `00_${T}-${S}-01` }, null],
  ['dash moved', { traceparent: `00-${T.slice(0, 31)}-${T.slice(31)}${S}-01` }, null],
  ['non-ASCII char in trace id', { traceparent: `00-${T.slice(0, 31)}é-${S}-01` }, null],
  ['char beyond 0xff in span id', { traceparent: `00-${T}-${S.slice(0, 15)}\u0131-01` }, null],
  ['empty value', { traceparent: '' }, null],
  ['whitespace only', { traceparent: ' \t ' }, null],
  ['two values joined by Node', { traceparent: `${tp('00', '01')}, ${tp('00', '01')}` }, null],
  ['array of one value (non-Node carrier)', { traceparent: [tp('00', '01')] }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['array of two values', { traceparent: [tp('00', '01'), tp('00', '01')] }, null],
  ['empty array', { traceparent: [] }, null],
  ['value over 8 KiB rejected unscanned', { traceparent: tp('cc', '01', '-' + 'a'.repeat(8200)) }, null],
  ['future version tail just under 8 KiB accepted', { traceparent: tp('cc', '01', '-' + 'a'.repeat(8000)) }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['one leading SP', { traceparent: ' ' + tp('00', '01') }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['one trailing HTAB', { traceparent: tp('00', '01') + '\t' }, { traceId: T, spanId: S, traceFlags: 1 }],
  ['a newline is not OWS', { traceparent: tp('00', '01') + '\n' }, null],
  ['tracestate kept with traceparent', { traceparent: tp('00', '01'), tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }, { traceId: T, spanId: S, traceFlags: 1, traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }],
  ['tracestate over 8 KiB dropped, trace kept', { traceparent: tp('00', '01'), tracestate: 'a=' + 'b'.repeat(8200) }, { traceId: T, spanId: S, traceFlags: 1, traceState: undefined }],
  ['tracestate value with a tab inside: discarded', { traceparent: tp('00', '01'), tracestate: 'a=b\tc' }, { traceId: T, spanId: S, traceFlags: 1, traceState: undefined }],
  ['tracestate value over 256 chars: discarded', { traceparent: tp('00', '01'), tracestate: 'a=' + 'b'.repeat(257) }, { traceId: T, spanId: S, traceFlags: 1, traceState: undefined }],
  ['tracestate value of 256 chars kept', { traceparent: tp('00', '01'), tracestate: 'a=' + 'b'.repeat(256) }, { traceId: T, spanId: S, traceFlags: 1, traceState: 'a=' + 'b'.repeat(256) }],
  ['tracestate key starting with a digit (Level 2)', { traceparent: tp('00', '01'), tracestate: '1abc=x' }, { traceId: T, spanId: S, traceFlags: 1, traceState: '1abc=x' }],
  ['tracestate value with leading space kept', { traceparent: tp('00', '01'), tracestate: 'a= b' }, { traceId: T, spanId: S, traceFlags: 1, traceState: 'a= b' }],
  ['tracestate without = : discarded', { traceparent: tp('00', '01'), tracestate: 'foo' }, { traceId: T, spanId: S, traceFlags: 1, traceState: undefined }],
  ['tracestate array values joined in order', { traceparent: tp('00', '01'), tracestate: ['a=1', 'b=2'] }, { traceId: T, spanId: S, traceFlags: 1, traceState: 'a=1,b=2' }],
];

describe('W3C traceparent/tracestate vectors (Trace Context Level 2 §3.2-§3.3)', () => {
  runVectors(w3c, vectors);

  test('a future version is re-emitted as 00 (§3.2.4 downgrade)', () => {
    const ctx = w3c.extract({ traceparent: tp('cc', '03', '-extra') })!;
    const out: Record<string, string> = {};
    w3c.inject(ctx, out);
    assert.equal(out.traceparent, `00-${T}-${S}-03`);
  });

  test('flags are always two lowercase hex digits on output', () => {
    const ctx = parseTraceparent(tp('00', 'fb'), undefined)!;
    assert.equal(ctx.toW3CFormat(), `00-${T}-${S}-03`);
  });

  test('never echoes an invalid tracestate, even when traceparent is valid', () => {
    const ctx = w3c.extract({ traceparent: tp('00', '01'), tracestate: 'ok=1,EVIL=\r\nx' })!;
    const out: Record<string, string> = {};
    w3c.inject(ctx, out);
    assert.equal(out.tracestate, undefined);
    assert.deepEqual(Object.keys(out), ['traceparent']);
  });
});
