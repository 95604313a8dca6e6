import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../../../engine/context/index.js';
import { enableOutboundHttp, injectTraceHeaders } from '../../../engine/instrumentation/index.js';
import type { TraceContext } from '../../../engine/propagation/trace-context.js';
import { REMOTE_PARENT, RecordingTracer, inTrace } from './recording-tracer.js';

test('injectTraceHeaders outside any context or trace returns the headers unchanged', () => {
  assert.deepEqual(injectTraceHeaders(), {});
  const mine = { accept: 'application/json' };
  assert.equal(injectTraceHeaders(mine), mine);
  assert.deepEqual(mine, { accept: 'application/json' });
  context.run(() => assert.deepEqual(injectTraceHeaders(), {}));
});

test('injectTraceHeaders writes W3C headers of the active span into the given object', () => {
  const headers = inTrace(REMOTE_PARENT, () => injectTraceHeaders({ accept: 'application/json' }));
  assert.deepEqual(headers, {
    accept: 'application/json',
    traceparent: REMOTE_PARENT.toW3CFormat(),
    tracestate: REMOTE_PARENT.traceState,
  });
});

test('injectTraceHeaders uses the propagator of enableOutboundHttp', (t) => {
  const propagator = {
    inject(ctx: TraceContext, carrier: Record<string, string>): void {
      carrier['x-b3-traceid'] = ctx.traceId;
    },
  };
  t.after(enableOutboundHttp({ tracer: new RecordingTracer(), propagator }));
  assert.deepEqual(inTrace(REMOTE_PARENT, () => injectTraceHeaders()), { 'x-b3-traceid': REMOTE_PARENT.traceId });
});

test('injectTraceHeaders rejects a non-object with ERR_INVALID_ARGUMENT', () => {
  assert.throws(() => injectTraceHeaders('x' as never), { code: 'ERR_INVALID_ARGUMENT' });
});
