// The module in a @nestjs/testing app (providers are built before the adapter exists, routes
// before onModuleInit): context, request ids and server spans still work, on both platforms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Controller, Get } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { RequestContextModule, RequestContextService, SpanKind } from '../../nest/index.js';
import { resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request } from './helpers.js';

@Controller('items')
class ItemsController {
  @Get(':id')
  get(): { id: string | undefined; traceId: string | undefined } {
    return { id: RequestContextService.getRequestId(), traceId: RequestContextService.getTraceContext()?.traceId };
  }
}

for (const platform of ['fastify', 'express'] as const) {
  test(`Test.createTestingModule(...).createNestApplication(new ${platform === 'fastify' ? 'FastifyAdapter' : 'ExpressAdapter'}()): context, ids and server spans`, async (t) => {
    resetFinishedSpans();
    const moduleRef = await Test.createTestingModule({
      imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }] } })],
      controllers: [ItemsController],
    }).compile();
    const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter as never, { logger: false });
    await app.listen(0, '127.0.0.1');
    t.after(() => app.close());
    const origin = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
    const r = await request(origin, '/items/1', { headers: { 'x-request-id': 't-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    assert.deepEqual(r.json(), { id: 't-1', traceId });
    assert.equal(r.headers['x-request-id'], 't-1');
    const missing = await request(origin, '/nope', { headers: { 'x-request-id': 't-2' } });
    assert.equal(missing.headers['x-request-id'], 't-2');
    const spans = await waitForFinishedSpans(2);
    assert.deepEqual(spans.map((s) => [s.name, s.kind]).sort(), [['GET /items/:id', SpanKind.SERVER], ['GET', SpanKind.SERVER]]);
  });
}
