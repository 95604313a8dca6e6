// The three platform facts the module is built on (DESIGN.md, "checked on this machine class").
// They are exactly what breaks on a Nest, Fastify or Node upgrade, so each has its own test
// with no part of this library involved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Body, Controller, Get, Injectable, Module, Post, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { delay, request, startApp } from './helpers.js';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Controller()
class DiController {
  constructor(private readonly greeter: Greeter) {}

  @Get('greet')
  greet(): string {
    return this.greeter.greet('di');
  }
}

@Module({ controllers: [DiController], providers: [Greeter] })
class DiModule {}

test('compiled with experimentalDecorators + emitDecoratorMetadata, Nest 12 ESM constructor injection works', async (t) => {
  const started = await startApp(DiModule);
  t.after(() => started.close());
  const reply = await request(started.origin, '/greet');
  assert.equal(reply.status, 200);
  assert.equal(reply.body, 'hello di');
});

const als = new AsyncLocalStorage<{ id: number }>();
const seen: string[] = [];
const routed: string[] = [];
let nextId = 0;

@Injectable()
class HookInstaller implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route) => {
      routed.push(`${String(route.method)} ${route.url}`);
    });
    fastify.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      seen.push(`onRequest ${req.url}`);
      als.run({ id: ++nextId }, done);
    });
  }
}

@Controller()
class AlsController {
  @Get('plain')
  plain(): { id: number | undefined } {
    return { id: als.getStore()?.id };
  }

  @Post('json')
  async json(@Body() body: { n: number }): Promise<{ id: number | undefined; n: number }> {
    await delay(2);
    await Promise.resolve();
    return { id: als.getStore()?.id, n: body.n };
  }
}

@Module({ controllers: [AlsController], providers: [HookInstaller] })
class AlsModule {}

test('a hook added to HttpAdapterHost.httpAdapter.getInstance() in onModuleInit runs for Nest routes', async (t) => {
  const started = await startApp(AlsModule);
  t.after(() => started.close());
  seen.length = 0;
  const reply = await request(started.origin, '/plain');
  assert.equal(reply.status, 200);
  assert.deepEqual(seen, ['onRequest /plain']);
  assert.equal(typeof reply.json().id, 'number');
});

test('Nest registers its routes before onModuleInit: an onRoute hook added there sees none of them', async (t) => {
  routed.length = 0;
  const started = await startApp(AlsModule);
  t.after(() => started.close());
  assert.ok(!routed.includes('GET /plain'), routed.join(', '));
});

@Injectable()
class RouteWatcher {
  constructor(host: HttpAdapterHost) {
    host.httpAdapter.getInstance<FastifyInstance>().addHook('onRoute', (route) => {
      routed.push(`${String(route.method)} ${route.url}`);
    });
  }
}

@Module({ controllers: [AlsController], providers: [RouteWatcher] })
class RouteWatchModule {}

test('HttpAdapterHost holds the adapter while providers are constructed, and an onRoute hook added then sees every Nest route', async (t) => {
  routed.length = 0;
  const started = await startApp(RouteWatchModule, { configure: (app) => void app.setGlobalPrefix('api') });
  t.after(() => started.close());
  assert.ok(routed.includes('GET /api/plain'), routed.join(', '));
  assert.ok(routed.includes('POST /api/json'), routed.join(', '));
});

test('an ALS store opened in onRequest with als.run(store, done) is visible in a POST JSON handler after awaits', async (t) => {
  const started = await startApp(AlsModule);
  t.after(() => started.close());
  const reply = await request(started.origin, '/json', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: 7 }),
  });
  assert.equal(reply.status, 201);
  const { id, n } = reply.json();
  assert.equal(n, 7);
  assert.equal(typeof id, 'number', 'the store opened in onRequest must reach the handler');
});
