// captureTraceContext / runWithTraceContext: a job continues (or links to) the trace that
// produced it; a missing or bad carrier starts a new trace and never throws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SpanKind,
  SpanStatusCode,
  Tracer,
  captureTraceContext,
  configureTraceCarriers,
  context,
  getGlobalTracer,
  runWithTraceContext,
  setGlobalTracer,
  w3cPropagator,
  type CarrierTracer,
  type TraceCarrier,
} from '../../../engine/index.js';
import { currentStore, runWithStore, type ContextStore } from '../../../engine/internal.js';
import { installRecordingTracing } from './recording-tracing.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function setup(t: { after(fn: () => unknown): void }) {
  const tracing = installRecordingTracing();
  t.after(() => configureTraceCarriers(null));
  return tracing;
}

test('captureTraceContext returns the active span as W3C headers; outside a trace an empty object', (t) => {
  const tracing = setup(t);
  assert.deepEqual(captureTraceContext(), {});
  const carrier = tracing.tracer.startActiveSpan('produce', (span) => {
    const captured = captureTraceContext();
    assert.equal(captured.traceparent, span.spanContext().toW3CFormat());
    return captured;
  });
  assert.deepEqual(Object.keys(carrier), ['traceparent']);
  assert.deepEqual(JSON.parse(JSON.stringify(carrier)), carrier, 'serializable as is');
});

test('runWithTraceContext: the job span is a consumer child of the carrier, in the producer trace', async (t) => {
  const tracing = setup(t);
  const carrier = tracing.tracer.startActiveSpan('produce', () => captureTraceContext());
  const producer = tracing.one('produce');
  const seen = await runWithTraceContext(carrier, 'process emails', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return captureTraceContext();
  }, { attributes: { 'messaging.system': 'test' } });
  const job = tracing.one('process emails');
  assert.equal(job.kind, SpanKind.CONSUMER);
  assert.equal(job.traceId, producer.traceId);
  assert.equal(job.parentSpanId, producer.spanId);
  assert.equal(job.parentIsRemote, true);
  assert.equal(job.attributes['messaging.system'], 'test');
  // Flags 03: sampled, plus the W3C Level 2 random bit the producer's new root set.
  assert.equal(seen.traceparent, `00-${job.traceId}-${job.spanId}-03`, 'the job span is active inside fn');
});

test('runWithTraceContext with link: true starts a new trace whose root links to the carrier', (t) => {
  const tracing = setup(t);
  const result = runWithTraceContext({ traceparent: TRACEPARENT }, 'nightly report', () => 42, { link: true });
  assert.equal(result, 42);
  const job = tracing.one('nightly report');
  assert.notEqual(job.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(job.parentSpanId, '');
  assert.deepEqual(job.links, [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }]);
});

