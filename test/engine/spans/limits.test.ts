import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceContext, Tracer } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

const LINK = TraceContext.from({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });

test('defaults are OpenTelemetry\'s: 128 attributes, then new keys are dropped and counted (existing keys still update)', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  for (let i = 0; i < 130; i++) span.setAttribute(`k${i}`, i);
  span.setAttribute('k0', 'updated');
  span.end();
  const s = processor.spans[0]!;
  assert.equal(Object.keys(s.attributes).length, 128);
  assert.equal(s.attributes.k0, 'updated');
  assert.equal(s.droppedAttributesCount, 2);
});

test('128 events by default, then dropped and counted', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  for (let i = 0; i < 131; i++) span.addEvent(`e${i}`);
  span.end();
  assert.equal(processor.spans[0]!.events.length, 128);
  assert.equal(processor.spans[0]!.droppedEventsCount, 3);
});

test('configured limits: value length truncates strings and string arrays; counts for links and per-event/per-link attributes', () => {
  const { tracer, processor } = collectingTracer({
    limits: { attributeValueLengthLimit: 4, attributeCountLimit: 2, linkCountLimit: 1, attributePerEventCountLimit: 1, attributePerLinkCountLimit: 1 },
  });
  const span = tracer.startSpan('a', { links: [{ context: LINK, attributes: { a: 1, b: 2 } }, { context: LINK }] });
  span.setAttribute('s', 'abcdefgh').setAttribute('arr', ['abcdefgh', 'ab', null]).setAttribute('third', 1);
  span.addEvent('e', { x: 'abcdefgh', y: 2 });
  span.end();
  const s = processor.spans[0]!;
  assert.deepEqual(s.attributes, { s: 'abcd', arr: ['abcd', 'ab', null] });
  assert.equal(s.droppedAttributesCount, 1);
  assert.equal(s.links.length, 1);
  assert.equal(s.droppedLinksCount, 1);
  assert.equal(s.links[0]!.droppedAttributesCount, 1);
  assert.deepEqual(s.events[0]!.attributes, { x: 'abcd' });
  assert.equal(s.events[0]!.droppedAttributesCount, 1);
});

test('a limit of 0 records nothing of that kind and counts it all', () => {
  const { tracer, processor } = collectingTracer({ limits: { attributeCountLimit: 0, eventCountLimit: 0 } });
  tracer.startSpan('a').setAttribute('k', 1).addEvent('e').end();
  assert.equal(processor.spans[0]!.droppedAttributesCount, 1);
  assert.equal(processor.spans[0]!.droppedEventsCount, 1);
});

test('bad limits fail at construction naming the option', () => {
  assert.throws(() => new Tracer({ limits: { attributeCountLimit: -1 } }), /tracer\.limits\.attributeCountLimit: got -1/);
  assert.throws(() => new Tracer({ limits: { attributeValueLengthLimit: 1.5 } }), /attributeValueLengthLimit/);
  assert.throws(() => new Tracer({ limits: { attributeLimit: 3 } as never }), /tracer\.limits\.attributeLimit/);
});

test('OTEL_* span limit variables: span-specific over general, options in code over both, bad values warned about and ignored', (t) => {
  const env = {
    OTEL_ATTRIBUTE_COUNT_LIMIT: '3',
    OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '2',
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '5',
    OTEL_SPAN_EVENT_COUNT_LIMIT: '1',
    OTEL_SPAN_LINK_COUNT_LIMIT: '1',
    OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '1',
  };
  const { tracer, processor } = collectingTracer({ env });
  const span = tracer.startSpan('a', { links: [{ context: LINK, attributes: { a: 1, b: 2 } }, { context: LINK }] });
  span.setAttribute('one', 'abcdefgh').setAttribute('two', 2).setAttribute('three', 3);
  span.addEvent('e1', { a: 1, b: 2, c: 3, d: 4 }).addEvent('e2');
  span.end();
  const s = processor.spans[0]!;
  assert.deepEqual(s.attributes, { one: 'abcde', two: 2 }, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=2 over OTEL_ATTRIBUTE_COUNT_LIMIT=3; value length from the general variable');
  assert.equal(s.events.length, 1);
  assert.equal(Object.keys(s.events[0]!.attributes ?? {}).length, 3, 'event attributes fall back on OTEL_ATTRIBUTE_COUNT_LIMIT');
  assert.equal(s.links.length, 1);
  assert.deepEqual(s.links[0]!.attributes, { a: 1 });

  const coded = collectingTracer({ env, limits: { attributeCountLimit: 10 } });
  const c = coded.tracer.startSpan('b');
  for (let i = 0; i < 12; i++) c.setAttribute(`k${i}`, i);
  c.end();
  assert.equal(Object.keys(coded.processor.spans[0]!.attributes).length, 10, 'the option in code wins');

  const warnings: string[] = [];
  t.mock.method(console, 'warn', (m: string) => void warnings.push(m));
  const bad = collectingTracer({ env: { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: 'many', OTEL_ATTRIBUTE_COUNT_LIMIT: '4' } });
  const b = bad.tracer.startSpan('c');
  for (let i = 0; i < 6; i++) b.setAttribute(`k${i}`, i);
  b.end();
  assert.equal(Object.keys(bad.processor.spans[0]!.attributes).length, 4, 'a bad span-specific value falls through to the general one');
  assert.ok(warnings.some((w) => w.includes('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT')), warnings.join('\n'));
});
