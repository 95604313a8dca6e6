// The standard OpenTelemetry environment variables fill what RequestContextModule's options
// leave out, end to end in a real Nest + Fastify app: sampler, service name, propagators,
// OTLP endpoint and protocol, batch delay. (node --test runs this file in its own process, so
// the variables set here reach no other test.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { RequestContextModule, type TracingOptions } from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans } from '../../nest/testing/index.js';
import { startSink } from '../helpers/sink.js';
import { request, startApp } from './helpers.js';

const OTEL_VARIABLES = [
  'OTEL_SDK_DISABLED', 'OTEL_SERVICE_NAME', 'OTEL_PROPAGATORS', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_BSP_SCHEDULE_DELAY',
];

function withEnv(t: { after(fn: () => void): void }, values: Record<string, string>): void {
  const saved = OTEL_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of OTEL_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  t.after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({})
class EnvModule {
  static with(tracing: TracingOptions): DynamicModule {
    return { module: EnvModule, imports: [RequestContextModule.forRoot({ tracing })], controllers: [PingController] };
  }
}

const SAMPLED_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('OTEL_TRACES_SAMPLER=always_off: a sampled caller is not sampled here, nothing is exported, ids still flow', async (t) => {
  withEnv(t, { OTEL_TRACES_SAMPLER: 'always_off' });
  resetFinishedSpans();
  const app = await startApp(EnvModule.with({ exporters: [{ type: 'memory' }], responseHeaders: { traceparent: true } }));
  t.after(() => app.close());
  const reply = await request(app.origin, '/ping', { headers: { traceparent: SAMPLED_PARENT } });
  assert.match(String(reply.headers['traceparent']), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
  await app.close();
  assert.deepEqual(getFinishedSpans(), []);
});

test('OTEL_PROPAGATORS=b3multi: the trace is read from X-B3 headers', async (t) => {
  withEnv(t, { OTEL_PROPAGATORS: 'b3multi' });
  const app = await startApp(EnvModule.with({ exporters: [], responseHeaders: { traceparent: true } }));
  t.after(() => app.close());
  const reply = await request(app.origin, '/ping', {
    headers: { 'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736', 'x-b3-spanid': '00f067aa0ba902b7', 'x-b3-sampled': '1', traceparent: '00-11111111111111111111111111111111-2222222222222222-01' },
  });
  assert.match(String(reply.headers['traceparent']), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
});

test('with no exporters option: OTLP/JSON to OTEL_EXPORTER_OTLP_ENDPOINT within OTEL_BSP_SCHEDULE_DELAY, service.name from OTEL_SERVICE_NAME', async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  withEnv(t, {
    OTEL_SERVICE_NAME: 'env-orders',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url(''),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  const app = await startApp(EnvModule.with({}));
  t.after(() => app.close());
  assert.equal((await request(app.origin, '/ping', { headers: { traceparent: SAMPLED_PARENT } })).status, 200);
  // The default delay is 5 s: an export inside 3 s, with the app still running, is the variable's.
  await sink.waitForRequests(1, 3000);
  const [received] = sink.requests;
  assert.equal(received!.path, '/v1/traces');
  assert.match(String(received!.headers['content-type']), /^application\/json/);
  const body = JSON.parse(received!.body.toString('utf8'));
  const resourceSpans = body.resourceSpans[0];
  const serviceName = resourceSpans.resource.attributes.find((a: { key: string }) => a.key === 'service.name');
  assert.deepEqual(serviceName.value, { stringValue: 'env-orders' });
  const span = resourceSpans.scopeSpans[0].spans[0];
  assert.equal(span.name, 'GET /ping');
  assert.equal(span.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(span.parentSpanId, '00f067aa0ba902b7');
});
