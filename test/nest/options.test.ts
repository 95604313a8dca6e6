// Options are validated once at startup: a bad one fails NestFactory.create with an error that
// names the option, the value and what is allowed. Also forRootAsync, global registration,
// TraceContextModule modes, and the environment fallbacks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ErrorCodes, RequestContextModule, RequestContextService, TraceContextModule } from '../../nest/index.js';
import { resolveOptions } from '../../nest/options/resolve-options.js';
import { request, startApp } from './helpers.js';

@Controller()
class IdController {
  @Get('id')
  id(): { id: string | undefined } {
    return { id: RequestContextService.getRequestId() };
  }
}

function appWith(imported: unknown) {
  @Module({ imports: [imported as never], controllers: [IdController] })
  class App {}
  return App;
}

async function startFails(imported: unknown): Promise<Error & { code?: string }> {
  try {
    const app = await startApp(appWith(imported));
    await app.close();
  } catch (err) {
    return err as Error & { code?: string };
  }
  assert.fail('the app started with a bad option');
}

const BAD: Array<[string, Record<string, unknown>, RegExp]> = [
  ['requestId.header', { requestId: { header: 'bad header' } }, /requestId\.header.*"bad header".*header name/],
  ['requestId.generator', { requestId: { generator: 'uuid' } }, /requestId\.generator.*"uuid".*"counter", "random" or a function/],
  ['requestId.echo', { requestId: { echo: 'yes' } }, /requestId\.echo.*"yes".*true or false/],
  ['unknown option', { tracng: {} }, /options\.tracng.*no such option/],
  ['tracing.format', { tracing: { format: 'w4c' } }, /tracing\.format.*"w4c"/],
  ['tracing.propagation.extract', { tracing: { propagation: { extract: ['b3', 'nope'] } } }, /tracing\.propagation\.extract\[1\].*"nope"/],
  ['tracing.headers.traceId', { tracing: { format: 'w3c', headers: { traceId: 'x-trace' } } }, /tracing\.headers\.traceId.*"x-trace".*"traceparent".*custom/],
  ['tracing.responseHeaders.traceparent', { tracing: { responseHeaders: { traceparent: 1 } } }, /tracing\.responseHeaders\.traceparent.*1.*true or false/],
  ['tracing.ignoreRoutes[0]', { tracing: { ignoreRoutes: ['health'] } }, /tracing\.ignoreRoutes\[0\].*"health".*starting with "\/"/],
  ['tracing.sampler', { tracing: { sampler: { type: 'sometimes' }, exporters: [] } }, /sampler.*"sometimes"/],
  ['echo vs responseHeaders.requestId', { requestId: { echo: true }, tracing: { responseHeaders: { requestId: false } } }, /tracing\.responseHeaders\.requestId.*requestId\.echo/],
  ['onRequestEnd', { onRequestEnd: 'metrics' }, /onRequestEnd.*a function/],
];

for (const [name, options, message] of BAD) {
  test(`a bad option fails NestFactory.create with ERR_INVALID_OPTION naming it: ${name}`, async () => {
    const err = await startFails(RequestContextModule.forRoot(options as never));
    assert.ok(err instanceof TypeError, `expected a TypeError, got ${String(err)}`);
    assert.equal(err.code, ErrorCodes.ERR_INVALID_OPTION);
    assert.match(err.message, message);
  });
}

