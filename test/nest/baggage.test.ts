// W3C baggage in a Nest app (on Fastify and Express): read from the request, changed with setBaggage, carried on
// outbound HTTP and job carriers, copied onto spans only when allow-listed, and mapped from
// Jaeger's uberctx-* headers when the jaeger format is in use.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { resolveBaggageKeys, SpanKind } from '../../engine/index.js';
import { currentStore } from '../../engine/internal.js';
import {
  RequestContextModule,
  RequestContextService,
  Span,
  captureTraceContext,
  getBaggage,
  runWithTraceContext,
  setBaggage,
  type TracingOptions,
} from '../../nest/index.js';
import { resolveOptions } from '../../nest/options/resolve-options.js';
import { flushSpans, getFinishedSpans, resetFinishedSpans } from '../../nest/testing/index.js';
import { startSink } from '../engine/instrumentation/helpers.js';
import { PLATFORMS, request, startApp } from './helpers.js';

const TARGET = Symbol('TARGET');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

@Injectable()
class Inner {
  @Span('inner')
  async work(): Promise<void> {}
}

@Controller()
class BaggageController {
  constructor(@Inject(TARGET) private readonly target: string, private readonly inner: Inner, private readonly ctx: RequestContextService) {}

  @Get('read')
  read(): Record<string, unknown> {
    return {
      entries: this.ctx.getBaggage().toObject(),
      tenant: this.ctx.getBaggageEntry('tenant.id') ?? null,
      // no baggage header: the store's value map was never made
      untouched: currentStore()!.values === null,
    };
  }

  @Get('forward')
  async forward(): Promise<Record<string, unknown>> {
    this.ctx.setBaggage('user.tier', 'gold');
    setBaggage('note', 'a b,c');
    await this.inner.work();
    await (await fetch(this.target)).text();
    return { carrier: captureTraceContext(), after: getBaggage().toObject() };
  }
}

@Module({})
class BaggageModule {
  static with(target: string, tracing: TracingOptions): DynamicModule {
    return {
      module: BaggageModule,
      imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }], ...tracing } })],
      controllers: [BaggageController],
      providers: [{ provide: TARGET, useValue: target }, Inner],
    };
  }
}

for (const platform of PLATFORMS) {
  test(`on ${platform}: the request's baggage is read with the trace (spec syntax: OWS, properties, percent-encoding)`, async (t) => {
    const app = await startApp(BaggageModule.with('http://127.0.0.1:9', {}), { platform });
    t.after(() => app.close());
    const reply = await request(app.origin, '/read', { headers: { baggage: 'tenant.id = acme;ttl=30, user=Am%C3%A9lie, bad key=x' } });
    const body = reply.json();
    assert.deepEqual(body.entries, { 'tenant.id': 'acme', user: 'Amélie' });
    assert.deepEqual(body.tenant, { key: 'tenant.id', value: 'acme', properties: 'ttl=30' });
    const none = (await request(app.origin, '/read')).json();
    assert.deepEqual(none.entries, {});
    assert.equal(none.untouched, true);
  });

  test(`on ${platform}: setBaggage is request-scoped and copy on write: later outbound calls and job carriers carry it; listed keys reach the spans`, async (t) => {
    resetFinishedSpans();
    const sink = await startSink();
    const app = await startApp(BaggageModule.with(sink.origin + '/x', { baggage: { toSpanAttributes: ['tenant.id', 'user.tier'] } }), { platform });
    t.after(() => app.close());
    const reply = await request(app.origin, '/forward', { headers: { traceparent: TRACEPARENT, baggage: 'tenant.id=acme,secret=s3' } });
    const body = reply.json();
    const expected = 'tenant.id=acme,secret=s3,user.tier=gold,note=a%20b%2Cc';
    assert.equal(sink.received[0]!.headers.baggage, expected);
    assert.equal(body.carrier.baggage, expected);
    assert.deepEqual(body.after, { 'tenant.id': 'acme', secret: 's3', 'user.tier': 'gold', note: 'a b,c' });

    // a job continued from the carrier has the same baggage
    const inJob = await runWithTraceContext(body.carrier, 'job', () => getBaggage().toObject());
    assert.deepEqual(inJob, body.after);

    await flushSpans();
    const spans = getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    const inner = spans.find((s) => s.name === 'inner')!;
    // the server span has what the request brought; spans started after setBaggage have that too
    assert.equal(server.attributes['tenant.id'], 'acme');
    assert.equal(server.attributes['user.tier'], undefined);
    for (const span of [client, inner]) {
      assert.equal(span.attributes['tenant.id'], 'acme');
      assert.equal(span.attributes['user.tier'], 'gold');
    }
    for (const span of spans) assert.equal(span.attributes['secret'], undefined, 'keys not listed are never copied');
  });
}

