// The @nestjs/microservices facts the trace propagation is built on (DESIGN.md, "Facts checked
// on this machine class"), each checked with real transports and no part of this library.
// When one of these fails after an upgrade, the propagation code in nest/microservices/ needs
// to change with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import {
  ClientProxy,
  ClientProxyFactory,
  Ctx,
  MessagePattern,
  NatsContext,
  RedisContext,
  Server,
  TcpContext,
  Transport,
  type ClientOptions,
  type MicroserviceOptions,
  type ReadPacket,
} from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { cleanupStack, freePort, startNats, startRedis } from '../../helpers/servers.js';

interface Echo {
  metadata: unknown;
  headerValue: string | null;
  hasGetMetadata: boolean;
}

@Controller()
class EchoController {
  @MessagePattern('facts.echo')
  echo(@Ctx() ctx: TcpContext | RedisContext | NatsContext): Echo {
    const withMetadata = ctx as { getMetadata?: () => unknown };
    const headers = ctx instanceof NatsContext ? (ctx.getHeaders() as { get(k: string): string } | undefined) : undefined;
    return {
      metadata: typeof withMetadata.getMetadata === 'function' ? withMetadata.getMetadata() ?? null : null,
      headerValue: headers === undefined ? null : headers.get('x-fact') || null,
      hasGetMetadata: typeof withMetadata.getMetadata === 'function',
    };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

async function startPair(
  defer: (fn: () => unknown) => void,
  server: MicroserviceOptions,
  client: ClientOptions,
): Promise<{ service: INestMicroservice; client: ClientProxy }> {
  const service = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, { ...server, logger: false });
  defer(() => service.close());
  await service.listen();
  const proxy = ClientProxyFactory.create(client);
  defer(() => proxy.close());
  return { service, client: proxy };
}

test('ClientProxy#setOnDispatchHook sees every packet and its packet.metadata reaches TcpContext#getMetadata()', async (t) => {
  const port = await freePort();
  const options = { host: '127.0.0.1', port };
  const { client } = await startPair(cleanupStack(t), { transport: Transport.TCP, options }, { transport: Transport.TCP, options });
  const packets: ReadPacket[] = [];
  client.setOnDispatchHook((packet) => {
    packets.push(packet);
    packet.metadata = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  });
  const echo = await firstValueFrom(client.send<Echo>('facts.echo', { n: 1 }));
  assert.equal(packets.length, 1);
  assert.equal(packets[0]!.pattern, 'facts.echo');
  assert.deepEqual(echo.metadata, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
});

test('Server#setOnProcessingStartHook wraps the handler (the handler runs inside done) and the end hook runs after the reply', async (t) => {
  const port = await freePort();
  const options = { host: '127.0.0.1', port };
  const service = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    transport: Transport.TCP,
    options,
    logger: false,
  });
  const server = service.getTransportServer() as Server;
  assert.equal(typeof server.setOnProcessingStartHook, 'function');
  const order: string[] = [];
  server.setOnProcessingStartHook((transportId, ctx, done) => {
    order.push(`start ${String(transportId)} ${(ctx as TcpContext).getPattern()}`);
    return done().then(() => {
      order.push('done settled');
    });
  });
  server.setOnProcessingEndHook(() => order.push('end'));
  await service.listen();
  t.after(() => service.close());
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options });
  t.after(() => client.close());
  await firstValueFrom(client.send('facts.echo', {}));
  assert.equal(order[0], `start ${String(Transport.TCP)} facts.echo`);
  assert.ok(order.includes('end'), `end hook ran: ${order.join(', ')}`);
});

test('ModulesContainer#getRpcTargetRegistry() replays every microservice server created with the app container', async (t) => {
  const port = await freePort();
  const service = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
    logger: false,
  });
  t.after(() => service.close());
  const seen: unknown[] = [];
  const subscription = service.get(ModulesContainer).getRpcTargetRegistry().subscribe((target) => seen.push(target));
  subscription.unsubscribe();
  assert.equal(seen.length, 1);
  assert.ok(seen[0] instanceof Server);
  assert.equal(seen[0], service.getTransportServer());
});

test('Redis: packet.metadata set in the dispatch hook reaches RedisContext#getMetadata()', async (t) => {
  const defer = cleanupStack(t);
  const redis = await startRedis();
  defer(() => redis.stop());
  const options = { host: '127.0.0.1', port: redis.port };
  const { client } = await startPair(defer, { transport: Transport.REDIS, options }, { transport: Transport.REDIS, options });
  client.setOnDispatchHook((packet) => {
    packet.metadata = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  });
  const echo = await firstValueFrom(client.send<Echo>('facts.echo', { n: 1 }));
  assert.equal(echo.hasGetMetadata, true);
  assert.deepEqual(echo.metadata, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
});

test('NATS: NatsContext has no getMetadata(); headers set as packet.headers in the dispatch hook reach NatsContext#getHeaders()', async (t) => {
  const defer = cleanupStack(t);
  const nats = await startNats();
  defer(() => nats.stop());
  // Nest 12's NATS transport loads @nats-io/transport-node (v3), not the old `nats` package.
  const natsPackage = createRequire(import.meta.url)('@nats-io/transport-node') as { headers(): { set(k: string, v: string): void } };
  const options = { servers: [nats.url] };
  const { client } = await startPair(defer, { transport: Transport.NATS, options }, { transport: Transport.NATS, options });
  client.setOnDispatchHook((packet) => {
    packet.metadata = { 'x-fact': 'in-metadata' };
    const headers = natsPackage.headers();
    headers.set('x-fact', 'in-headers');
    (packet as ReadPacket & { headers?: unknown }).headers = headers;
  });
  const echo = await firstValueFrom(client.send<Echo>('facts.echo', { n: 1 }));
  assert.equal(echo.hasGetMetadata, false);
  assert.equal(echo.headerValue, 'in-headers');
});

test('@EventPattern marks its method with microservices:handler_type 2 and @UseInterceptors writes __interceptors__ (the keys the event-error interceptor is added under)', async () => {
  const { EventPattern: Event, MessagePattern: Message } = await import('@nestjs/microservices');
  const { UseInterceptors } = await import('@nestjs/common');
  const { EVENT_HANDLER, INTERCEPTORS_METADATA, PATTERN_HANDLER_METADATA } = await import('../../../nest/microservices/event-errors.js');
  const marker = { intercept: (_c: unknown, next: { handle(): unknown }) => next.handle() };
  class Probe {
    @Event('e')
    @UseInterceptors(marker as never)
    onEvent(_data: unknown): void {}

    @Message('m')
    onMessage(_data: unknown): void {}
  }
  const reflect = Reflect as unknown as { getMetadata(key: string, target: object): unknown };
  assert.equal(reflect.getMetadata(PATTERN_HANDLER_METADATA, Probe.prototype.onEvent), EVENT_HANDLER);
  assert.notEqual(reflect.getMetadata(PATTERN_HANDLER_METADATA, Probe.prototype.onMessage), EVENT_HANDLER);
  assert.deepEqual(reflect.getMetadata(INTERCEPTORS_METADATA, Probe.prototype.onEvent), [marker]);
});
