import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '../../../engine/index.js';
import { collectingTracer } from './helper.js';

test('a handle kept after end() never changes the span that reuses its record', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 1, maxPoolSize: 1 });
  const old = tracer.startSpan('request-1');
  old.end();
  // Pool of one: request 2 gets the very record request 1 used.
  const current = tracer.startSpan('request-2');
  current.setAttribute('owner', 'request-2');
  old.setAttribute('owner', 'request-1').setAttributes({ x: 1 }).addEvent('intruder').recordException(new Error('x'));
  old.setStatus({ code: SpanStatusCode.ERROR, message: 'from the old handle' }).updateName('hijacked');
  old.end();
  assert.equal(old.isRecording(), false);
  assert.equal(current.isRecording(), true);
  current.end();
  const s = processor.spans[1]!;
  assert.equal(s.name, 'request-2');
  assert.deepEqual(s.attributes, { owner: 'request-2' });
  assert.equal(s.events.length, 0);
  assert.equal(s.statusCode, SpanStatusCode.UNSET);
  assert.equal(processor.spans.length, 2);
  assert.equal(tracer.poolStats().created, 1);
});

test('a handle whose record is held by the exporter (ended, not yet released) is a no-op too', () => {
  const { tracer, processor } = collectingTracer({ poolSize: 1, maxPoolSize: 1 });
  processor.hold = true;
  const span = tracer.startSpan('held');
  span.end();
  span.setAttribute('late', true);
  span.end();
  assert.equal(processor.spans.length, 1);
  assert.equal(processor.held[0]!.attributeCount, 0);
  processor.releaseHeld();
});

test('debug mode warns once about stale handles; without debug it is silent', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    for (const debug of [false, true]) {
      const { tracer } = collectingTracer({ poolSize: 1, maxPoolSize: 1, debug });
      const old = tracer.startSpan('a');
      old.end();
      const next = tracer.startSpan('b');
      old.setAttribute('x', 1);
      old.end();
      next.end();
    }
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', onWarning);
  }
  const stale = warnings.filter((w) => (w as Error & { code?: string }).code === 'NTC_STALE_SPAN');
  assert.equal(stale.length, 1);
  assert.match(stale[0]!.message, /span\.setAttribute\(\)/);
});
