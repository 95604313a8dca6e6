// Round trips for every format: extract(inject(ctx)) and inject(extract(headers)) keep the trace
// id, span id and sampled bit; the W3C random bit survives where the format can carry it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../../engine/propagation/create-propagator.js';
import { TraceContext, createRootTraceContext } from '../../../engine/propagation/trace-context.js';
import { generateSpanId, generateTraceId } from '../../../engine/ids/trace-ids.js';

const CARRY_RANDOM = new Set(['w3c']);
const FORMATS = ['w3c', 'b3', 'b3multi', 'zipkin', 'jaeger', 'datadog', 'custom'] as const;
const headers = { traceId: 'x-trace-id', spanId: 'x-span-id' };

describe('round trips', () => {
  for (const format of FORMATS) {
    test(`${format}: extract(inject(ctx)) keeps trace id, span id, sampled${CARRY_RANDOM.has(format) ? ' and random' : ''} for 1,000 random contexts`, () => {
      const p = createPropagator({ extract: [format], inject: [format], headers });
      for (let i = 0; i < 1000; i++) {
        const flags = i & 3;
        const ctx = new TraceContext(generateTraceId(), generateSpanId(), flags, undefined, false, undefined);
        const out: Record<string, string> = {};
        p.inject(ctx, out);
        const back = p.extract(out);
        assert.ok(back !== null, JSON.stringify(out));
        assert.equal(back.traceId, ctx.traceId);
        assert.equal(back.spanId, ctx.spanId);
        assert.equal(back.sampled, format === 'custom' ? true : ctx.sampled);
        if (CARRY_RANDOM.has(format)) assert.equal(back.random, ctx.random);
        // the second hop writes exactly what the first wrote
        const again: Record<string, string> = {};
        p.inject(back, again);
        if (format !== 'custom' || ctx.sampled) assert.deepEqual(again, out);
      }
    });
  }

  test('w3c: tracestate round-trips unchanged', () => {
    const p = createPropagator();
    const ctx = createRootTraceContext(false, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    const out: Record<string, string> = {};
    p.inject(ctx, out);
    const back = p.extract(out)!;
    assert.equal(back.traceState, ctx.traceState);
    assert.equal(back.random, true);
    assert.equal(back.sampled, false);
  });

  test('newrelic: a payload extracted then forwarded as W3C keeps trace id, span id and sampled', () => {
    const payload = { v: [0, 1], d: { ty: 'App', ac: '1', ap: '2', id: 'b7ad6b7169203331', tr: '0af7651916cd43dd8448eb211c80319c', sa: true, ti: 1 } };
    const ctx = createPropagator({ extract: ['newrelic'] }).extract({ newrelic: Buffer.from(JSON.stringify(payload)).toString('base64') })!;
    const out = ctx.toHeaders(['w3c']);
    assert.equal(out.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  test('cross-format: a W3C parent forwarded as B3, Jaeger and Datadog is read back as the same ids', () => {
    const parent = createPropagator().extract({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })!;
    const out = parent.toHeaders(['b3multi', 'jaeger', 'datadog']);
    for (const format of ['b3multi', 'jaeger', 'datadog']) {
      const back = createPropagator({ extract: [format] }).extract(out)!;
      assert.equal(back.traceId, parent.traceId, format);
      assert.equal(back.spanId, parent.spanId, format);
      assert.equal(back.sampled, true, format);
    }
  });
});
