import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode, clockNow, toEpochMs } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

test('setAttribute stores strings, numbers, booleans and homogeneous arrays, and overwrites by key', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  assert.equal(span.setAttribute('s', 'x'), span);
  span.setAttribute('n', 1.5).setAttribute('b', false).setAttribute('arr', ['a', null, 'b']).setAttribute('nums', [1, 2]);
  span.setAttribute('s', 'y');
  span.end();
  assert.deepEqual(processor.spans[0]!.attributes, { s: 'y', n: 1.5, b: false, arr: ['a', null, 'b'], nums: [1, 2] });
});

test('setAttribute ignores invalid keys and values without throwing or counting them as dropped', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  span.setAttribute('', 'x');
  span.setAttribute('obj', { a: 1 } as never);
  span.setAttribute('mixed', ['a', 1] as never);
  span.setAttribute('undef', undefined as never);
  span.setAttribute('nul', null as never);
  span.setAttribute(42 as never, 'x');
  span.end();
  assert.deepEqual(processor.spans[0]!.attributes, {});
  assert.equal(processor.spans[0]!.droppedAttributesCount, 0);
});

test('setAttributes sets every own valid entry', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  span.setAttributes({ a: 1, b: 'two', c: undefined });
  span.setAttributes(null as never);
  span.end();
  assert.deepEqual(processor.spans[0]!.attributes, { a: 1, b: 'two' });
});

test('addEvent records name, copied attributes and time (now, epoch ms or Date)', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  const attrs = { k: 'v' };
  const before = clockNow();
  span.addEvent('first', attrs);
  attrs.k = 'changed later';
  const at = Date.now() + 5;
  span.addEvent('second', undefined, at);
  span.addEvent('third', undefined, new Date(at + 1));
  span.end();
  const [e1, e2, e3] = processor.spans[0]!.events;
  assert.equal(e1!.name, 'first');
  assert.deepEqual(e1!.attributes, { k: 'v' });
  assert.ok(e1!.time >= before);
  assert.equal(e2!.attributes, null);
  assert.ok(Math.abs(toEpochMs(e2!.time) - at) < 1e-3);
  assert.ok(Math.abs(toEpochMs(e3!.time) - (at + 1)) < 1e-3);
});

test('recordException turns Errors, strings and odd values into exception events without throwing', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  const coded = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
  span.recordException(coded);
  span.recordException('plain text');
  span.recordException(404);
  span.recordException({});
  const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
  span.recordException(hostile);
  span.end();
  const events = processor.spans[0]!.events;
  assert.equal(events.length, 5);
  assert.ok(events.every((e) => e.name === 'exception'));
  assert.equal(events[0]!.attributes!['exception.type'], 'ECONNREFUSED');
  assert.equal(events[0]!.attributes!['exception.message'], 'refused');
  assert.equal(events[1]!.attributes!['exception.message'], 'plain text');
  assert.equal(events[2]!.attributes!['exception.message'], '404');
  assert.equal(events[3]!.attributes!['exception.message'], '[object Object]');
  assert.ok(typeof events[4]!.attributes!['exception.message'] === 'string');
  assert.equal(processor.spans[0]!.statusCode, SpanStatusCode.UNSET);
});

test('setStatus follows OpenTelemetry: UNSET ignored, message only with ERROR, OK is final', () => {
  const { tracer, processor } = collectingTracer();
  const a = tracer.startSpan('a');
  a.setStatus({ code: SpanStatusCode.ERROR, message: 'first' });
  a.setStatus({ code: SpanStatusCode.UNSET });
  a.end();
  const b = tracer.startSpan('b');
  b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
  b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
  b.end();
  const c = tracer.startSpan('c');
  c.setStatus({ code: 7 as never });
  c.setStatus(null as never);
  c.end();
  assert.equal(processor.spans[0]!.statusCode, SpanStatusCode.ERROR);
  assert.equal(processor.spans[0]!.statusMessage, 'first');
  assert.equal(processor.spans[1]!.statusCode, SpanStatusCode.OK);
  assert.equal(processor.spans[1]!.statusMessage, '');
  assert.equal(processor.spans[2]!.statusCode, SpanStatusCode.UNSET);
});

test('updateName renames the span', () => {
  const { tracer, processor } = collectingTracer();
  tracer.startSpan('GET').updateName('GET /orders/:id').end();
  assert.equal(processor.spans[0]!.name, 'GET /orders/:id');
});

test('end records the end time, clamps an end before the start, and a second end is a no-op', () => {
  const { tracer, processor } = collectingTracer();
  const span = tracer.startSpan('a');
  assert.equal(span.isRecording(), true);
  span.end();
  assert.equal(span.isRecording(), false);
  span.end();
  span.setAttribute('late', 1);
  assert.equal(processor.spans.length, 1);
  assert.deepEqual(processor.spans[0]!.attributes, {});
  assert.ok(processor.spans[0]!.endTime >= processor.spans[0]!.startTime);
  tracer.startSpan('b').end(0);
  assert.equal(processor.spans[1]!.endTime, processor.spans[1]!.startTime);
});

test('spanContext keeps returning the ids after end', () => {
  const { tracer } = collectingTracer();
  const span = tracer.startSpan('a');
  const before = span.spanContext().toW3CFormat();
  span.end();
  assert.equal(span.spanContext().toW3CFormat(), before);
});
