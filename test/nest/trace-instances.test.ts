// traceInstances: NestFactory.create's `instrument` option gives every method call of matching
// providers and controllers an INTERNAL span `Class.method`, in a real Nest 12 + Fastify app
// over real HTTP, with no decorator on the classes.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Controller, Get, Injectable, Module, UseGuards, type CanActivate } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestContextModule, SpanKind, SpanStatusCode, traceInstances, type TraceInstancesOptions } from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request } from './helpers.js';

const SAMPLED = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const UNSAMPLED = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';

@Injectable()
class PriceRepository {
  price(id: string): number {
    return id.length * 10;
  }
}

@Injectable()
class OrdersService {
  constructor(private readonly prices: PriceRepository) {}

  async total(id: string): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.label(id).length + this.prices.price(id);
  }

  label(id: string): string {
    return `order ${id}`;
  }

  async fail(): Promise<never> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    throw new TypeError('no such order');
  }
}

let guardCalls = 0;
class CountingGuard implements CanActivate {
  canActivate(): boolean {
    guardCalls++;
    return true;
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get('total')
  @UseGuards(CountingGuard)
  async total(): Promise<{ total: number }> {
    return { total: await this.orders.total('42') };
  }

  @Get('fail')
  async fail(): Promise<string> {
    try {
      await this.orders.fail();
      return 'no error';
    } catch (err) {
      return (err as Error).message;
    }
  }
}

@Module({
  imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }] } })],
  controllers: [OrdersController],
  providers: [OrdersService, PriceRepository],
})
class AppModule {}

async function start(t: { after(fn: () => unknown): void }, options: TraceInstancesOptions) {
  resetFinishedSpans();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    logger: false,
    instrument: traceInstances(options),
  });
  await app.listen(0, '127.0.0.1');
  t.after(() => app.close());
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

test('each call of a matching provider or controller method is an INTERNAL span Class.method, nested as the calls are', async (t) => {
  const origin = await start(t, { include: ['Orders*'] });
  const before = guardCalls;
  const reply = await request(origin, '/orders/total', { headers: { traceparent: SAMPLED } });
  assert.deepEqual(reply.json(), { total: 28 });
  assert.equal(guardCalls, before + 1, 'the route keeps its guard (its metadata is on the wrapped handler)');
  const [server] = await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  const spans = getFinishedSpans();
  const byName = (name: string) => {
    const span = spans.find((s) => s.name === name);
    assert.ok(span, `a span ${name} among ${spans.map((s) => s.name).join(', ')}`);
    return span;
  };
  const handler = byName('OrdersController.total');
  const total = byName('OrdersService.total');
  const label = byName('OrdersService.label');
  assert.equal(handler.kind, SpanKind.INTERNAL);
  assert.equal(handler.parentSpanId, server!.spanId);
  assert.equal(total.parentSpanId, handler.spanId);
  assert.equal(label.parentSpanId, total.spanId, 'a sync call inside an async one');
  assert.ok(total.endTime >= label.endTime, 'the async method\'s span ends when its promise settles, after the call it made after its await');
  assert.equal(spans.some((s) => s.name.startsWith('PriceRepository.')), false, 'classes not included get no span');
});

test('a method that rejects ends its span with status ERROR and an exception event', async (t) => {
  const origin = await start(t, { include: ['*Service'] });
  assert.equal((await request(origin, '/orders/fail', { headers: { traceparent: SAMPLED } })).body, 'no such order');
  await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  const span = getFinishedSpans().find((s) => s.name === 'OrdersService.fail');
  assert.ok(span);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.status.message, 'no such order');
  assert.equal(span.events[0]?.name, 'exception');
  assert.equal(span.events[0]?.attributes['exception.type'], 'TypeError');
});

test('exclude and predicates select instances; an unsampled request records no method span', async (t) => {
  const origin = await start(t, { include: (name) => name.endsWith('Service') || name.endsWith('Repository'), exclude: [/Repo/] });
  await request(origin, '/orders/total', { headers: { traceparent: UNSAMPLED } });
  await request(origin, '/orders/total', { headers: { traceparent: SAMPLED } });
  await waitForFinishedSpans(1, { filter: (s) => s.kind === SpanKind.SERVER });
  const names = getFinishedSpans().filter((s) => s.kind === SpanKind.INTERNAL).map((s) => s.name).sort();
  assert.deepEqual(names, ['OrdersService.label', 'OrdersService.total'], 'one sampled request, no repository');
});

test('bad options fail at once, naming the option', () => {
  assert.throws(() => traceInstances({} as never), { code: 'ERR_INVALID_OPTION', message: /traceInstances\.include/ });
  assert.throws(() => traceInstances({ include: [''] }), { code: 'ERR_INVALID_OPTION', message: /traceInstances\.include\[0\]/ });
  assert.throws(() => traceInstances({ include: ['A'], exclude: 'B' } as never), { code: 'ERR_INVALID_OPTION', message: /traceInstances\.exclude/ });
  assert.throws(() => traceInstances({ include: ['A'], only: [] } as never), { code: 'ERR_INVALID_OPTION', message: /traceInstances\.only/ });
});
