// x-datadog-origin (issue 3 names it among the Datadog headers): the origin of a trace
// (Synthetics, RUM, ...) travels with it. It is kept as the `dd` tracestate member's `o:`
// sub-key, the place dd-trace keeps it in W3C context, so it reaches the next hop whether that
// hop is sent Datadog or W3C headers. Only plain tokens are forwarded; nothing else is echoed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator, TraceContext } from '../../engine/index.js';

const TRACE_DEC = '11803532876627986230';
const SPAN_DEC = '67667974448284343';
const dd = (extra: Record<string, string> = {}) => ({
  'x-datadog-trace-id': TRACE_DEC,
  'x-datadog-parent-id': SPAN_DEC,
  'x-datadog-sampling-priority': '1',
  ...extra,
});

const datadog = createPropagator({ extract: ['datadog'], inject: ['datadog'] });
const datadogToW3C = createPropagator({ extract: ['datadog'], inject: ['w3c', 'datadog'] });
const w3cToDatadog = createPropagator({ extract: ['w3c'], inject: ['datadog'] });

function forward(p: typeof datadog, headers: Record<string, string>): Record<string, string> {
  const ctx = p.extract(headers);
  assert.ok(ctx !== null);
  const out: Record<string, string> = {};
  p.inject(ctx.createChild(), out);
  return out;
}

describe('Datadog origin', () => {
  for (const origin of ['synthetics', 'synthetics-browser', 'rum', 'ciapp-test', 'lambda', 'A.b_C-9']) {
    test(`"${origin}" is forwarded as x-datadog-origin and as dd=o: in tracestate`, () => {
      const ctx = datadog.extract(dd({ 'x-datadog-origin': origin }));
      assert.ok(ctx !== null);
      assert.equal(ctx.traceState, `dd=o:${origin}`);
      assert.equal(forward(datadog, dd({ 'x-datadog-origin': origin }))['x-datadog-origin'], origin);
      const both = forward(datadogToW3C, dd({ 'x-datadog-origin': origin }));
      assert.equal(both.tracestate, `dd=o:${origin}`);
      assert.equal(both['x-datadog-origin'], origin);
    });
  }

  const bad = ['', 'a,b', 'a=b', 'o;p', 'syn thetics', 'rum\r\nx-evil: 1', 'x'.repeat(65), 'é'];
  for (const origin of bad) {
    test(`${JSON.stringify(origin.length > 20 ? `${origin.slice(0, 20)}…` : origin)} is dropped: ids kept, nothing echoed`, () => {
      const ctx = datadog.extract(dd({ 'x-datadog-origin': origin }));
      assert.ok(ctx !== null, 'the ids are still valid');
      assert.equal(ctx.traceState, undefined);
      const out = forward(datadogToW3C, dd({ 'x-datadog-origin': origin }));
      assert.equal(out['x-datadog-origin'], undefined);
      assert.equal(out.tracestate, undefined);
    });
  }

  test('a repeated x-datadog-origin is not trusted', () => {
    const ctx = datadog.extract({ ...dd(), 'x-datadog-origin': ['rum', 'synthetics'] } as never);
    assert.ok(ctx !== null);
    assert.equal(ctx.traceState, undefined);
  });

  test('a W3C caller\'s dd member: o: is read among the other sub-keys; other members are left alone', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    assert.equal(forward(w3cToDatadog, { traceparent, tracestate: 'rojo=1,dd=s:2;o:rum;t.dm:-4,congo=t61' })['x-datadog-origin'], 'rum');
    assert.equal(forward(w3cToDatadog, { traceparent, tracestate: 'dd=s:2;t.dm:-4' })['x-datadog-origin'], undefined);
    assert.equal(forward(w3cToDatadog, { traceparent, tracestate: 'dd=s:2;o:r~m' })['x-datadog-origin'], undefined, 'not a plain token');
    assert.equal(forward(w3cToDatadog, { traceparent, tracestate: 'xdd=o:rum' })['x-datadog-origin'], undefined, 'only the dd key');
  });

  test('TraceContext.toDatadog carries the origin of a context built with it', () => {
    const ctx = TraceContext.from({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceState: 'dd=o:synthetics' });
    assert.equal(ctx.toDatadog()['x-datadog-origin'], 'synthetics');
  });
});