test('with nothing listed, no baggage reaches any span', async (t) => {
  resetFinishedSpans();
  const sink = await startSink();
  const app = await startApp(BaggageModule.with(sink.origin, {}));
  t.after(() => app.close());
  await request(app.origin, '/forward', { headers: { traceparent: TRACEPARENT, baggage: 'tenant.id=acme' } });
  await flushSpans();
  for (const span of getFinishedSpans()) assert.equal(span.attributes['tenant.id'], undefined);
});

test('jaeger format: uberctx-* headers are the same entries, read and written', async (t) => {
  const sink = await startSink();
  const app = await startApp(BaggageModule.with(sink.origin, { format: 'jaeger' }));
  t.after(() => app.close());
  const reply = await request(app.origin, '/forward', {
    headers: { 'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1', 'uberctx-tenant': 'acme%20corp' },
  });
  assert.deepEqual(reply.json().after, { tenant: 'acme corp', 'user.tier': 'gold', note: 'a b,c' });
  const out = sink.received[0]!.headers;
  assert.equal(out['uberctx-tenant'], 'acme%20corp');
  assert.equal(out['uberctx-user.tier'], 'gold');
  assert.equal(out.baggage, undefined, 'W3C baggage is not listed with format: jaeger');
});

test('format: w3c alone propagates no baggage; baggage in the format list turns it on', async (t) => {
  const sink = await startSink();
  const app = await startApp(BaggageModule.with(sink.origin, { format: 'w3c' }));
  t.after(() => app.close());
  await request(app.origin, '/forward', { headers: { baggage: 'tenant.id=acme' } });
  assert.equal(sink.received[0]!.headers.baggage, undefined);
  assert.notEqual(resolveOptions({ tracing: { propagation: { extract: ['w3c', 'baggage'], inject: ['w3c', 'baggage'] } } }, {}).tracing!.propagator.extractBaggage, undefined);
});

test('OTEL_PROPAGATORS=baggage activates it (and the default tracecontext,baggage has it)', () => {
  assert.notEqual(resolveOptions({}, { OTEL_PROPAGATORS: 'baggage' }).tracing!.propagator.extractBaggage, undefined);
  assert.notEqual(resolveOptions({}, {}).tracing!.propagator.extractBaggage, undefined);
  assert.equal(resolveOptions({}, { OTEL_PROPAGATORS: 'tracecontext' }).tracing!.propagator.extractBaggage, undefined);
});

test('bad baggage options fail at startup naming the option path', () => {
  assert.throws(() => resolveOptions({ tracing: { baggage: { toSpanAttributes: ['tenant.id', 'bad key'] } } }, {}), /tracing\.baggage\.toSpanAttributes\[1\]: got "bad key"/);
  assert.throws(() => resolveOptions({ tracing: { baggage: { toSpanAttributes: 'tenant.id' as never } } }, {}), /tracing\.baggage\.toSpanAttributes: got "tenant.id", expected an array/);
  assert.throws(() => resolveOptions({ tracing: { baggage: { copy: [] } as never } }, {}), /tracing\.baggage\.copy: .*no such option/);
  assert.deepEqual(resolveBaggageKeys(['a', 'a'], 'p'), ['a']);
});

test('setBaggage outside a context throws ERR_CONTEXT_NOT_ACTIVE; a key that is not a token, ERR_INVALID_ARGUMENT', async () => {
  assert.throws(() => setBaggage('k', 'v'), { code: 'ERR_CONTEXT_NOT_ACTIVE' });
  await runWithTraceContext({}, 'job', () => assert.throws(() => setBaggage('bad key', 'v'), { code: 'ERR_INVALID_ARGUMENT' }));
});
