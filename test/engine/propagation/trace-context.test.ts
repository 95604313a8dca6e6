// TraceContext: formats, headers, lazy tracestate, children and new roots.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes } from '../../../engine/errors.js';
import { FLAG_RANDOM, FLAG_SAMPLED, TraceContext, createRootTraceContext } from '../../../engine/propagation/trace-context.js';

const T = '0af7651916cd43dd8448eb211c80319c';
const S = 'b7ad6b7169203331';

describe('TraceContext', () => {
  const ctx = new TraceContext(T, S, FLAG_SAMPLED | FLAG_RANDOM, 'congo=t61rcWkgMzE,rojo=1', true, undefined);

  test('toW3CFormat, toB3, toJaeger, toDatadog', () => {
    assert.equal(ctx.toW3CFormat(), `00-${T}-${S}-03`);
    assert.equal(ctx.toB3(), `${T}-${S}-1`);
    assert.equal(ctx.toJaeger(), `${T}:${S}:0:01`);
    assert.deepEqual(ctx.toDatadog(), {
      'x-datadog-trace-id': '9532127138774266268',
      'x-datadog-parent-id': '13235353014750950193',
      'x-datadog-sampling-priority': '1',
      'x-datadog-tags': '_dd.p.tid=0af7651916cd43dd',
    });
  });

  test('toHeaders defaults to W3C, merges into a given object, and rejects unknown names', () => {
    assert.deepEqual(ctx.toHeaders(), { traceparent: `00-${T}-${S}-03`, tracestate: 'congo=t61rcWkgMzE,rojo=1' });
    const into = { accept: 'application/json' };
    assert.equal(ctx.toHeaders(['b3', 'newrelic'], into), into);
    assert.deepEqual(into, { accept: 'application/json', b3: `${T}-${S}-1` });
    assert.throws(() => ctx.toHeaders(['custom']), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
    assert.throws(() => ctx.toHeaders(['w3x']), /expected one of w3c, tracecontext, b3, b3multi, zipkin, jaeger, datadog, newrelic/);
  });

  test('tracestate members are parsed on demand', () => {
    assert.equal(ctx.getTraceStateValue('rojo'), '1');
    assert.equal(ctx.getTraceStateValue('roj'), undefined);
    const entries = ctx.getTraceStateEntries();
    assert.deepEqual(entries, [['congo', 't61rcWkgMzE'], ['rojo', '1']]);
  });

  test('an invalid tracestate handed to the constructor never comes out', () => {
    const bad = new TraceContext(T, S, 1, 'ok=1,BAD KEY=2', true, undefined);
    assert.equal(bad.traceState, undefined);
    assert.deepEqual(bad.toHeaders(), { traceparent: `00-${T}-${S}-01` });
    assert.deepEqual(bad.getTraceStateEntries(), []);
  });

  test('createChild keeps trace id, flags and tracestate, takes a new span id and records the parent', () => {
    const child = ctx.createChild();
    assert.equal(child.traceId, T);
    assert.notEqual(child.spanId, S);
    assert.match(child.spanId, /^[0-9a-f]{16}$/);
    assert.equal(child.parentSpanId, S);
    assert.equal(child.traceFlags, ctx.traceFlags);
    assert.equal(child.traceState, ctx.traceState);
    assert.equal(child.isRemote, false);
  });

  test('a child gets the tracestate unread and validates it on its own first read', () => {
    const raw = ' congo=t61rcWkgMzE ,, rojo=1';
    const parent = new TraceContext(T, S, FLAG_SAMPLED, raw, true, undefined);
    assert.equal(parent.traceStateForChild(), raw, 'not scanned before anyone reads it');
    const child = parent.createChild();
    assert.equal(parent.traceStateForChild(), raw, 'createChild does not scan it either');
    assert.equal(child.traceState, 'congo=t61rcWkgMzE,rojo=1');
    assert.equal(parent.traceState, 'congo=t61rcWkgMzE,rojo=1');
    assert.equal(parent.traceStateForChild(), 'congo=t61rcWkgMzE,rojo=1', 'the checked value once read');

    const invalid = new TraceContext(T, S, FLAG_SAMPLED, 'ok=1,BAD KEY=2', true, undefined);
    const grandchild = invalid.createChild().createChild();
    assert.equal(grandchild.traceState, undefined);
    assert.deepEqual(grandchild.toHeaders(), { traceparent: `00-${T}-${grandchild.spanId}-01` });
    assert.equal(invalid.traceState, undefined);
    assert.equal(invalid.traceStateForChild(), undefined);
  });

  test('createRootTraceContext sets the W3C random flag, sampled as asked', () => {
    const sampled = createRootTraceContext(true);
    const unsampled = createRootTraceContext(false);
    assert.equal(sampled.traceFlags, FLAG_SAMPLED | FLAG_RANDOM);
    assert.equal(unsampled.traceFlags, FLAG_RANDOM);
    assert.equal(unsampled.toW3CFormat().slice(-2), '02');
    assert.equal(sampled.isRemote, false);
    assert.equal(sampled.parentSpanId, undefined);
    assert.notEqual(sampled.traceId, unsampled.traceId);
  });

  test('from() validates user ids and normalises tracestate', () => {
    const c = TraceContext.from({ traceId: T, spanId: S, traceState: ' a=1 ,, b=2 ' });
    assert.equal(c.traceState, 'a=1,b=2');
    assert.throws(() => TraceContext.from({ traceId: T, spanId: S, traceState: 'A=1' }), { code: ErrorCodes.ERR_INVALID_ARGUMENT });
    assert.throws(() => TraceContext.from({ traceId: T.toUpperCase(), spanId: S }), /traceId/);
    assert.throws(() => TraceContext.from({ traceId: T, spanId: '0'.repeat(16) }), /spanId/);
  });
});