test('a job without a carrier, or with an unusable one, gets a new trace and never throws', (t) => {
  const tracing = setup(t);
  const hostile = Object.defineProperty({}, 'traceparent', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
  const carriers: unknown[] = [
    undefined,
    null,
    {},
    'traceparent',
    42,
    [TRACEPARENT],
    { traceparent: 42 },
    { traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'] },
    { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
    { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331' },
    { traceparent: 'x'.repeat(100_000) },
    JSON.parse('{"__proto__": {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}'),
    hostile,
  ];
  for (const carrier of carriers) {
    runWithTraceContext(carrier, 'job', () => undefined);
  }
  const jobs = tracing.named('job');
  assert.equal(jobs.length, carriers.length);
  for (const job of jobs) {
    assert.equal(job.parentSpanId, '', 'a root span');
    assert.notEqual(job.traceId, '0af7651916cd43dd8448eb211c80319c');
  }
  assert.equal(new Set(jobs.map((j) => j.traceId)).size, jobs.length, 'each a new trace');
});

test('a throwing or rejecting job is recorded on its span (exception event, error status) and passed on unchanged', async (t) => {
  const tracing = setup(t);
  const boom = new TypeError('bad payload');
  assert.throws(() => runWithTraceContext({ traceparent: TRACEPARENT }, 'sync job', () => {
    throw boom;
  }), (err) => err === boom);
  await assert.rejects(runWithTraceContext({ traceparent: TRACEPARENT }, 'async job', async () => {
    throw boom;
  }), (err) => err === boom);
  for (const name of ['sync job', 'async job']) {
    const span = tracing.one(name);
    assert.equal(span.statusCode, SpanStatusCode.ERROR);
    assert.equal(span.statusMessage, 'bad payload');
    assert.equal(span.attributes['error.type'], 'TypeError');
    assert.deepEqual(span.events, ['exception']);
  }
});

test('the job runs in its own context: request id from options, values never leak in or out', async (t) => {
  setup(t);
  await context.run({ requestId: 'outer' }, async () => {
    await runWithTraceContext({}, 'job', async () => {
      assert.equal(context.getRequestId(), 'job-17');
    }, { requestId: 'job-17' });
    assert.equal(context.getRequestId(), 'outer');
  });
});

test('bad arguments are programming errors and throw a TypeError naming the argument', (t) => {
  setup(t);
  assert.throws(() => runWithTraceContext({}, '', () => 1), { code: 'ERR_INVALID_ARGUMENT', message: /name/ });
  assert.throws(() => runWithTraceContext({}, 'job', 'nope' as never), { code: 'ERR_INVALID_ARGUMENT', message: /fn/ });
});

test('unsampled producer: the carrier keeps the sampled bit off and the job records nothing', (t) => {
  const tracing = installRecordingTracing('always_off');
  t.after(() => configureTraceCarriers(null));
  const carrier = tracing.tracer.startActiveSpan('produce', () => captureTraceContext());
  assert.match(carrier.traceparent!, /-0[02]$/, 'sampled bit off');
  let inside: TraceCarrier = {};
  runWithTraceContext(carrier, 'job', () => {
    inside = captureTraceContext();
  });
  assert.equal(inside.traceparent!.slice(3, 35), carrier.traceparent!.slice(3, 35), 'same trace id');
  assert.equal(tracing.spans.length, 0);
});

test('without configureTraceCarriers, ids still propagate through the disabled global tracer', (t) => {
  configureTraceCarriers(null);
  t.after(() => configureTraceCarriers(null));
  const inside = runWithTraceContext({ traceparent: TRACEPARENT }, 'job', () => captureTraceContext());
  assert.equal(inside.traceparent!.slice(3, 35), '0af7651916cd43dd8448eb211c80319c');
});

test('200 interleaved jobs each continue their own trace', async (t) => {
  const tracing = setup(t);
  const carriers = Array.from({ length: 200 }, (_, i) => tracing.tracer.startActiveSpan(`produce ${i}`, () => captureTraceContext()));
  const results = await Promise.all(
    carriers.map((carrier, i) =>
      runWithTraceContext(carrier, `job ${i}`, async () => {
        await new Promise((resolve) => setTimeout(resolve, (i * 7) % 11));
        return captureTraceContext().traceparent;
      }),
    ),
  );
  for (let i = 0; i < 200; i++) {
    const producer = tracing.one(`produce ${i}`);
    const job = tracing.one(`job ${i}`);
    assert.equal(job.traceId, producer.traceId);
    assert.equal(job.parentSpanId, producer.spanId);
    assert.equal(results[i], `00-${job.traceId}-${job.spanId}-03`);
  }
});

test('configureTraceCarriers rejects a tracer or propagator of the wrong shape, naming the option', (t) => {
  t.after(() => configureTraceCarriers(null));
  assert.throws(() => configureTraceCarriers({ tracer: {} as never, propagator: {} as never }), {
    code: 'ERR_INVALID_OPTION',
    message: /traceCarriers\.tracer/,
  });
  const tracer = { startSpan: () => ({}) as never };
  assert.throws(() => configureTraceCarriers({ tracer, propagator: { inject() {}, extract: () => null } as never }), {
    code: 'ERR_INVALID_OPTION',
    message: /traceCarriers\.propagator/,
  });
  assert.throws(() => configureTraceCarriers('w3c' as never), { code: 'ERR_INVALID_OPTION' });
});

test("a tracer's enterStore opens the job's context (how the OpenTelemetry bridge also enters OTel's context)", async (t) => {
  const tracing = setup(t);
  const entered: { requestId: string; span: unknown }[] = [];
  const tracer: CarrierTracer = {
    startSpan: (name, options) => tracing.tracer.startSpan(name, options),
    enterStore(store, fn, ...args) {
      entered.push({ requestId: store.requestId, span: store.span });
      return runWithStore(store, fn, ...args);
    },
  };
  configureTraceCarriers({ tracer, propagator: w3cPropagator });
  const seen = await runWithTraceContext({ traceparent: TRACEPARENT }, 'job', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { requestId: context.getRequestId(), span: currentStore()?.span };
  }, { requestId: 'job-7' });
  assert.equal(entered.length, 1, 'the job context was opened through enterStore, once');
  assert.equal(entered[0]!.requestId, 'job-7');
  assert.equal(seen.requestId, 'job-7');
  assert.equal(seen.span, entered[0]!.span, "the store it opened is the job's, its span the job span");
  assert.equal(tracing.one('job').parentSpanId, 'b7ad6b7169203331');
});

test('without configureTraceCarriers, a global tracer with enterStore opens the job context', (t) => {
  const previous = getGlobalTracer();
  t.after(() => setGlobalTracer(previous));
  let entered = 0;
  class EnteringTracer extends Tracer {
    enterStore<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R {
      entered++;
      return runWithStore(store, fn, ...args);
    }
  }
  setGlobalTracer(new EnteringTracer({ sampler: { type: 'always_on' } }));
  const traceId = runWithTraceContext({ traceparent: TRACEPARENT }, 'job', () => getGlobalTracer().getTraceContext()?.traceId);
  assert.equal(entered, 1);
  assert.equal(traceId, '0af7651916cd43dd8448eb211c80319c');
});
