import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../../../engine/context/index.js';
import { enableOutboundHttp, injectTraceHeaders } from '../../../engine/instrumentation/index.js';
import { configureTraceCarriers } from '../../../engine/jobs/carrier-tracing.js';
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

test('with outbound HTTP off, injectTraceHeaders uses the trace carriers\' propagator (a Nest app with outboundHttp: false)', (t) => {
  const propagator = {
    extract: () => null,
    inject(ctx: TraceContext, carrier: Record<string, string>): void {
      carrier['x-datadog-trace-id'] = ctx.traceId.slice(16);
    },
    fields: ['x-datadog-trace-id'],
  };
  configureTraceCarriers({ tracer: { startSpan: () => assert.fail('no span is started') }, propagator });
  t.after(() => configureTraceCarriers(null));
  assert.deepEqual(inTrace(REMOTE_PARENT, () => injectTraceHeaders()), { 'x-datadog-trace-id': REMOTE_PARENT.traceId.slice(16) });
  // Outbound HTTP enabled: its propagator wins, as the calls it instruments carry its headers.
  t.after(enableOutboundHttp({ tracer: new RecordingTracer() }));
  assert.deepEqual(inTrace(REMOTE_PARENT, () => injectTraceHeaders()), {
    traceparent: REMOTE_PARENT.toW3CFormat(),
    tracestate: REMOTE_PARENT.traceState,
  });
});

test('injectTraceHeaders rejects a non-object with ERR_INVALID_ARGUMENT', () => {
  assert.throws(() => injectTraceHeaders('x' as never), { code: 'ERR_INVALID_ARGUMENT' });
});
