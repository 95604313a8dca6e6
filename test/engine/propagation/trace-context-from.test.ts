// TraceContext.from: building a context from user-supplied ids validates every field and names
// the bad one (issue 3: "Building one from ids validates them").

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes, FLAG_RANDOM, FLAG_SAMPLED, TraceContext, TraceContextTypeError } from '../../../engine/index.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const P = 'b7ad6b7169203331';

function rejects(input: unknown, field: RegExp): void {
  assert.throws(
    () => TraceContext.from(input as Parameters<typeof TraceContext.from>[0]),
    (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.ok(err instanceof TraceContextTypeError);
      assert.equal((err as TraceContextTypeError).code, ErrorCodes.ERR_INVALID_ARGUMENT);
      assert.match((err as Error).message, field);
      return true;
    },
  );
}

describe('TraceContext.from', () => {
  test('valid ids give a remote, sampled context by default, with the parent span id kept', () => {
    const c = TraceContext.from({ traceId: T, spanId: S, parentSpanId: P });
    assert.equal(c.traceId, T);
    assert.equal(c.spanId, S);
    assert.equal(c.parentSpanId, P);
    assert.equal(c.traceFlags, FLAG_SAMPLED);
    assert.equal(c.isRemote, true);
    assert.equal(c.toW3CFormat(), `00-${T}-${S}-01`);
    assert.equal(TraceContext.from({ traceId: T, spanId: S, isRemote: false }).isRemote, false);
  });

  test('traceFlags keeps only the sampled and random bits; sampled overrides the sampled bit', () => {
    assert.equal(TraceContext.from({ traceId: T, spanId: S, traceFlags: 0xff }).traceFlags, FLAG_SAMPLED | FLAG_RANDOM);
    assert.equal(TraceContext.from({ traceId: T, spanId: S, traceFlags: 0x03, sampled: false }).traceFlags, FLAG_RANDOM);
    assert.equal(TraceContext.from({ traceId: T, spanId: S, traceFlags: 0x02, sampled: true }).traceFlags, FLAG_SAMPLED | FLAG_RANDOM);
    assert.equal(TraceContext.from({ traceId: T, spanId: S, traceFlags: 0 }).sampled, false);
    assert.equal(TraceContext.from({ traceId: T, spanId: S, sampled: false }).sampled, false);
  });

  test('each bad field throws a TypeError with ERR_INVALID_ARGUMENT naming that field', () => {
    rejects(null, /trace context/);
    rejects('00-x', /trace context/);
    rejects({ spanId: S }, /traceId/);
    rejects({ traceId: '0'.repeat(32), spanId: S }, /traceId/);
    rejects({ traceId: T.slice(1), spanId: S }, /traceId/);
    rejects({ traceId: `${T.slice(0, 31)}g`, spanId: S }, /traceId/);
    rejects({ traceId: T, spanId: S.toUpperCase() }, /spanId/);
    rejects({ traceId: T, spanId: 42 }, /spanId/);
    rejects({ traceId: T, spanId: S, parentSpanId: '0'.repeat(16) }, /parentSpanId/);
    rejects({ traceId: T, spanId: S, parentSpanId: 'xyz' }, /parentSpanId/);
    rejects({ traceId: T, spanId: S, traceFlags: 256 }, /traceFlags/);
    rejects({ traceId: T, spanId: S, traceFlags: 1.5 }, /traceFlags/);
    rejects({ traceId: T, spanId: S, sampled: 'yes' }, /sampled/);
    rejects({ traceId: T, spanId: S, traceState: 42 }, /traceState/);
    rejects({ traceId: T, spanId: S, traceState: 'k=v\n' }, /traceState/);
  });

  test('the error never carries more than a bounded excerpt of a huge bad value', () => {
    assert.throws(
      () => TraceContext.from({ traceId: 'a'.repeat(100_000), spanId: S }),
      (err: unknown) => (err as Error).message.length < 300,
    );
  });
});
