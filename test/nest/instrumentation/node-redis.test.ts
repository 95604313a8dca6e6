// node-redis (`redis`) commands and batches inside a request become CLIENT spans from
// node-redis's own TracingChannels (`node-redis:command`, `node-redis:batch`), against a real
// redis-server, in a real Nest + Fastify app over real HTTP.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Inject } from '@nestjs/common';
import { createClient } from 'redis';
import { SpanKind, SpanStatusCode } from '../../../nest/index.js';
import { getFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startRedis } from '../../helpers/servers.js';
import { request } from '../helpers.js';
import { named, SAMPLED, startLibraryApp, traceSpans, TRACE_ID, UNSAMPLED } from './library-app.js';

const REDIS = Symbol('REDIS');
type Client = ReturnType<typeof createClient>;

@Controller()
class CacheController {
  constructor(@Inject(REDIS) private readonly redis: Client) {}

  @Get('get')
  async get(): Promise<{ value: string | null }> {
    await this.redis.hSet('user:1', 'name', 'secret-name');
    return { value: await this.redis.hGet('user:1', 'name') };
  }

  @Get('fail')
  async fail(): Promise<string> {
    await this.redis.set('text', 'x');
    try {
      await this.redis.incr('text');
      return 'no error';
    } catch (err) {
      return (err as Error).message;
    }
  }

  @Get('pipeline')
  async pipeline(): Promise<unknown> {
    return this.redis.multi().set('a', '1').incr('a').execAsPipeline();
  }
}

async function setup(t: { after(fn: () => unknown): void }, tracing = {}) {
  const defer = cleanupStack(t);
  const server = await startRedis();
  defer(() => server.stop());
  const redis = createClient({ socket: { host: '127.0.0.1', port: server.port } });
  await redis.connect();
  defer(() => redis.quit());
  const app = await startLibraryApp([CacheController], [{ provide: REDIS, useValue: redis }], tracing);
  defer(() => app.close());
  return { app, port: server.port };
}

test('commands in a sampled request are CLIENT spans, children of the server span, with database attributes', async (t) => {
  const { app, port } = await setup(t);
  const reply = await request(app.origin, '/get', { headers: { traceparent: SAMPLED } });
  assert.equal(reply.json().value, 'secret-name');
  const { server, spans } = await traceSpans();
  const hget = named(spans, 'HGET');
  const hset = named(spans, 'HSET');
  for (const span of [hget, hset]) {
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.parentSpanId, server.spanId);
  }
  assert.deepEqual({ ...hget.attributes }, {
    'db.system.name': 'redis',
    'db.operation.name': 'HGET',
    'db.namespace': '0',
    // node-redis publishes `?` for every argument of a command it does not list as safe to show
    'db.query.text': 'HGET ? ?',
    'server.address': '127.0.0.1',
    'server.port': port,
  });
  assert.equal(hset.attributes['db.query.text'], 'HSET user:1 name ?', 'the stored value never reaches the span');
});

test('a failing command ends its span with status ERROR and error.type', async (t) => {
  const { app } = await setup(t);
  const reply = await request(app.origin, '/fail', { headers: { traceparent: SAMPLED } });
  assert.match(reply.body, /not an integer/);
  const { spans } = await traceSpans();
  const incr = named(spans, 'INCR');
  assert.equal(incr.status.code, SpanStatusCode.ERROR);
  assert.match(incr.status.message, /not an integer/);
  assert.equal(incr.attributes['error.type'], 'SimpleError', 'node-redis 6 replies with a SimpleError (its class; the name is left "Error")');
});

test('a pipeline is one batch span with its commands as children', async (t) => {
  const { app } = await setup(t);
  await request(app.origin, '/pipeline', { headers: { traceparent: SAMPLED } });
  const { server, spans } = await traceSpans();
  const batch = named(spans, 'PIPELINE');
  assert.equal(batch.parentSpanId, server.spanId);
  assert.equal(batch.attributes['db.operation.batch.size'], 2);
  const children = spans.filter((s) => s.parentSpanId === batch.spanId).map((s) => s.name).sort();
  assert.deepEqual(children, ['INCR', 'SET']);
});

test('an unsampled request records no command span', async (t) => {
  const { app } = await setup(t);
  await request(app.origin, '/get', { headers: { traceparent: UNSAMPLED } });
  await request(app.origin, '/get', { headers: { traceparent: SAMPLED } });
  await traceSpans();
  const commands = getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
  assert.deepEqual(commands.map((s) => s.name).sort(), ['HGET', 'HSET'], 'only the sampled request\'s two commands');
});
