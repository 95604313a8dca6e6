// The server span of each request, read from the memory exporter: name, kind, parent, the
// stable HTTP semantic-convention attributes, status and exception events; sampling, ignored
// routes, and app.close() flushing. The same suite runs on Fastify and on Express.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, HttpException, Module, Param, Post, Query, VersioningType, type DynamicModule } from '@nestjs/common';
import { RequestContextModule, RequestContextService, SpanKind, SpanStatusCode, type RequestContextModuleOptions } from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans, type FinishedSpan } from '../../nest/testing/index.js';
import { PLATFORMS, delay, request, startApp, type StartOptions } from './helpers.js';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${PARENT_TRACE}-${PARENT_SPAN}-01`;

@Controller('orders')
class OrdersController {
  @Get(':id')
  async get(@Param('id') id: string, @Query('delay') wait?: string): Promise<{ id: string; traceId: string | undefined }> {
    await delay(Number(wait) || 1);
    return { id, traceId: RequestContextService.getTraceContext()?.traceId };
  }

  @Post()
  create(): { ok: true } {
    return { ok: true };
  }

  @Get(':id/teapot')
  teapot(): never {
    throw new HttpException('teapot', 418);
  }

  @Get(':id/slow')
  async slow(): Promise<string> {
    await delay(200);
    return 'late';
  }

  @Get(':id/boom')
  async boom(): Promise<never> {
    await delay(1);
    throw new Error('boom');
  }
}

@Controller('health')
class HealthController {
  @Get()
  ok(): { id: string | undefined } {
    return { id: RequestContextService.getRequestId() };
  }
}

function appModule(options: RequestContextModuleOptions): DynamicModule {
  @Module({})
  class App {}
  return { module: App, imports: [RequestContextModule.forRoot(options)], controllers: [OrdersController, HealthController] };
}

async function start(t: { after(fn: () => unknown): void }, tracing: Record<string, unknown> = {}, start: StartOptions = {}) {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }], serviceName: 'orders', ...tracing } }), start);
  t.after(() => app.close());
  return app;
}

function serverSpans(): FinishedSpan[] {
  return getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
}

for (const platform of PLATFORMS) {
  describe(`on ${platform}`, () => {
    test('a request with a traceparent gets a SERVER span that continues the trace, named "{METHOD} {route}"', async (t) => {
      const app = await start(t, { responseHeaders: { traceparent: true } }, { platform });
      const r = await request(app.origin, '/orders/42?x=1', { headers: { traceparent: TRACEPARENT, 'user-agent': 'probe/1.0' } });
      assert.equal(r.status, 200);
      assert.equal(r.json().traceId, PARENT_TRACE, 'the handler sees the continued trace');
      const [span] = await waitForFinishedSpans(1);
      assert.ok(span);
      assert.equal(span.name, 'GET /orders/:id');
      assert.equal(span.kind, SpanKind.SERVER);
      assert.equal(span.traceId, PARENT_TRACE);
      assert.equal(span.parentSpanId, PARENT_SPAN);
      assert.equal(span.parentIsRemote, true);
      assert.equal(span.status.code, SpanStatusCode.UNSET);
      assert.equal(r.headers['traceparent'], `00-${PARENT_TRACE}-${span.spanId}-01`);
      assert.deepEqual(
        { ...span.attributes },
        {
          'http.request.method': 'GET',
          'url.path': '/orders/42',
          'url.scheme': 'http',
          'http.route': '/orders/:id',
          'server.address': '127.0.0.1',
          'server.port': app.port,
          'client.address': '127.0.0.1',
          'user_agent.original': 'probe/1.0',
          'network.protocol.version': '1.1',
          'http.response.status_code': 200,
        },
      );
      assert.ok(span.endTime >= span.startTime + 1, 'the span covers the handler');
    });

    test('without a traceparent a new root trace starts; the handler and the response header agree on it', async (t) => {
      const app = await start(t, { responseHeaders: { traceparent: true } }, { platform });
      const r = await request(app.origin, '/orders/1');
      const [span] = await waitForFinishedSpans(1);
      assert.equal(span!.parentSpanId, undefined);
      assert.equal(r.json().traceId, span!.traceId);
      assert.equal(r.headers['traceparent'], `00-${span!.traceId}-${span!.spanId}-03`, 'sampled + random flags on a new root');
    });

    test('404 is named by the method only; 5xx is an error with the exception recorded; 4xx is not an error', async (t) => {
      const app = await start(t, {}, { platform });
      assert.equal((await request(app.origin, '/nope')).status, 404);
      assert.equal((await request(app.origin, '/orders/1/teapot')).status, 418);
      assert.equal((await request(app.origin, '/orders/1/boom')).status, 500);
      const spans = await waitForFinishedSpans(3);
      const byName = new Map(spans.map((s) => [s.name, s]));
      const notFound = byName.get('GET')!;
      assert.equal(notFound.attributes['http.response.status_code'], 404);
      assert.equal(notFound.attributes['http.route'], undefined);
      const teapot = byName.get('GET /orders/:id/teapot')!;
      assert.equal(teapot.status.code, SpanStatusCode.UNSET);
      assert.equal(teapot.attributes['http.response.status_code'], 418);
      assert.equal(teapot.events.length, 1, 'the HttpException is still recorded as an event');
      const boom = byName.get('GET /orders/:id/boom')!;
      assert.equal(boom.status.code, SpanStatusCode.ERROR);
      assert.equal(boom.attributes['error.type'], '500');
      assert.equal(boom.events.length, 1);
      assert.equal(boom.events[0]!.name, 'exception');
      assert.equal(boom.events[0]!.attributes['exception.message'], 'boom');
      assert.equal(boom.events[0]!.attributes['exception.type'], 'Error');
    });

    test('sampled-out requests export nothing but still propagate ids with the sampled flag off', async (t) => {
      const app = await start(t, { sampler: { type: 'always_off' }, responseHeaders: { traceparent: true } }, { platform });
      const r = await request(app.origin, '/orders/1', { headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-00` } });
      assert.equal(r.json().traceId, PARENT_TRACE);
      assert.match(r.headers['traceparent'] as string, new RegExp(`^00-${PARENT_TRACE}-[0-9a-f]{16}-00$`));
      await request(app.origin, '/orders/2');
      await delay(20);
      await app.app.get(RequestContextService); // app still alive
      await waitForFinishedSpans(0);
      assert.deepEqual(getFinishedSpans(), []);
    });

    test('parent-based sampling: an unsampled caller is not exported, a sampled one is', async (t) => {
      const app = await start(t, { sampler: { type: 'parentbased_always_on' } }, { platform });
      await request(app.origin, '/orders/1', { headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-00` } });
      await request(app.origin, '/orders/2', { headers: { traceparent: TRACEPARENT } });
      const spans = await waitForFinishedSpans(1);
      await delay(20);
      assert.equal(serverSpans().length, 1);
      assert.equal(spans[0]!.attributes['url.path'], '/orders/2');
    });

    test('ignoreRoutes: an ignored route gets a request id but no span', async (t) => {
      const app = await start(t, { ignoreRoutes: ['/health', /^\/orders\/:id\/boom$/] }, { platform });
      const h = await request(app.origin, '/health', { headers: { 'x-request-id': 'h-1' } });
      assert.deepEqual(h.json(), { id: 'h-1' });
      await request(app.origin, '/orders/1/boom');
      await request(app.origin, '/orders/1');
      const spans = await waitForFinishedSpans(1);
      await delay(20);
      assert.deepEqual(serverSpans().map((s) => s.name), ['GET /orders/:id']);
      assert.equal(spans.length, 1);
    });

    test('response headers: traceparent, server-timing and the seed\'s span-id header carry the server span', async (t) => {
      const app = await start(t, {
        enabled: true,
        format: 'w3c',
        headers: { traceId: 'traceparent', spanId: 'span-id' },
        responseHeaders: { traceparent: true, serverTiming: true },
      }, { platform });
      const r = await request(app.origin, '/orders/1', { headers: { traceparent: TRACEPARENT } });
      const [span] = await waitForFinishedSpans(1);
      const value = `00-${PARENT_TRACE}-${span!.spanId}-01`;
      assert.equal(r.headers['traceparent'], value);
      assert.equal(r.headers['server-timing'], `traceparent;desc="${value}"`);
      assert.equal(r.headers['span-id'], span!.spanId);
      assert.equal(typeof r.headers['x-request-id'], 'string');
    });

    test('response headers are off by default except the request id', async (t) => {
      const app = await start(t, {}, { platform });
      const r = await request(app.origin, '/orders/1', { headers: { traceparent: TRACEPARENT } });
      assert.equal(r.headers['traceparent'], undefined);
      assert.equal(r.headers['server-timing'], undefined);
      assert.equal(typeof r.headers['x-request-id'], 'string');
    });

    test('global prefix and URI versioning: the route template includes both', async (t) => {
      const app = await start(t, {}, {
        platform,
        configure: (a) => {
          a.setGlobalPrefix('api');
          a.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
        },
      });
      const r = await request(app.origin, '/api/v1/orders/9', { headers: { traceparent: TRACEPARENT } });
      assert.equal(r.status, 200);
      assert.equal(r.json().traceId, PARENT_TRACE);
      const [span] = await waitForFinishedSpans(1);
      assert.equal(span!.name, 'GET /api/v1/orders/:id');
      assert.equal(span!.attributes['http.route'], '/api/v1/orders/:id');
      assert.equal(span!.attributes['url.path'], '/api/v1/orders/9');
    });

    test('app.close() flushes spans still queued in the batch processor', async (t) => {
      const app = await start(t, { batch: { scheduledDelayMillis: 60_000 } }, { platform });
      await request(app.origin, '/orders/1');
      await request(app.origin, '/orders/2');
      await delay(10);
      assert.equal(getFinishedSpans().length, 0, 'nothing exported before the 60 s batch delay');
      await app.close();
      assert.equal(serverSpans().length, 2);
    });

    test('tracing: false: no span, no trace context, request ids still work', async (t) => {
      resetFinishedSpans();
      const app = await startApp(appModule({ tracing: false }), { platform });
      t.after(() => app.close());
      const r = await request(app.origin, '/orders/1', { headers: { traceparent: TRACEPARENT, 'x-request-id': 'off-1' } });
      assert.equal(r.json().traceId, undefined);
      assert.equal(r.headers['x-request-id'], 'off-1');
      await delay(10);
      assert.deepEqual(getFinishedSpans(), []);
    });

    test('isolation: 500 concurrent traced requests with random delays; each server span continues its own caller', async (t) => {
      const app = await start(t, { batch: { maxQueueSize: 4096 } }, { platform });
      const traceIds = Array.from({ length: 500 }, (_, i) => (i + 1).toString(16).padStart(32, 'a'));
      const replies = await Promise.all(
        traceIds.map((traceId, i) =>
          request(app.origin, `/orders/${i}?delay=${Math.floor(Math.random() * 20)}`, {
            headers: { traceparent: `00-${traceId}-${(i + 1).toString(16).padStart(16, 'b')}-01` },
          }),
        ),
      );
      replies.forEach((r, i) => assert.equal(r.json().traceId, traceIds[i], `request ${i} saw its own trace`));
      const spans = await waitForFinishedSpans(500, { timeoutMs: 60_000 });
      assert.equal(spans.length, 500);
      for (const span of spans) {
        const i = Number(String(span.attributes['url.path']).slice('/orders/'.length));
        assert.equal(span.traceId, traceIds[i]);
        assert.equal(span.parentSpanId, (i + 1).toString(16).padStart(16, 'b'));
      }
      assert.equal(new Set(spans.map((s) => s.spanId)).size, 500, 'every request got its own span id');
    });

    test('POST, HEAD and an aborted request each get a server span; the aborted one is an error', async (t) => {
      const app = await start(t, {}, { platform });
      assert.equal((await request(app.origin, '/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 201);
      assert.equal((await request(app.origin, '/orders/3', { method: 'HEAD' })).status, 200);
      const socket = (await import('node:net')).connect(app.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write('GET /orders/1/slow HTTP/1.1\r\nHost: x\r\n\r\n');
      await delay(30);
      socket.destroy();
      const spans = await waitForFinishedSpans(3);
      const by = new Map(spans.map((s) => [s.name, s]));
      assert.equal(by.get('POST /orders')!.attributes['http.response.status_code'], 201);
      assert.equal(by.get('HEAD /orders/:id')!.attributes['http.request.method'], 'HEAD');
      const aborted = by.get('GET /orders/:id/slow')!;
      assert.equal(aborted.status.code, SpanStatusCode.ERROR);
      assert.equal(aborted.attributes['error.type'], 'aborted');
      assert.equal(aborted.attributes['http.response.status_code'], undefined);
    });
  });
}

test('socket timeout (connectionTimeout): the span ends once with error.type "timeout" and the observer sees status 0', async (t) => {
  const calls: unknown[][] = [];
  resetFinishedSpans();
  const app = await startApp(
    appModule({ tracing: { exporters: [{ type: 'memory' }] }, onRequestEnd: (...a) => calls.push(a) }),
    { fastify: { connectionTimeout: 80 } },
  );
  t.after(() => app.close());
  await assert.rejects(request(app.origin, '/orders/1/slow'));
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.name, 'GET /orders/:id/slow');
  assert.equal(span!.status.code, SpanStatusCode.ERROR);
  assert.equal(span!.attributes['error.type'], 'timeout');
  await delay(250); // the handler finishes later: nothing ends twice
  assert.equal(getFinishedSpans().length, 1);
  assert.deepEqual(calls.map((c) => c.slice(0, 3)), [['/orders/:id/slow', 'GET', 0]]);
});
