// A two-service setup for the microservice tests: a gateway (Nest + Fastify HTTP, with a
// ClientProxy provider) and an orders microservice, both with MicroservicesTracingModule. The
// gateway's RequestContextModule is the process's tracing runtime (memory exporter), so the
// microservice, sharing the process, exports into the same store.

import { Controller, Get, Inject, Module, Param, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientsModule,
  EventPattern,
  MessagePattern,
  Payload,
  RpcException,
  Transport,
  type ClientProxy,
  type ClientProviderOptions,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RequestContextModule } from '../../../nest/index.js';
import { MicroservicesTracingModule } from '../../../nest/microservices/index.js';
import assert from 'node:assert/strict';
import { SpanKind, captureTraceContext, context } from '../../../engine/index.js';
import { getFinishedSpans, waitForFinishedSpans, type FinishedSpan } from '../../../nest/testing/index.js';
import { request, startApp, type Platform, type StartedApp } from '../helpers.js';

/** What the orders handler saw of its context. */
export interface Seen {
  readonly traceparent: string | undefined;
  readonly requestId: string | undefined;
  readonly n: number;
  /** The `baggage` the handler's context would pass on. */
  readonly baggage: string | undefined;
}

export const ORDERS = 'ORDERS';

/** How the gateway wraps its data before sending (MQTT carries headers only in an MqttRecord). */
const WRAP = 'WRAP';
type Wrap = (data: { n: number }) => unknown;

function seen(n: number): Seen {
  const carrier = captureTraceContext();
  return { traceparent: carrier.traceparent, requestId: context.getRequestId(), n, baggage: carrier.baggage };
}

/** Events the orders service handled, in order. */
export const handledEvents: Seen[] = [];

@Controller()
class OrdersController {
  @MessagePattern('order.create')
  async create(@Payload() data: { n: number; delayMs?: number }): Promise<Seen> {
    if (data.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, data.delayMs));
    return seen(data.n);
  }

  @MessagePattern('order.fail')
  fail(): never {
    throw new RpcException('out of stock');
  }

  @EventPattern('order.created')
  created(@Payload() data: { n: number }): void {
    handledEvents.push(seen(data.n));
  }

  @EventPattern('order.audit')
  audit(@Payload() data: { n: number }): void {
    handledEvents.push(seen(data.n));
    throw new TypeError(`audit ${data.n} failed`);
  }

  @EventPattern('order.audit.async')
  async auditLater(@Payload() data: { n: number }): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    handledEvents.push(seen(data.n));
    throw new RpcException('audit store unavailable');
  }
}

@Module({ imports: [MicroservicesTracingModule.forRoot()], controllers: [OrdersController] })
class OrdersModule {}

@Controller('orders')
class GatewayController {
  constructor(
    @Inject(ORDERS) private readonly orders: ClientProxy,
    @Inject(WRAP) private readonly wrap: Wrap,
  ) {}

  @Get('create/:n')
  create(@Param('n') n: string): Promise<Seen> {
    return firstValueFrom(this.orders.send<Seen>('order.create', this.wrap({ n: Number(n) })));
  }

  @Get('fail')
  async fail(): Promise<{ error: unknown }> {
    try {
      await firstValueFrom(this.orders.send('order.fail', {}));
      return { error: null };
    } catch (error) {
      return { error };
    }
  }

  @Get('emit/:n')
  async emit(@Param('n') n: string): Promise<{ ok: true }> {
    await lastValueFrom(this.orders.emit('order.created', this.wrap({ n: Number(n) })), { defaultValue: undefined });
    return { ok: true };
  }

  @Get('emit/:pattern/:n')
  async emitTo(@Param('pattern') pattern: string, @Param('n') n: string): Promise<{ ok: true }> {
    await lastValueFrom(this.orders.emit(pattern, this.wrap({ n: Number(n) })), { defaultValue: undefined });
    return { ok: true };
  }
}

function gatewayModule(client: ClientProviderOptions, sampler: Record<string, unknown> | undefined, wrap: Wrap, more: Function[] = []): DynamicModule {
  return {
    module: class GatewayModule {},
    imports: [
      RequestContextModule.forRoot({
        tracing: { enabled: true, sampler, exporters: [{ type: 'memory' }], responseHeaders: { traceparent: true } },
      }),
      MicroservicesTracingModule.forRoot(),
      ClientsModule.register([client]),
    ],
    controllers: [GatewayController, ...(more as never[])],
    providers: [{ provide: WRAP, useValue: wrap }],
  };
}

export async function startOrders(options: MicroserviceOptions): Promise<INestMicroservice> {
  const service = await NestFactory.createMicroservice<MicroserviceOptions>(OrdersModule, { ...options, logger: false });
  await service.listen();
  return service;
}

