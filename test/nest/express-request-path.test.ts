// What only Express has: the context opens before every app middleware (registered with
// app.use before or after the module started, or through Nest's MiddlewareConsumer), Express's
// body parsers (json, urlencoded, raw, text) and multer's FileInterceptor keep it, `req.route`
// is Express's own, a router another library mounts gets spans named by its templates, and a
// socket timeout ends the span as a timeout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { createRequire } from 'node:module';
import { RequestContextModule, RequestContextService, SpanStatusCode, type RequestContextModuleOptions } from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { delay, request, startApp, waitFor, type StartOptions } from './helpers.js';

// Express ships no types (no @types/express here): the few calls the tests make, typed.
type Handler = (req: { params: Record<string, string> }, res: { json(v: unknown): void; send(v: string): void }, next: () => void) => void;
interface ExpressRouter {
  (req: unknown, res: unknown, next: () => void): void;
  get(path: string, handler: Handler): void;
}
const express = createRequire(import.meta.url)('express') as { Router(): ExpressRouter };

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

/** What each layer saw, in the order they ran, for the request with this id. */
const seen = new Map<string, string[]>();

function note(layer: string): void {
  const id = RequestContextService.getRequestId() ?? 'none';
  const list = seen.get(id) ?? [];
  list.push(layer);
  seen.set(id, list);
  if (id === 'none') seen.set('none', list);
}

@Injectable()
class ConsumerMiddleware implements NestMiddleware {
  use(_req: unknown, _res: unknown, next: () => void): void {
    note('consumer-middleware');
    RequestContextService.set('from-middleware', RequestContextService.getRequestId());
    next();
  }
}

interface MulterFile {
  originalname: string;
  size: number;
}

@Controller('x')
class ExpressController {
  @Get('route/:id')
  route(@Req() req: { route?: { path: string }; params: Record<string, string> }): Record<string, unknown> {
    note('handler');
    return { routePath: req.route?.path, id: req.params['id'], fromMiddleware: RequestContextService.get('from-middleware') };
  }

  @Post('body')
  async body(@Body() body: unknown): Promise<Record<string, unknown>> {
    await delay(1);
    const kind = Buffer.isBuffer(body) ? 'buffer' : typeof body;
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
    return { id: RequestContextService.getRequestId(), kind, text, traceId: RequestContextService.getTraceContext()?.traceId };
  }

  @Post('upload')
  @UseInterceptors(FileInterceptor('file'))
  async upload(@UploadedFile() file: MulterFile): Promise<Record<string, unknown>> {
    await delay(1);
    return { id: RequestContextService.getRequestId(), name: file.originalname, size: file.size };
  }

  @Get('listeners')
  listeners(@Res({ passthrough: true }) res: { listenerCount(event: string): number }): { close: number } {
    return { close: res.listenerCount('close') };
  }

  @Get('slow/:id')
  async slow(@Param('id') id: string): Promise<string> {
    await delay(300);
    return id;
  }
}

function appModule(options: RequestContextModuleOptions): unknown {
  @Module({ imports: [RequestContextModule.forRoot(options)], controllers: [ExpressController] })
  class ExpressApp implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(ConsumerMiddleware).forRoutes('*path');
    }
  }
  return ExpressApp;
}

async function start(t: { after(fn: () => unknown): void }, options: RequestContextModuleOptions = {}, more: StartOptions = {}) {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }] }, ...options }), { platform: 'express', ...more });
  t.after(() => app.close());
  return app;
}

test('the context is open in every app.use middleware, in Nest middleware and in the handler, all one store', async (t) => {
  seen.clear();
  const app = await start(t, {}, {
    configure: (a) => {
      a.use((_req: unknown, _res: unknown, next: () => void) => {
        note('app.use');
        next();
      });
    },
  });
  const r = await request(app.origin, '/x/route/5', { headers: { 'x-request-id': 'mw-1', traceparent: TRACEPARENT } });
  assert.equal(r.status, 200);
  assert.equal(r.json().fromMiddleware, 'mw-1', 'a value set in Nest middleware is read in the handler');
  assert.deepEqual(seen.get('mw-1'), ['app.use', 'consumer-middleware', 'handler']);
  assert.equal(seen.get('none'), undefined);
});

test('a middleware registered on the Express instance before the module started sees the context too', async (t) => {
  seen.clear();
  const app = await start(t, {}, {
    configure: (a) => {
      // Straight on Express, before Nest's body parsers and before the module's onModuleInit.
      (a.getHttpAdapter().getInstance() as unknown as { use(h: Handler): void }).use((_req, _res, next) => {
        note('express-first');
        next();
      });
    },
  });
  await request(app.origin, '/x/route/6', { headers: { 'x-request-id': 'mw-2' } });
  assert.deepEqual(seen.get('mw-2'), ['express-first', 'consumer-middleware', 'handler']);
});

