// What protects the Prometheus route: on the app's port it is a plain Fastify route, so a
// global Nest guard does not run for it (documented, shown here); `prometheus: { port }` moves
// it to a listener of its own, and the app's port then has no /metrics at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Injectable, Module, type CanActivate, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { RequestContextModuleOptions } from '../../../nest/index.js';
import { freePort } from '../../helpers/servers.js';
import { request, startApp } from '../helpers.js';
import { MetricsProbeModule } from './metrics-app.js';

@Injectable()
class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** The probe app's routes behind a global guard that denies every request. */
@Module({})
class GuardedModule {
  static with(options: RequestContextModuleOptions): DynamicModule {
    const probe = MetricsProbeModule.with(options);
    return { ...probe, module: GuardedModule, providers: [{ provide: APP_GUARD, useClass: DenyAll }] };
  }
}

test('with a global deny guard, prometheus: { port } keeps route templates off the app port and serves them on the metrics port', async (t) => {
  const port = await freePort();
  const app = await startApp(GuardedModule.with({ metrics: { prometheus: { route: '/metrics', port, host: '127.0.0.1' } } }));
  t.after(() => app.close());
  assert.equal((await request(app.origin, '/items/1')).status, 403, 'the guard denies the app routes');
  const onApp = await request(app.origin, '/metrics');
  assert.equal(onApp.status, 404);
  assert.ok(!onApp.body.includes('/items/:id'), onApp.body);
  const scrape = await request(`http://127.0.0.1:${port}`, '/metrics');
  assert.equal(scrape.status, 200);
  assert.match(scrape.body, /route="\/items\/:id"/);
  assert.equal((await request(`http://127.0.0.1:${port}`, '/other')).status, 404);
  assert.equal((await request(`http://127.0.0.1:${port}`, '/metrics', { method: 'POST' })).status, 405);
});

test('on the app port (the default) the route is a plain Fastify route: Nest guards do not run for it', async (t) => {
  const app = await startApp(GuardedModule.with({ metrics: { prometheus: { route: '/metrics' } } }));
  t.after(() => app.close());
  assert.equal((await request(app.origin, '/items/1')).status, 403);
  const scrape = await request(app.origin, '/metrics');
  assert.equal(scrape.status, 200, 'not guarded: keep it off the public port or behind a proxy rule');
});

test('the metrics listener stops with the app, and a taken port fails startup', async (t) => {
  const port = await freePort();
  const first = await startApp(MetricsProbeModule.with({ metrics: { prometheus: { port, host: '127.0.0.1' } } }));
  await assert.rejects(startApp(MetricsProbeModule.with({ metrics: { prometheus: { port, host: '127.0.0.1' } } })), /EADDRINUSE/);
  await first.close();
  await assert.rejects(request(`http://127.0.0.1:${port}`, '/metrics'), /ECONNREFUSED/);
  t.after(() => first.close());
});

test('prometheus port and host are validated at startup, naming the option', async () => {
  await assert.rejects(startApp(MetricsProbeModule.with({ metrics: { prometheus: { port: 70000 } } })), /metrics\.prometheus\.port: got 70000/);
  await assert.rejects(startApp(MetricsProbeModule.with({ metrics: { prometheus: { host: '127.0.0.1' } } })), /metrics\.prometheus\.host/);
});
