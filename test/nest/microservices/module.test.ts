// MicroservicesTracingModule: what it instruments on its own (ClientProxy providers, hybrid and
// standalone servers), what it leaves alone, and its startup errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  ClientsModule,
  MessagePattern,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
  type Server,
} from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { SpanKind, captureTraceContext, runWithTraceContext } from '../../../engine/index.js';
import { RequestContextModule } from '../../../nest/index.js';
import { resetFinishedSpans, waitForFinishedSpans } from '../../../nest/testing/index.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  MicroservicesTracingModule,
  isTracedClient,
  isTracedServer,
  traceClient,
  traceServer,
} from '../../../nest/microservices/index.js';
import { cleanupStack, freePort } from '../../helpers/servers.js';
import { INCOMING } from './fixtures.js';

test('every ClientProxy provider (register and registerAsync) and every hybrid server is instrumented', async (t) => {
  const port = await freePort();
  const options = { host: '127.0.0.1', port };

  @Module({
    imports: [
      MicroservicesTracingModule.forRoot(),
      ClientsModule.register([{ name: 'SYNC', transport: Transport.TCP, options }]),
      ClientsModule.registerAsync([{ name: 'ASYNC', useFactory: async () => ({ transport: Transport.TCP, options }) }]),
    ],
  })
  class AppModule {}

  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
  t.after(() => app.close());
  const hybrid = app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options });
  await app.init();
  assert.equal(isTracedClient(app.get<ClientProxy>('SYNC')), true);
  assert.equal(isTracedClient(app.get<ClientProxy>('ASYNC')), true);
  assert.equal(isTracedServer(hybrid.getTransportServer()), true, 'connected after the module started');
});

test('forRoot({ clients: false, servers: false }) instruments nothing', async (t) => {
  const port = await freePort();
  const options = { host: '127.0.0.1', port };

  @Module({
    imports: [
      MicroservicesTracingModule.forRoot({ clients: false, servers: false }),
      ClientsModule.register([{ name: 'SYNC', transport: Transport.TCP, options }]),
    ],
  })
  class AppModule {}

  const service = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, { transport: Transport.TCP, options, logger: false });
  t.after(() => service.close());
  await service.init();
  assert.equal(isTracedClient(service.get<ClientProxy>('SYNC')), false);
  assert.equal(isTracedServer(service.getTransportServer()), false);
});

test('bad module options fail at startup naming the option', () => {
  assert.throws(() => MicroservicesTracingModule.forRoot({ clients: 'yes' as never }), {
    code: 'ERR_INVALID_OPTION',
    message: /MicroservicesTracingModule\.clients: got "yes", expected a boolean/,
  });
  assert.throws(() => MicroservicesTracingModule.forRoot(42 as never), { code: 'ERR_INVALID_OPTION' });
});

test('traceClient / traceServer are idempotent and reject what is not a client or server', () => {
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { port: 1 } });
  assert.equal(traceClient(client), client);
  const send = client.send;
  traceClient(client);
  assert.equal(client.send, send, 'not wrapped twice');
  assert.throws(() => traceClient({} as never), { code: 'ERR_INVALID_ARGUMENT', message: /client/ });
  assert.throws(() => traceServer({} as Server), { code: 'ERR_INVALID_ARGUMENT', message: /server/ });
});

test('the package entry nestjs-trace-context/microservices resolves to the same module', async () => {
  const entry = (await import('nestjs-trace-context/microservices' as string)) as { traceClient: unknown };
  assert.equal(entry.traceClient, traceClient);
});

@Controller()
class PingController {
  @MessagePattern('ping')
  ping(): string | undefined {
    return captureTraceContext().traceparent;
  }
}

test('a pure microservice app (no HTTP) with RequestContextModule traces its messages with its own runtime', async (t) => {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const port = await freePort();
  const options = { host: '127.0.0.1', port };

  @Module({
    imports: [
      RequestContextModule.forRoot({ tracing: { enabled: true, exporters: [{ type: 'memory' }] } }),
      MicroservicesTracingModule.forRoot(),
    ],
    controllers: [PingController],
  })
  class PingModule {}

  const service = await NestFactory.createMicroservice<MicroserviceOptions>(PingModule, { transport: Transport.TCP, options, logger: false });
  defer(() => service.close());
  await service.listen();
  const client = traceClient(ClientProxyFactory.create({ transport: Transport.TCP, options }));
  defer(() => client.close());
  const traceparent = await runWithTraceContext({ traceparent: INCOMING }, 'caller', () => firstValueFrom(client.send<string>('ping', {})));
  const [server] = await waitForFinishedSpans(1, { filter: (s) => s.name === 'process ping' });
  const [send] = await waitForFinishedSpans(1, { filter: (s) => s.name === 'send ping' });
  assert.equal(server!.kind, SpanKind.SERVER);
  assert.equal(server!.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(server!.parentSpanId, send!.spanId);
  assert.equal(traceparent, `00-${server!.traceId}-${server!.spanId}-01`);
});

test('span names and attributes of outgoing messages are built once per pattern, up to a cap', async () => {
  const { ClientMessages } = await import('../../../nest/microservices/message-attributes.js');
  const messages = new ClientMessages('tcp');
  const first = messages.of('order.create', 'send');
  assert.equal(messages.of('order.create', 'send'), first);
  assert.equal(first.name, 'send order.create');
  assert.equal(messages.of('order.create', 'publish').name, 'publish order.create');
  assert.equal(messages.of({ cmd: 'sum' }, 'send').name, 'send {"cmd":"sum"}');
  for (let i = 0; i < ClientMessages.MAX_CACHED_PATTERNS + 10; i++) messages.of(`user.${i}`, 'send');
  const past = messages.of('user.99999', 'send');
  assert.notEqual(messages.of('user.99999', 'send'), past, 'past the cap nothing more is kept');
  assert.equal(past.attributes['messaging.destination.name'], 'user.99999');
});

test('a frozen message context (custom transport) is still traced and its span ended', async (t) => {
  const { installRecordingTracing } = await import('../../engine/jobs/recording-tracing.js');
  const { configureTraceCarriers } = await import('../../../engine/index.js');
  const { ServerTCP, TcpContext } = await import('@nestjs/microservices');
  const tracing = installRecordingTracing();
  t.after(() => configureTraceCarriers(null));
  const server = traceServer(new ServerTCP({ host: '127.0.0.1', port: 0 }));
  const hooks = server as unknown as {
    onProcessingStartHook(id: unknown, ctx: unknown, done: () => Promise<unknown>): Promise<unknown>;
    onProcessingEndHook(id: unknown, ctx: unknown): void;
  };
  const ctx = Object.freeze(new TcpContext([null as never, 'order.create', { traceparent: INCOMING }]));
  let inside: string | undefined;
  await hooks.onProcessingStartHook(Transport.TCP, ctx, async () => {
    inside = captureTraceContext().traceparent;
  });
  hooks.onProcessingEndHook(Transport.TCP, ctx);
  await new Promise((resolve) => setImmediate(resolve));
  const span = tracing.one('process order.create');
  assert.equal(span.parentSpanId, 'b7ad6b7169203331');
  assert.equal(inside, `00-${span.traceId}-${span.spanId}-01`);
});
