// createPropagator / propagatorFromEnv: config names, aliases, the composite's order, and
// clear startup errors for bad options.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCodes } from '../../../engine/errors.js';
import {
  createPropagator,
  parsePropagatorsEnv,
  propagatorFromEnv,
  resolvePropagationFormat,
  resolvePropagationFormats,
} from '../../../engine/propagation/create-propagator.js';
import { noopPropagator } from '../../../engine/propagation/composite.js';
import { w3cPropagator } from '../../../engine/propagation/w3c.js';
import { TraceContext } from '../../../engine/propagation/trace-context.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const S2 = 'e457b5a2e4d86bd1';

function assertInvalidOption(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TypeError);
    assert.equal((err as { code?: string }).code, ErrorCodes.ERR_INVALID_OPTION);
    assert.match((err as Error).message, pattern);
    return true;
  });
}

describe('createPropagator', () => {
  test('defaults to W3C on both sides, and a single format is the format propagator itself (no wrapper)', () => {
    assert.equal(createPropagator(), w3cPropagator);
    assert.equal(createPropagator({ extract: ['w3c'], inject: ['tracecontext'] }), w3cPropagator);
    assert.equal(createPropagator({ inject: ['w3c'] }), w3cPropagator);
  });

  test('extraction follows the configured order: first valid context wins', () => {
    const headers = { traceparent: `00-${T}-${S}-01`, b3: `${T}-${S2}-0` };
    assert.equal(createPropagator({ extract: ['w3c', 'b3'], inject: ['w3c'] }).extract(headers)?.spanId, S);
    assert.equal(createPropagator({ extract: ['b3', 'w3c'], inject: ['w3c'] }).extract(headers)?.spanId, S2);
  });

  test('an invalid earlier format falls through to the next one', () => {
    const p = createPropagator({ extract: ['w3c', 'jaeger'], inject: ['w3c'] });
    assert.equal(p.extract({ traceparent: 'garbage', 'uber-trace-id': `${T}:${S2}:0:1` })?.spanId, S2);
    assert.equal(p.extract({ traceparent: 'garbage' }), null);
  });

  test('injection writes every configured format; fields list every header read or written, once', () => {
    const p = createPropagator({ extract: ['w3c', 'b3'], inject: ['w3c', 'b3', 'jaeger', 'datadog'] });
    const out: Record<string, string> = {};
    p.inject(new TraceContext(T, S, 1, 'a=1', false, undefined), out);
    assert.deepEqual(Object.keys(out).sort(), [
      'b3',
      'traceparent',
      'tracestate',
      'uber-trace-id',
      'x-datadog-parent-id',
      'x-datadog-sampling-priority',
      'x-datadog-tags',
      'x-datadog-trace-id',
    ]);
    assert.equal(new Set(p.fields).size, p.fields.length);
    for (const name of ['traceparent', 'tracestate', 'b3', 'x-b3-traceid', 'uber-trace-id', 'x-datadog-trace-id']) assert.ok(p.fields.includes(name), name);
  });

  test('duplicates and aliases collapse (zipkin = b3multi, tracecontext = w3c)', () => {
    assert.deepEqual(resolvePropagationFormats(['w3c', 'tracecontext', 'zipkin', 'b3multi', 'baggage', 'baggage'], 'p'), ['w3c', 'b3multi', 'baggage']);
    assert.equal(resolvePropagationFormat('zipkin', 'p'), 'b3multi');
  });

  test('"none" and empty lists give the no-op propagator', () => {
    assert.equal(createPropagator({ extract: ['none'], inject: ['none'] }), noopPropagator);
    assert.equal(createPropagator({ extract: [], inject: [] }), noopPropagator);
    assert.equal(noopPropagator.extract({ traceparent: `00-${T}-${S}-01` }), null);
  });

  test('unknown format names fail at startup naming the option path and the allowed names', () => {
    assertInvalidOption(() => createPropagator({ extract: ['w3c', 'w3x'] }), /propagation\.extract\[1\]: got "w3x", expected one of "w3c", "tracecontext", "b3"/);
    assertInvalidOption(() => createPropagator({ inject: ['xray'] }, 'tracing.propagation'), /tracing\.propagation\.inject\[0\]: got "xray"/);
    assertInvalidOption(() => createPropagator({ extract: 'w3c' as never }), /propagation\.extract: got "w3c", expected an array/);
    assertInvalidOption(() => createPropagator({ extract: [42 as never] }), /extract\[0\]: got 42/);
    assertInvalidOption(() => createPropagator(null as never), /propagation: got null/);
    assertInvalidOption(() => createPropagator({ extract: ['none', 'w3c'] }), /"none" alone/);
  });

  test('custom needs header names, validated at startup', () => {
    assertInvalidOption(() => createPropagator({ extract: ['custom'] }), /propagation\.headers: got undefined, expected \{ traceId: 'x-trace-id'/);
    assertInvalidOption(() => createPropagator({ extract: ['custom'], headers: { traceId: 'x trace', spanId: 'x-span-id' } }), /headers\.traceId: got "x trace"/);
    assertInvalidOption(() => createPropagator({ extract: ['custom'], headers: { traceId: 'x-id', spanId: 'X-ID' } }), /headers\.spanId: got "X-ID", expected a header name different/);
    assertInvalidOption(() => createPropagator({ extract: ['custom'], headers: { traceId: 'x-id', spanId: '' } }), /headers\.spanId: got ""/);
  });
});

describe('OTEL_PROPAGATORS', () => {
  test('names are parsed comma-separated, trimmed, lower-cased, deduplicated; unset means tracecontext,baggage', () => {
    assert.deepEqual(parsePropagatorsEnv(' TraceContext , b3,b3 ,, jaeger'), ['tracecontext', 'b3', 'jaeger']);
    assert.deepEqual(parsePropagatorsEnv(undefined), ['tracecontext', 'baggage']);
    assert.deepEqual(parsePropagatorsEnv('  '), ['tracecontext', 'baggage']);
  });

  test('propagatorFromEnv maps the OTel names; baggage adds the W3C baggage header beside the trace', () => {
    assert.equal(propagatorFromEnv('tracecontext'), w3cPropagator);
    for (const env of [undefined, 'tracecontext,baggage']) {
      const p = propagatorFromEnv(env);
      // extraction of the trace is the W3C parser itself: baggage adds no wrapper to it
      assert.equal(p.extract, w3cPropagator.extract);
      assert.deepEqual([...p.fields], ['traceparent', 'tracestate', 'baggage']);
      assert.equal(p.extractBaggage!({ baggage: 'a=1' })!.get('a'), '1');
    }
    assert.equal(propagatorFromEnv('none'), noopPropagator);
    const only = propagatorFromEnv('baggage');
    assert.equal(only.extract({ traceparent: `00-${T}-${S}-01` }), null);
    assert.deepEqual([...only.fields], ['baggage']);
    assert.equal(only.extractBaggage!({ baggage: 'tenant=acme' })!.get('tenant'), 'acme');
    const p = propagatorFromEnv('b3multi,datadog');
    const out: Record<string, string> = {};
    p.inject(new TraceContext(T, S, 1, undefined, false, undefined), out);
    assert.deepEqual(Object.keys(out).sort(), ['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'x-datadog-trace-id', 'x-datadog-tags'].sort());
  });

  test('an unknown name fails naming the variable', () => {
    assertInvalidOption(() => propagatorFromEnv('tracecontext,xray'), /Invalid option OTEL_PROPAGATORS\[1\]: got "xray"/);
  });
});
