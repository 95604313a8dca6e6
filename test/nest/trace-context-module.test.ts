// TraceContextModule.forRootAsync (ConfigurableModuleBuilder gives it beside forRoot): the
// tracing-first entry takes its options, mode included, from an injected factory, and a bad
// mode from the factory still fails startup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ErrorCodes, RequestContextService, TraceContextModule } from '../../nest/index.js';
import { resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request, startApp } from './helpers.js';
import { readScrape, seriesKey } from './metrics/prometheus-samples.js';

@Controller()
class TraceController {
  @Get('trace')
  trace(): { traceId: string | undefined; id: string | undefined } {
    return { traceId: RequestContextService.getTraceContext()?.traceId, id: RequestContextService.getRequestId() };
  }
}

@Injectable()
class TracingConfig {
  readonly serviceName = 'async-orders';
  readonly mode = 'native' as const;
}

@Module({ providers: [TracingConfig], exports: [TracingConfig] })
class TracingConfigModule {}

function appWith(imported: unknown) {
  @Module({ imports: [imported as never], controllers: [TraceController] })
  class App {}
  return App;
}

test('TraceContextModule.forRootAsync: mode and tracing options from an injected factory', async (t) => {
  resetFinishedSpans();
  const app = await startApp(
    appWith(
      TraceContextModule.forRootAsync({
        imports: [TracingConfigModule],
        inject: [TracingConfig],
        useFactory: (config: TracingConfig) => ({
          mode: config.mode,
          serviceName: config.serviceName,
          exporters: [{ type: 'memory' }],
          requestId: { header: 'x-correlation-id' },
          metrics: true,
        }),
      }),
    ),
  );
  t.after(() => app.close());
  const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const r = await request(app.origin, '/trace', { headers: { traceparent: parent, 'x-correlation-id': 'corr-7' } });
  assert.deepEqual(r.json(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', id: 'corr-7' });
  const [server] = await waitForFinishedSpans(1);
  assert.equal(server!.name, 'GET /trace');
  assert.equal(server!.parentSpanId, '00f067aa0ba902b7');
  // serviceName reached the runtime: the RED series are labelled with it.
  const series = readScrape((await request(app.origin, '/metrics')).body);
  assert.equal(series.get(seriesKey('/trace', 'server', '2xx'))?.labels['service_name'], 'async-orders');
});

test("TraceContextModule.forRootAsync: mode 'otel' from the factory without an SDK fails startup with ERR_OTEL_NOT_REGISTERED", async () => {
  try {
    const app = await startApp(appWith(TraceContextModule.forRootAsync({ useFactory: () => ({ mode: 'otel' as const, exporters: [] }) })));
    await app.close();
  } catch (err) {
    assert.equal((err as { code?: string }).code, ErrorCodes.ERR_OTEL_NOT_REGISTERED);
    return;
  }
  assert.fail('the app started in mode otel without an SDK');
});
