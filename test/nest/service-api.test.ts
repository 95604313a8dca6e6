// The application API a Nest user calls from the package entry: injectTraceHeaders for clients
// the instrumentation does not see, and RequestContextService's values and bind(), injected,
// inside real requests to a Nest + Fastify app.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import {
  ContextKey,
  RequestContextModule,
  RequestContextService,
  injectTraceHeaders,
  type TracingOptions,
} from '../../nest/index.js';
import { request, startApp } from './helpers.js';

const INCOMING = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TENANT = new ContextKey<string>('tenant');
/** Emitted by the test after the response, outside any request. */
const later = new EventEmitter();
const seenLater: Array<{ requestId: string | undefined; tenant: string | undefined }> = [];

@Controller()
class ApiController {
  constructor(private readonly ctx: RequestContextService) {}

  @Get('headers')
  headers() {
    return {
      spanId: this.ctx.getTraceContext()?.spanId,
      injected: injectTraceHeaders({ accept: 'application/json' }),
    };
  }

  @Get('values')
  values() {
    const before = { byName: this.ctx.has('user'), byKey: this.ctx.has(TENANT) };
    this.ctx.set('user', 'ada');
    this.ctx.set(TENANT, 'acme');
    this.ctx.set(TENANT, 'other', 'ignore');
    let denied = '';
    try {
      this.ctx.set('user', 'eve', 'deny');
    } catch (err) {
      denied = (err as { code: string }).code;
    }
    later.once('tick', this.ctx.bind(() => {
      seenLater.push({ requestId: RequestContextService.getRequestId(), tenant: RequestContextService.get(TENANT) });
    }));
    return {
      before,
      after: { byName: this.ctx.has('user'), byKey: RequestContextService.has(TENANT) },
      user: this.ctx.get<string>('user'),
      userByKey: this.ctx.get(ContextKey.for<string>('user')),
      tenant: this.ctx.get(TENANT),
      denied,
    };
  }
}

@Module({})
class ApiModule {
  static with(tracing: TracingOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [RequestContextModule.forRoot({ tracing: { exporters: [], ...tracing } })],
      controllers: [ApiController],
    };
  }
}

for (const outboundHttp of [true, false]) {
  test(`injectTraceHeaders from the package entry writes the app's configured format naming the server span (outboundHttp: ${outboundHttp})`, async (t) => {
    const app = await startApp(ApiModule.with({ format: 'b3', outboundHttp }));
    t.after(() => app.close());
    const b3 = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1';
    const body = (await request(app.origin, '/headers', { headers: { b3 } })).json();
    assert.match(body.spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(body.spanId, '00f067aa0ba902b7', 'the server span, not the caller');
    assert.deepEqual(body.injected, {
      accept: 'application/json',
      b3: `4bf92f3577b34da6a3ce929d0e0e4736-${body.spanId}-1`,
    });
  });
}

test('injectTraceHeaders outside a request leaves the headers unchanged while an app runs', async (t) => {
  const app = await startApp(ApiModule.with({}));
  t.after(() => app.close());
  const mine = { accept: 'text/plain' };
  assert.equal(injectTraceHeaders(mine), mine);
  assert.deepEqual(mine, { accept: 'text/plain' });
  assert.deepEqual(injectTraceHeaders(), {});
});

test('RequestContextService injected: set/get/has by name and by ContextKey with set policies, and bind() keeps the request for a later callback', async (t) => {
  const app = await startApp(ApiModule.with({}));
  t.after(() => app.close());
  seenLater.length = 0;
  const [a, b] = await Promise.all([
    request(app.origin, '/values', { headers: { 'x-request-id': 'req-a', traceparent: INCOMING } }),
    request(app.origin, '/values', { headers: { 'x-request-id': 'req-b' } }),
  ]);
  for (const reply of [a, b]) {
    assert.deepEqual(reply.json(), {
      before: { byName: false, byKey: false },
      after: { byName: true, byKey: true },
      user: 'ada',
      userByKey: 'ada',
      tenant: 'acme',
      denied: 'ERR_CONTEXT_KEY_EXISTS',
    });
  }
  // Emitted from the test, outside any request: each bound listener runs in its own request.
  assert.equal(RequestContextService.getRequestId(), undefined);
  later.emit('tick');
  assert.deepEqual(seenLater.map((s) => s.requestId).sort(), ['req-a', 'req-b']);
  assert.deepEqual(seenLater.map((s) => s.tenant), ['acme', 'acme']);
});
