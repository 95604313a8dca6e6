import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, TraceContextTypeError, Tracer } from '../../../engine/index.js';

test('bad tracer options fail at construction with ERR_INVALID_OPTION naming option, value and what is allowed', () => {
  const cases: [unknown, RegExp][] = [
    [{ poolSize: -1 }, /tracer\.poolSize: got -1, expected an integer/],
    [{ poolSize: 10, maxPoolSize: 5 }, /tracer\.maxPoolSize: got 5, expected an integer >= poolSize \(10\)/],
    [{ processor: {} }, /tracer\.processor/],
    [{ onSpanEnd: 'x' }, /tracer\.onSpanEnd/],
    [{ debug: 'yes' }, /tracer\.debug: got "yes", expected true or false/],
    [{ enabled: 1 }, /tracer\.enabled/],
    [{ scopeName: '' }, /tracer\.scopeName/],
    [{ smapler: {} }, /tracer\.smapler: .*no such option/],
    [{ sampler: { type: 'sometimes' } }, /sampler\.type: got "sometimes", expected one of "always_on"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => new Tracer(options as never),
      (err: unknown) => err instanceof TraceContextTypeError && (err as TraceContextTypeError).code === ErrorCodes.ERR_INVALID_OPTION && message.test((err as Error).message),
      JSON.stringify(options),
    );
  }
});

test('a Sampler instance is used as is', () => {
  const calls: string[] = [];
  const tracer = new Tracer({ sampler: { shouldSample: (_p, _t, name) => (calls.push(name), { decision: 0, traceState: undefined }), toString: () => 'custom' } });
  tracer.startSpan('n').end();
  assert.deepEqual(calls, ['n']);
});

test('startSpan tolerates bad arguments: a non-string name, unknown kind, a non-TraceContext parent', () => {
  const tracer = new Tracer({ sampler: { type: 'always_on' } });
  const span = tracer.startSpan(123 as never, { kind: 99 as never, parent: { traceId: 'x' } as never, links: 'no' as never, attributes: 5 as never });
  assert.equal(span.isRecording(), true);
  assert.equal(span.spanContext().parentSpanId, undefined);
  span.end();
  assert.throws(() => tracer.startActiveSpan('x', undefined, undefined as never), /fn/);
});