// Exact paths: the sampler, exporters, batch and resource are built by the engine, which names
// them from its own top level unless told where the user wrote them.
const PATHS: Array<[string, unknown, string, RegExp]> = [
  ['a misspelt OTLP exporter key', RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'otlp', endpont: 'http://127.0.0.1:4318/v1/traces' } as never] } }),
    'tracing.exporters[0].endpont', /no such option; tracing\.exporters\[0\] takes type, protocol, endpoint, headers, compression, timeoutMs\.$/],
  ['a misspelt Zipkin exporter key', RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }, { type: 'zipkin', timeout: 5 } as never] } }),
    'tracing.exporters[1].timeout', /takes type, endpoint, headers, timeoutMs\.$/],
  ['a misspelt memory exporter key', RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory', stor: 1 } as never] } }), 'tracing.exporters[0].stor', /takes type, store, maxSpans\.$/],
  ['an unknown exporter type', RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'jaeger' } as never] } }), 'tracing.exporters[0].type', /'otlp' \| 'zipkin'/],
  ['a bad exporter endpoint', RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'otlp', endpoint: 'collector:4318' }] } }), 'tracing.exporters[0].endpoint', /http:\/\/ or https:\/\/ URL/],
  ['a sampler ratio out of range', RequestContextModule.forRoot({ tracing: { sampler: { type: 'traceidratio', ratio: 2 }, exporters: [] } }), 'tracing.sampler.ratio', /from 0 to 1/],
  ['a sampler type', RequestContextModule.forRoot({ tracing: { sampler: { type: 'sometimes' } as never, exporters: [] } }), 'tracing.sampler.type', /"always_on"/],
  ['a misspelt batch key', RequestContextModule.forRoot({ tracing: { batch: { maxQueue: 5 } as never, exporters: [] } }), 'tracing.batch.maxQueue', /takes maxQueueSize/],
  ['a bad resource attribute', RequestContextModule.forRoot({ tracing: { resource: { region: { eu: 1 } } as never, exporters: [] } }), 'tracing.resource.region', /a string, finite number, boolean/],
  // TraceContextModule takes the tracing options at top level: errors name them as written there.
  ['RequestContextModule format', RequestContextModule.forRoot({ tracing: { format: 'x' as never } }), 'tracing.format', /one of "w3c"/],
  ['TraceContextModule format', TraceContextModule.forRoot({ format: 'x' as never }), 'format', /one of "w3c"/],
  ['TraceContextModule exporter key', TraceContextModule.forRoot({ exporters: [{ type: 'otlp', endpont: 'http://127.0.0.1:4318' } as never] }), 'exporters[0].endpont', /no such option; exporters\[0\] takes type/],
  ['TraceContextModule sampler ratio', TraceContextModule.forRoot({ sampler: { type: 'traceidratio', ratio: -1 }, exporters: [] }), 'sampler.ratio', /from 0 to 1/],
  ['TraceContextModule batch key', TraceContextModule.forRoot({ batch: { maxQueue: 5 } as never, exporters: [] }), 'batch.maxQueue', /takes maxQueueSize/],
  ['TraceContextModule propagation', TraceContextModule.forRoot({ propagation: { extract: ['w3c', 'nope' as never] } }), 'propagation.extract[1]', /one of/],
  ['TraceContextModule responseHeaders', TraceContextModule.forRoot({ responseHeaders: { traceparent: 'yes' } as never }), 'responseHeaders.traceparent', /true or false/],
  ['TraceContextModule unknown key', TraceContextModule.forRoot({ fromat: 'w3c' } as never), 'options.fromat', /no such option; options takes enabled, .*, mode, requestId, onRequestEnd, metrics\.$/],
];

for (const [name, imported, path, allowed] of PATHS) {
  test(`NestFactory.create fails with ERR_INVALID_OPTION naming the exact path as written: ${name} -> ${path}`, async () => {
    const err = await startFails(imported);
    assert.equal(err.code, ErrorCodes.ERR_INVALID_OPTION, String(err));
    assert.ok(err.message.startsWith(`Invalid option ${path}: got `), err.message);
    assert.match(err.message, allowed);
  });
}

test('forRootAsync: options from a factory with injected dependencies', async (t) => {
  @Injectable()
  class Config {
    header = 'x-correlation-id';
  }
  @Module({ providers: [Config], exports: [Config] })
  class ConfigModule {}
  const app = await startApp(
    appWith(
      RequestContextModule.forRootAsync({
        imports: [ConfigModule],
        inject: [Config],
        useFactory: (config: Config) => ({ requestId: { header: config.header }, tracing: false }),
      }),
    ),
  );
  t.after(() => app.close());
  const r = await request(app.origin, '/id', { headers: { 'x-correlation-id': 'abc-1' } });
  assert.deepEqual(r.json(), { id: 'abc-1' });
  assert.equal(r.headers['x-correlation-id'], 'abc-1');
  assert.equal(r.headers['x-request-id'], undefined);
});

test('forRootAsync: a bad option from the factory still fails startup', async () => {
  const err = await startFails(RequestContextModule.forRootAsync({ useFactory: () => ({ requestId: { echo: 3 } }) as never }));
  assert.equal(err.code, ErrorCodes.ERR_INVALID_OPTION);
  assert.match(err.message, /requestId\.echo/);
});

test('the module is global by default: RequestContextService injects in a module that does not import it', async (t) => {
  @Injectable()
  class Uses {
    constructor(readonly ctx: RequestContextService) {}
  }
  @Controller()
  class UsesController {
    constructor(private readonly uses: Uses) {}
    @Get('uses')
    get(): { id: string | undefined } {
      return { id: this.uses.ctx.getRequestId() };
    }
  }
  @Module({ providers: [Uses], controllers: [UsesController] })
  class Feature {}
  @Module({ imports: [RequestContextModule.forRoot({ tracing: false }), Feature] })
  class App {}
  const app = await startApp(App);
  t.after(() => app.close());
  const r = await request(app.origin, '/uses', { headers: { 'x-request-id': 'g-1' } });
  assert.deepEqual(r.json(), { id: 'g-1' });
});