/** The gateway app; its sampler defaults to the module's (parent-based always on), its data goes out as is unless `wrap` is given. */
export function startGateway(client: ClientProviderOptions, sampler?: Record<string, unknown>, wrap: Wrap = (data) => data): Promise<StartedApp> {
  return startApp(gatewayModule(client, sampler, wrap));
}

/**
 * A hybrid app: the gateway's HTTP routes and the orders handlers in one app on `platform`, the
 * handlers served by a TCP microservice connected to it (app.connectMicroservice).
 */
export function startHybridGateway(options: { host: string; port: number }, platform: Platform): Promise<StartedApp> {
  return startApp(gatewayModule({ name: ORDERS, transport: Transport.TCP, options }, undefined, (data) => data, [OrdersController]), {
    platform,
    configure: async (app) => {
      app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options });
      await app.startAllMicroservices();
    },
  });
}

/** The ids of a `traceparent` value. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string; flags: string } {
  if (value === undefined) throw new Error('no traceparent');
  const [, traceId, spanId, flags] = value.split('-');
  return { traceId: traceId!, spanId: spanId!, flags: flags! };
}

/** Exported spans named `name`. */
export function spansNamed(name: string): FinishedSpan[] {
  return getFinishedSpans().filter((s) => s.name === name);
}

/** Waits until `count` spans named `name` were exported and returns them. */
export function waitForSpans(name: string, count: number, timeoutMs = 60_000): Promise<FinishedSpan[]> {
  return waitForFinishedSpans(count, { timeoutMs, filter: (s) => s.name === name });
}

/** The one exported span named `name` (waits for it). */
export async function oneSpan(name: string): Promise<FinishedSpan> {
  const spans = await waitForSpans(name, 1);
  if (spans.length !== 1) throw new Error(`expected one span "${name}", found ${spans.length}`);
  return spans[0]!;
}

/** The caller of the gateway in every "one trace" test. */
export const INCOMING = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/**
 * GET /orders/create/:n on the gateway with INCOMING, then checks the one trace every transport
 * must produce: caller -> gateway server span -> `send` client span -> `process` server span,
 * with the handler running in the last one. Returns the three spans for further checks.
 */
export async function assertGatewayTrace(origin: string, system: string, n: number) {
  const reply = await request(origin, `/orders/create/${n}`, { headers: { traceparent: INCOMING } });
  assert.equal(reply.status, 200);
  const gatewayHeader = parseTraceparent(reply.headers.traceparent as string);
  assert.equal(gatewayHeader.traceId, '0af7651916cd43dd8448eb211c80319c', 'the gateway continued the caller');
  const gateway = await oneSpan('GET /orders/create/:n');
  assert.equal(gateway.spanId, gatewayHeader.spanId);
  assert.equal(gateway.parentSpanId, 'b7ad6b7169203331');
  const client = await oneSpan('send order.create');
  assert.equal(client.kind, SpanKind.CLIENT);
  assert.equal(client.traceId, gateway.traceId);
  assert.equal(client.parentSpanId, gateway.spanId, 'client span is the child of the gateway server span');
  assert.equal(client.attributes['messaging.system'], system);
  const server = await oneSpan('process order.create');
  assert.equal(server.kind, SpanKind.SERVER);
  assert.equal(server.traceId, gateway.traceId);
  assert.equal(server.parentSpanId, client.spanId, 'microservice span is the child of the client span');
  assert.equal(server.parentIsRemote, true);
  assert.equal(server.attributes['messaging.system'], system);
  const seen = reply.json<Seen>();
  assert.equal(seen.n, n);
  assert.equal(seen.traceparent, `00-${server.traceId}-${server.spanId}-01`, 'the handler runs with its span active');
  return { gateway, client, server, seen };
}

/**
 * GET /orders/emit/:n on the gateway with INCOMING, then checks the one trace an event makes:
 * gateway server span -> `publish` producer span -> `process` consumer span, the handler running
 * once, in the last one.
 */
export async function assertEmitTrace(origin: string, system: string, n: number): Promise<void> {
  handledEvents.length = 0;
  const reply = await request(origin, `/orders/emit/${n}`, { headers: { traceparent: INCOMING } });
  assert.equal(reply.status, 200);
  const gateway = await oneSpan('GET /orders/emit/:n');
  const producer = await oneSpan('publish order.created');
  const consumer = await oneSpan('process order.created');
  assert.equal(producer.kind, SpanKind.PRODUCER);
  assert.equal(producer.parentSpanId, gateway.spanId);
  assert.equal(producer.attributes['messaging.system'], system);
  assert.equal(consumer.kind, SpanKind.CONSUMER);
  assert.equal(consumer.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(consumer.parentSpanId, producer.spanId);
  assert.deepEqual(handledEvents.map((e) => e.n), [n]);
  assert.equal(handledEvents[0]!.traceparent, `00-${consumer.traceId}-${consumer.spanId}-01`, 'the handler runs in the consumer span');
}
