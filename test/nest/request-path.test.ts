// One request's context reaches every Nest layer on Fastify and on Express: guard, interceptor,
// pipe, handler, filter, after awaits and in timers, for every kind of request. Each platform's
// own parsers (Fastify's multipart plugin and hooks, Express's multer and middleware order) have
// their own files: this one and express-request-path.test.ts.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import multipart from '@fastify/multipart';
import { context } from '../../engine/index.js';
import { probeModule } from './probe-app.js';
import { PLATFORMS, delay, request, startApp, waitFor, type Platform, type StartedApp } from './helpers.js';

const ID = 'req-abc.123:x_y-z';

function assertSeenEverywhere(body: Record<string, unknown>, id: string): void {
  for (const layer of ['handler', 'afterAwait', 'timer', 'pipe', 'guard']) {
    assert.equal(body[layer], id, `${layer} saw ${String(body[layer])}, expected ${id}`);
  }
}

async function start(t: { after(fn: () => unknown): void }, platform: Platform, observer?: (...a: unknown[]) => void): Promise<StartedApp> {
  const app = await startApp(probeModule({ tracing: { exporters: [] }, onRequestEnd: observer }), {
    platform,
    configure: async (a) => {
      if (platform === 'fastify') await a.register(multipart as never);
    },
  });
  t.after(() => app.close());
  return app;
}

for (const platform of PLATFORMS) {
  describe(`on ${platform}`, () => {
    test('GET: guard, interceptor, pipe, handler, @RequestId, after await and in a timer all see the inbound request id', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe?p=x', { headers: { 'x-request-id': ID } });
      assert.equal(r.status, 200);
      assertSeenEverywhere(r.json(), ID);
      assert.equal(r.json().decorator, ID);
      assert.equal(r.headers['x-seen-guard'], ID);
      assert.equal(r.headers['x-seen-interceptor'], ID);
      assert.equal(r.headers['x-request-id'], ID, 'the request id is echoed');
    });

    test('without an inbound id a new one is generated, seen everywhere and echoed', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe?p=x');
      const id = r.headers['x-request-id'];
      assert.equal(typeof id, 'string');
      assert.ok((id as string).length > 0);
      assertSeenEverywhere(r.json(), id as string);
    });

    test('POST with a JSON body: the handler sees the context', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/json?p=x', {
        method: 'POST',
        headers: { 'x-request-id': ID, 'content-type': 'application/json' },
        body: JSON.stringify({ n: 3 }),
      });
      assert.equal(r.status, 201);
      assertSeenEverywhere(r.json(), ID);
      assert.equal(r.json().n, 3);
    });

    test('POST with a urlencoded form body (the adapter\'s own form parser): the handler sees the context', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/form?p=x', {
        method: 'POST',
        headers: { 'x-request-id': ID, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=ada&x=1',
      });
      assert.equal(r.status, 201);
      assertSeenEverywhere(r.json(), ID);
      assert.equal(r.json().name, 'ada');
    });

    test('streamed response: every chunk produced later in a timer sees the context', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/stream', { headers: { 'x-request-id': ID } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.trim().split('\n'), [ID, ID, ID]);
      assert.equal(r.headers['x-request-id'], ID);
    });

    test('thrown HttpException: the exception filter sees the context and the id is echoed', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/http-error', { headers: { 'x-request-id': ID } });
      assert.equal(r.status, 418);
      assert.deepEqual(r.json(), { filter: ID, status: 418 });
      assert.equal(r.headers['x-seen-filter'], ID);
      assert.equal(r.headers['x-request-id'], ID);
    });

    test('thrown Error after an await: the exception filter sees the context', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/error', { headers: { 'x-request-id': ID } });
      assert.equal(r.status, 500);
      assert.deepEqual(r.json(), { filter: ID, status: 500 });
      assert.equal(r.headers['x-request-id'], ID);
    });

    test('404: still gets a request id header', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/nowhere', { headers: { 'x-request-id': ID } });
      assert.equal(r.status, 404);
      assert.equal(r.headers['x-request-id'], ID);
    });

    test('HEAD of a GET route and an explicit @Head route get the request id header', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe?p=x', { method: 'HEAD', headers: { 'x-request-id': ID } });
      assert.equal(r.status, 200);
      assert.equal(r.body, '');
      assert.equal(r.headers['x-request-id'], ID);
      const h = await request(app.origin, '/probe/only-head', { method: 'HEAD', headers: { 'x-request-id': ID } });
      assert.equal(h.status, 200);
      assert.equal(h.headers['x-request-id'], ID);
    });

    test('@Ctx(key) reads a value set by the guard; @Ctx() is the RequestContextService', async (t) => {
      const app = await start(t, platform);
      const r = await request(app.origin, '/probe/ctx', { headers: { 'x-request-id': ID } });
      assert.deepEqual(r.json(), { guard: ID, same: true });
    });

    test('onRequestEnd sees every request once with route template, method, status and duration', async (t) => {
      const calls: unknown[][] = [];
      const app = await start(t, platform, (...a) => calls.push(a));
      await request(app.origin, '/probe/echo/7?delay=5');
      await request(app.origin, '/probe/http-error');
      await request(app.origin, '/missing');
      await waitFor(() => calls.length === 3, undefined, 'three observer calls');
      assert.deepEqual(calls.map((c) => c.slice(0, 3)), [
        ['/probe/echo/:tag', 'GET', 200],
        ['/probe/http-error', 'GET', 418],
        ['', 'GET', 404],
      ]);
      assert.ok((calls[0]![3] as number) >= 5, `duration ${String(calls[0]![3])} ms covers the 5 ms handler`);
    });

    test('aborted request: a client that hangs up mid-handler ends the request once, with status 0', async (t) => {
      const calls: unknown[][] = [];
      const app = await start(t, platform, (...a) => calls.push(a));
      const socket = net.connect(app.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write('POST /probe/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
      await delay(30);
      socket.destroy();
      await waitFor(() => calls.length >= 1, undefined, 'the aborted request to end');
      await delay(250); // the handler finishes later: it must not end the request a second time
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0]!.slice(0, 3), ['/probe/slow', 'POST', 0]);
    });

    test('isolation: 500 concurrent requests with random delays each see only their own id', async (t) => {
      const app = await start(t, platform);
      const replies = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          request(app.origin, `/probe/echo/${i}?delay=${Math.floor(Math.random() * 20)}`, {
            headers: { 'x-request-id': `iso-${i}` },
          }),
        ),
      );
      replies.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.deepEqual(r.json(), { tag: String(i), id: `iso-${i}` });
        assert.equal(r.headers['x-request-id'], `iso-${i}`);
      });
    });
  });
}