test('requestId options: custom header, random generator, echo off', async (t) => {
  const app = await startApp(appWith(RequestContextModule.forRoot({ requestId: { header: 'X-Req', generator: 'random', echo: false }, tracing: false })));
  t.after(() => app.close());
  const r = await request(app.origin, '/id');
  assert.match(r.json().id, /^[0-9a-f]{16}$/);
  assert.equal(r.headers['x-req'], undefined);
  const kept = await request(app.origin, '/id', { headers: { 'x-req': 'mine' } });
  assert.equal(kept.json().id, 'mine');
});

test('a function generator makes the ids', async (t) => {
  let n = 0;
  const app = await startApp(appWith(RequestContextModule.forRoot({ requestId: { generator: () => `gen-${++n}` }, tracing: false })));
  t.after(() => app.close());
  assert.equal((await request(app.origin, '/id')).json().id, 'gen-1');
  assert.equal((await request(app.origin, '/id')).headers['x-request-id'], 'gen-2');
});

test("TraceContextModule mode 'otel' without a registered OpenTelemetry SDK fails at startup with ERR_OTEL_NOT_REGISTERED", async () => {
  const otel = await startFails(TraceContextModule.forRoot({ mode: 'otel', exporters: [] }));
  assert.equal(otel.code, ErrorCodes.ERR_OTEL_NOT_REGISTERED);
  assert.match(otel.message, /mode "otel" needs a registered OpenTelemetry SDK.*no OpenTelemetry tracer provider is registered/);
  const err = await startFails(TraceContextModule.forRoot({ mode: 'fast' as never }));
  assert.equal(err.code, ErrorCodes.ERR_INVALID_OPTION);
  assert.match(err.message, /mode.*"fast".*"native", "auto" or "otel"/);
});

test("TraceContextModule mode 'native' starts and gives request ids", async (t) => {
  const app = await startApp(appWith(TraceContextModule.forRoot({ mode: 'native', exporters: [] })));
  t.after(() => app.close());
  const r = await request(app.origin, '/id', { headers: { 'x-request-id': 'n-1' } });
  assert.deepEqual(r.json(), { id: 'n-1' });
});

test('environment: OTEL_SDK_DISABLED turns tracing off unless enabled is set; OTEL_SERVICE_NAME and OTEL_PROPAGATORS fill gaps', () => {
  assert.equal(resolveOptions({}, { OTEL_SDK_DISABLED: 'true' }).tracing, null);
  assert.notEqual(resolveOptions({ tracing: { enabled: true } }, { OTEL_SDK_DISABLED: 'true' }).tracing, null);
  const env = { OTEL_SERVICE_NAME: 'orders', OTEL_PROPAGATORS: 'b3multi,tracecontext,baggage' };
  const fromEnv = resolveOptions({}, env).tracing!;
  assert.equal(fromEnv.serviceName, 'orders');
  assert.deepEqual(fromEnv.extract, ['b3multi', 'w3c', 'baggage']);
  const fromOptions = resolveOptions({ tracing: { serviceName: 'api', format: 'jaeger' } }, env).tracing!;
  assert.equal(fromOptions.serviceName, 'api');
  assert.deepEqual(fromOptions.extract, ['jaeger']);
  assert.deepEqual(resolveOptions({}, { OTEL_PROPAGATORS: 'none' }).tracing!.inject, []);
  assert.throws(() => resolveOptions({}, { OTEL_PROPAGATORS: 'xray' }), /OTEL_PROPAGATORS.*"xray"/);
});

test("the seed's shape `tracing: { enabled: true, format: 'w3c', headers: { traceId: 'traceparent', spanId: 'span-id' } }` is accepted as written", () => {
  const t = resolveOptions({ tracing: { enabled: true, format: 'w3c', headers: { traceId: 'traceparent', spanId: 'span-id' } } }, {}).tracing!;
  assert.deepEqual(t.extract, ['w3c']);
  assert.equal(t.spanIdResponseHeader, 'span-id');
});

test('resolved options are frozen', () => {
  const o = resolveOptions({ tracing: { ignoreRoutes: ['/health'] } }, {});
  assert.ok(Object.isFrozen(o));
  assert.ok(Object.isFrozen(o.tracing));
});

test('isGlobal: false scopes the module: a module that does not import it cannot inject the service', async () => {
  @Injectable()
  class Uses {
    constructor(readonly ctx: RequestContextService) {}
  }
  @Module({ providers: [Uses] })
  class Feature {}
  @Module({ imports: [RequestContextModule.forRoot({ isGlobal: false, tracing: false }), Feature] })
  class App {}
  await assert.rejects(startApp(App), /RequestContextService/);

  @Module({ imports: [RequestContextModule.forRoot({ isGlobal: false, tracing: false })], controllers: [IdController] })
  class Scoped {}
  const app = await startApp(Scoped);
  try {
    assert.deepEqual((await request(app.origin, '/id', { headers: { 'x-request-id': 's-1' } })).json(), { id: 's-1' });
  } finally {
    await app.close();
  }
});
