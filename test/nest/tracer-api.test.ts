// The engine's tracer API re-exported by `nestjs-trace-context` (issue 4): the module-level
// functions, imported from the Nest entry, work inside a real Nest + Fastify request on the
// tracer the module made global, without injecting RequestContextService.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import * as engine from '../../engine/index.js';
import {
  RequestContextModule,
  SpanKind,
  SpanStatusCode,
  getActiveSpan,
  getTraceContext,
  runWithTrace,
  startActiveSpan,
  startSpan,
  withSpan,
} from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request, startApp } from './helpers.js';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${PARENT_TRACE}-00f067aa0ba902b7-01`;
const JOB_TRACE = '0af7651916cd43dd8448eb211c80319c';
const JOB_SPAN = 'b7ad6b7169203331';

// A plain function with no DI, as repository or library code would be.
async function priceOrder(): Promise<number> {
  return startActiveSpan('orders.price', async (span) => {
    span.setAttribute('orders.items', 3);
    const db = startSpan('db.query', { kind: SpanKind.CLIENT });
    withSpan(db, () => assert.equal(getActiveSpan(), db));
    db.end();
    return 7.75;
  });
}

@Controller('orders')
class OrdersController {
  @Get('price')
  async price(): Promise<{ traceId: string | undefined; total: number }> {
    return { traceId: getTraceContext()?.traceId, total: await priceOrder() };
  }

  @Get('fail')
  async fail(): Promise<string> {
    try {
      await startActiveSpan('orders.fail', async () => {
        throw new Error('card declined');
      });
    } catch {
      return 'handled';
    }
    return 'unreachable';
  }

  @Get('job')
  job(): { traceId: string | undefined } {
    return runWithTrace({ traceId: JOB_TRACE, spanId: JOB_SPAN }, () => {
      startSpan('job.step').end();
      return { traceId: getTraceContext()?.traceId };
    });
  }
}

function appModule(): DynamicModule {
  @Module({})
  class App {}
  return {
    module: App,
    imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }], serviceName: 'orders' } })],
    controllers: [OrdersController],
  };
}

async function start(t: { after(fn: () => unknown): void }) {
  resetFinishedSpans();
  const app = await startApp(appModule());
  t.after(() => app.close());
  return app;
}

test('the Nest entry re-exports the engine tracer functions themselves', () => {
  assert.equal(startSpan, engine.startSpan);
  assert.equal(startActiveSpan, engine.startActiveSpan);
  assert.equal(withSpan, engine.withSpan);
  assert.equal(runWithTrace, engine.runWithTrace);
  assert.equal(getTraceContext, engine.getTraceContext);
  assert.equal(getActiveSpan, engine.getActiveSpan);
});

test('startActiveSpan and startSpan from the Nest entry record children of the request server span', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/orders/price', { headers: { traceparent: TRACEPARENT } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), { traceId: PARENT_TRACE, total: 7.75 });
  await waitForFinishedSpans(3);
  const spans = getFinishedSpans();
  const server = spans.find((s) => s.kind === SpanKind.SERVER);
  const price = spans.find((s) => s.name === 'orders.price');
  const db = spans.find((s) => s.name === 'db.query');
  assert.ok(server && price && db, JSON.stringify(spans.map((s) => s.name)));
  assert.equal(price.traceId, PARENT_TRACE);
  assert.equal(price.parentSpanId, server.spanId);
  assert.equal(price.attributes['orders.items'], 3);
  assert.equal(db.parentSpanId, price.spanId);
  assert.equal(db.kind, SpanKind.CLIENT);
});

test('a rejection inside startActiveSpan from the Nest entry ends the span with an exception event and ERROR status', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/orders/fail');
  assert.equal(r.body, 'handled');
  await waitForFinishedSpans(2);
  const failed = getFinishedSpans().find((s) => s.name === 'orders.fail');
  assert.ok(failed);
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.ok(failed.events.some((e) => e.name === 'exception' && e.attributes['exception.message'] === 'card declined'));
});

test('runWithTrace from the Nest entry continues the given trace inside a request', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/orders/job');
  assert.equal(r.json().traceId, JOB_TRACE);
  await waitForFinishedSpans(2);
  const step = getFinishedSpans().find((s) => s.name === 'job.step');
  assert.ok(step);
  assert.equal(step.traceId, JOB_TRACE);
  assert.equal(step.parentSpanId, JOB_SPAN);
});