test('multipart upload (@fastify/multipart): the handler sees the context while and after reading the file', async (t) => {
  const app = await start(t, 'fastify');
  const boundary = '----ntc' + Date.now();
  const content = Buffer.alloc(200_000, 7);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await request(app.origin, '/probe/upload?p=x', {
    method: 'POST',
    headers: { 'x-request-id': ID, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  assert.equal(r.status, 201, r.body);
  assertSeenEverywhere(r.json(), ID);
  assert.equal(r.json().filename, 'a.bin');
  assert.equal(r.json().bytes, content.length);
});

test('the context is open from onRequest on, for routes and 404s: a Fastify preParsing hook already sees it', async (t) => {
  const seenInPreParsing: Array<string | undefined> = [];
  const app = await startApp(probeModule({ tracing: { exporters: [] } }), {
    configure: (a) => {
      a.getHttpAdapter()
        .getInstance()
        .addHook('preParsing', (_req, _reply, payload, done) => {
          seenInPreParsing.push(context.getRequestId());
          done(null, payload);
        });
    },
  });
  t.after(() => app.close());
  await request(app.origin, '/probe/json?p=x', {
    method: 'POST',
    headers: { 'x-request-id': 'pp-1', 'content-type': 'application/json' },
    body: '{"n":1}',
  });
  await request(app.origin, '/missing', { headers: { 'x-request-id': 'pp-2' } });
  assert.deepEqual(seenInPreParsing, ['pp-1', 'pp-2']);
});