test("Express's body parsers keep the context: json, urlencoded, raw and text", async (t) => {
  const app = await start(t, {}, {
    configure: (a) => {
      const adapter = a as unknown as { useBodyParser(type: string, options?: unknown): void };
      adapter.useBodyParser('raw', { type: 'application/octet-stream' });
      adapter.useBodyParser('text', { type: 'text/plain' });
    },
  });
  const cases: Array<[string, string, string, string]> = [
    ['application/json', '{"a":1}', 'object', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1', 'object', '{"a":"1"}'],
    ['application/octet-stream', 'raw bytes', 'buffer', 'raw bytes'],
    ['text/plain', 'plain text', 'string', 'plain text'],
  ];
  for (const [type, body, kind, text] of cases) {
    const r = await request(app.origin, '/x/body', { method: 'POST', headers: { 'content-type': type, 'x-request-id': `b-${kind}`, traceparent: TRACEPARENT }, body });
    assert.equal(r.status, 201, r.body);
    assert.deepEqual(r.json(), { id: `b-${kind}`, kind, text, traceId: TRACE }, type);
  }
});

test('multer FileInterceptor: the handler sees the context after the upload was parsed', async (t) => {
  const app = await start(t);
  const boundary = '----ntc' + Date.now();
  const content = Buffer.alloc(300_000, 9);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await request(app.origin, '/x/upload', {
    method: 'POST',
    headers: { 'x-request-id': 'up-1', 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  assert.equal(r.status, 201, r.body);
  assert.deepEqual(r.json(), { id: 'up-1', name: 'b.bin', size: content.length });
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.name, 'POST /x/upload');
});

test("req.route stays Express's own route; its path is the span's http.route", async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/x/route/7');
  assert.equal(r.json().routePath, '/x/route/:id');
  assert.equal(r.json().id, '7');
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.name, 'GET /x/route/:id');
  assert.equal(span!.attributes['http.route'], '/x/route/:id');
});

test("a router another library mounts with app.use: spans named by the mount path and its route template", async (t) => {
  const app = await start(t, {}, {
    configure: (a) => {
      const router = express.Router();
      router.get('/items/:id', (req, res) => {
        res.json({ id: req.params['id'], requestId: RequestContextService.getRequestId(), traceId: RequestContextService.getTraceContext()?.traceId });
      });
      a.use('/lib', router);
    },
  });
  const r = await request(app.origin, '/lib/items/3', { headers: { 'x-request-id': 'lib-1', traceparent: TRACEPARENT } });
  assert.deepEqual(r.json(), { id: '3', requestId: 'lib-1', traceId: TRACE });
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.name, 'GET /lib/items/:id');
  assert.equal(span!.attributes['http.route'], '/lib/items/:id');
  assert.equal(span!.attributes['url.path'], '/lib/items/3');
});

test('a route added to a mounted router after startup: onRequestEnd still gets its template from req.route', async (t) => {
  const calls: unknown[][] = [];
  const router = express.Router();
  const app = await start(t, { tracing: false, onRequestEnd: (...a) => calls.push(a) }, { configure: (a) => void a.use('/late', router) });
  router.get('/things/:id', (_req, res) => void res.send('ok'));
  assert.equal((await request(app.origin, '/late/things/1')).status, 200);
  await waitFor(() => calls.length === 1, undefined, 'the observer call');
  assert.deepEqual(calls[0]!.slice(0, 3), ['/late/things/:id', 'GET', 200]);
});

test('socket timeout (server.setTimeout): the span ends once with error.type "timeout"; the observer sees status 0', async (t) => {
  const calls: unknown[][] = [];
  const app = await start(t, { onRequestEnd: (...a) => calls.push(a) }, { configure: (a) => void a.getHttpServer().setTimeout(80) });
  await assert.rejects(request(app.origin, '/x/slow/1'));
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.name, 'GET /x/slow/:id');
  assert.equal(span!.status.code, SpanStatusCode.ERROR);
  assert.equal(span!.attributes['error.type'], 'timeout');
  await delay(350); // the handler finishes later: nothing ends twice
  assert.equal(getFinishedSpans().length, 1);
  assert.deepEqual(calls.map((c) => c.slice(0, 3)), [['/x/slow/:id', 'GET', 0]]);
});

test("one 'close' listener only when something waits for the end: a recording span or an observer, never an unsampled request", async (t) => {
  const closeListeners = async (options: RequestContextModuleOptions): Promise<number> => {
    const app = await start(t, options);
    const count = (await request(app.origin, '/x/listeners')).json<{ close: number }>().close;
    await app.close();
    return count;
  };
  const unsampled = await closeListeners({ tracing: { exporters: [], sampler: { type: 'always_off' } } });
  const off = await closeListeners({ tracing: false });
  const sampled = await closeListeners({ tracing: { exporters: [], sampler: { type: 'always_on' } } });
  const observed = await closeListeners({ tracing: { exporters: [], sampler: { type: 'always_off' } }, onRequestEnd: () => undefined });
  assert.equal(off, unsampled, 'an unsampled request gets no listener of the module');
  assert.equal(sampled, unsampled + 1);
  assert.equal(observed, unsampled + 1);
});

test("a request hook the app set on Nest's ExpressAdapter before the module started still runs, inside the context", async (t) => {
  const hookSaw: Array<string | undefined> = [];
  const app = await start(t, {}, {
    configure: (a) => {
      // Set before listen(), so before the module's onModuleInit: the module chains it.
      (a.getHttpAdapter() as unknown as { setOnRequestHook(h: (req: unknown, res: unknown, done: () => void) => void): void }).setOnRequestHook((_req, _res, done) => {
        hookSaw.push(RequestContextService.getRequestId());
        done();
      });
    },
  });
  const r = await request(app.origin, '/x/route/8', { headers: { 'x-request-id': 'hook-1' } });
  assert.equal(r.status, 200);
  assert.deepEqual(hookSaw, ['hook-1']);
});
