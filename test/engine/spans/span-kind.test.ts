import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

test('startSpan takes the kind as a SpanKind number or by name; anything else is INTERNAL', () => {
  const { tracer, processor } = collectingTracer({ sampler: { type: 'always_on' } });
  const cases: Array<[unknown, number]> = [
    [SpanKind.SERVER, SpanKind.SERVER],
    ['server', SpanKind.SERVER],
    ['client', SpanKind.CLIENT],
    ['producer', SpanKind.PRODUCER],
    ['consumer', SpanKind.CONSUMER],
    ['internal', SpanKind.INTERNAL],
    ['SERVER', SpanKind.INTERNAL],
    ['toString', SpanKind.INTERNAL],
    [7, SpanKind.INTERNAL],
    [null, SpanKind.INTERNAL],
  ];
  for (const [kind] of cases) tracer.startSpan('op', { kind: kind as never }).end();
  assert.deepEqual(
    processor.spans.map((s) => s.kind),
    cases.map(([, expected]) => expected),
  );
});
