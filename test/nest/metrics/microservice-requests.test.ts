// Microservice request handlers (SERVER spans `process {pattern}`, no HTTP) are counted in RED
// metrics, sampled or not, with their error replies; HTTP requests of the same hybrid app are
// still counted once. A real TCP microservice connected to a Nest + Fastify app.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module } from '@nestjs/common';
import {
  ClientProxyFactory,
  EventPattern,
  MessagePattern,
  Payload,
  RpcException,
  Transport,
  type ClientProxy,
} from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RequestContextModule, getRedMetrics, renderPrometheusText, type RequestContextModuleOptions } from '../../../nest/index.js';
import { MicroservicesTracingModule } from '../../../nest/microservices/index.js';
import { freePort } from '../../helpers/servers.js';
import { delay, request, startApp, waitFor } from '../helpers.js';
import { readScrape, seriesKey } from './prometheus-samples.js';

@Controller()
class PriceController {
  @Get('health')
  health(): string {
    return 'ok';
  }

  @MessagePattern('price.get')
  async price(@Payload() data: { n: number }): Promise<number> {
    await delay(2);
    return data.n * 2;
  }

  @MessagePattern('price.fail')
  fail(): never {
    throw new RpcException('no price');
  }

  @EventPattern('price.changed')
  changed(@Payload() _data: unknown): void {}
}

async function start(t: { after(fn: () => unknown): void }, options: RequestContextModuleOptions) {
  @Module({ imports: [RequestContextModule.forRoot(options), MicroservicesTracingModule.forRoot()], controllers: [PriceController] })
  class App {}
  const port = await freePort();
  const transport = { host: '127.0.0.1', port };
  const app = await startApp(App, {
    configure: async (nest) => {
      nest.connectMicroservice({ transport: Transport.TCP, options: transport });
      await nest.startAllMicroservices();
    },
  });
  t.after(() => app.close());
  const client: ClientProxy = ClientProxyFactory.create({ transport: Transport.TCP, options: transport });
  t.after(() => client.close());
  return { app, client };
}

async function sendMix(client: ClientProxy): Promise<void> {
  for (let n = 1; n <= 5; n++) assert.equal(await firstValueFrom(client.send<number>('price.get', { n })), n * 2);
  for (let i = 0; i < 2; i++) await assert.rejects(firstValueFrom(client.send('price.fail', {})));
  await lastValueFrom(client.emit('price.changed', {}), { defaultValue: undefined });
}

test('microservice request handlers are counted at sampling 0 with their error replies; the hybrid app\'s HTTP requests once', async (t) => {
  const { app, client } = await start(t, { tracing: { sampler: { type: 'always_off' }, exporters: [] }, metrics: true });
  await sendMix(client);
  for (let i = 0; i < 3; i++) assert.equal((await request(app.origin, '/health')).status, 200);
  // A request's span ends just after its reply is written (the end hook defers to setImmediate).
  await waitFor(() => (readScrape(getRedMetricsText()).get(seriesKey('process price.fail', 'server', 'none'))?.requests ?? 0) === 2, undefined, 'the failed requests');

  const series = readScrape((await request(app.origin, '/metrics')).body);
  const ok = series.get(seriesKey('process price.get', 'server', 'none'));
  assert.equal(ok?.requests, 5);
  assert.equal(ok?.errors, 0);
  assert.ok(ok!.sum >= 5 * 2, 'each handler waited 2 ms');
  const failed = series.get(seriesKey('process price.fail', 'server', 'none'));
  assert.equal(failed?.requests, 2);
  assert.equal(failed?.errors, 2);
  assert.equal(series.get(seriesKey('process price.changed', 'consumer', 'none'))?.requests, 1, 'events: the span-end hook');
  assert.equal(series.get(seriesKey('/health', 'server', '2xx'))?.requests, 3, 'HTTP requests are counted once');
});

test('metrics.spans: false leaves microservice requests out, as CLIENT and CONSUMER spans', async (t) => {
  const { app, client } = await start(t, { tracing: { exporters: [] }, metrics: { spans: false } });
  await sendMix(client);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const series = readScrape((await request(app.origin, '/metrics')).body);
  assert.deepEqual([...series.keys()].filter((key) => key.startsWith('process ')), []);
});

function getRedMetricsText(): string {
  const red = getRedMetrics();
  assert.ok(red !== null, 'metrics are running');
  return renderPrometheusText(red);
}
