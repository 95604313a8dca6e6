// RequestContextModule turns the outbound HTTP instrumentation on at startup with the app's own
// tracer and propagator, honours tracing.outboundHttp, and turns it off at shutdown.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Inject, Module, type DynamicModule } from '@nestjs/common';
import { isOutboundHttpEnabled } from '../../engine/index.js';
import { RequestContextModule, type TracingOptions } from '../../nest/index.js';
import { startSink } from '../engine/instrumentation/helpers.js';
import { PLATFORMS, request, startApp } from './helpers.js';

const TARGET = Symbol('TARGET');

@Controller()
class CallController {
  constructor(@Inject(TARGET) private readonly target: string) {}

  @Get('call')
  async call(): Promise<string> {
    return (await fetch(this.target)).text();
  }
}

@Module({})
class CallModule {
  static with(target: string, tracing: TracingOptions): DynamicModule {
    return {
      module: CallModule,
      imports: [RequestContextModule.forRoot({ tracing: { exporters: [], ...tracing } })],
      controllers: [CallController],
      providers: [{ provide: TARGET, useValue: target }],
    };
  }
}

for (const platform of PLATFORMS) {
  test(`on ${platform}: by default, fetch inside a request carries the request's trace in the configured formats`, async (t) => {
    const sink = await startSink();
    const app = await startApp(CallModule.with(sink.origin + '/x', { propagation: { inject: ['w3c', 'b3multi'] } }), { platform });
    t.after(() => app.close());
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    assert.equal((await request(app.origin, '/call', { headers: { traceparent: incoming } })).status, 200);
    const got = sink.received[0]!;
    assert.match(String(got.headers.traceparent), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    assert.doesNotMatch(String(got.headers.traceparent), /00f067aa0ba902b7/);
    assert.equal(got.headers['x-b3-traceid'], '4bf92f3577b34da6a3ce929d0e0e4736');
  });
}


test('tracing.outboundHttp: false leaves outgoing calls untouched', async (t) => {
  const sink = await startSink();
  const app = await startApp(CallModule.with(sink.origin, { outboundHttp: false }));
  t.after(() => app.close());
  await request(app.origin, '/call', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
  assert.equal(sink.received[0]!.headers.traceparent, undefined);
});

test('tracing.outboundHttp.propagateTo limits which origins receive the headers', async (t) => {
  const sink = await startSink();
  const app = await startApp(CallModule.with(sink.origin, { outboundHttp: { propagateTo: ['https://api.example.com'] } }));
  t.after(() => app.close());
  await request(app.origin, '/call');
  assert.equal(sink.received[0]!.headers.traceparent, undefined);
});

test('closing the app turns the instrumentation off', async () => {
  const sink = await startSink();
  const app = await startApp(CallModule.with(sink.origin, {}));
  assert.equal(isOutboundHttpEnabled(), true);
  await app.close();
  assert.equal(isOutboundHttpEnabled(), false);
});

test('a bad tracing.outboundHttp fails startup with ERR_INVALID_OPTION naming the option as written', async () => {
  await assert.rejects(startApp(CallModule.with('http://127.0.0.1:1', { outboundHttp: { propagateTo: ['ftp://x'] } } as never)), {
    code: 'ERR_INVALID_OPTION',
    message: /^Invalid option tracing\.outboundHttp\.propagateTo\[0\]/,
  });
  await assert.rejects(startApp(CallModule.with('http://127.0.0.1:1', { outboundHttp: { sendTo: [] } } as never)), {
    code: 'ERR_INVALID_OPTION',
    message: /^Invalid option tracing\.outboundHttp\.sendTo/,
  });
});
