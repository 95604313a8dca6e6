// A span inherits its remote parent's tracestate. The header is validated only when something
// reads it (W3C trace-context §3.3: an invalid tracestate is discarded whole), so an unsampled
// request never pays for the scan, and neither a forwarded header nor an exported span ever
// carries an invalid one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, w3cPropagator } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const PARENT_UNSAMPLED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';

function child(sampler: 'always_on' | 'always_off', traceparent: string, tracestate: string) {
  const { tracer, processor } = collectingTracer({ sampler: { type: sampler } });
  const parent = w3cPropagator.extract({ traceparent, tracestate })!;
  const span = tracer.startSpan('GET /x', { kind: SpanKind.SERVER, parent });
  const headers: Record<string, string> = {};
  w3cPropagator.inject(span.spanContext(), headers);
  span.end();
  return { span, headers, spans: processor.spans };
}

test('an unsampled child forwards a valid parent tracestate unchanged', () => {
  const { span, headers } = child('always_off', PARENT_UNSAMPLED, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  assert.equal(span.spanContext().traceState, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  assert.equal(headers.tracestate, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
});

test('an unsampled child of an invalid tracestate neither exposes nor forwards it', () => {
  const { span, headers } = child('always_off', PARENT_UNSAMPLED, 'congo=t61rcWkgMzE,BAD KEY=1');
  assert.equal(span.spanContext().traceState, undefined);
  assert.equal(headers.tracestate, undefined);
  assert.ok(headers.traceparent?.startsWith('00-0af7651916cd43dd8448eb211c80319c-'));
});

test('a sampled child exports only a validated tracestate', () => {
  const valid = child('always_on', PARENT, 'rojo=00f067aa0ba902b7');
  assert.equal(valid.spans[0]?.traceState, 'rojo=00f067aa0ba902b7');
  const invalid = child('always_on', PARENT, 'rojo=00f067aa0ba902b7,\u0001=x');
  assert.equal(invalid.spans[0]?.traceState, undefined);
  assert.equal(invalid.headers.tracestate, undefined);
});
