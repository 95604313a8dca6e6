// ioredis commands inside a request become CLIENT spans from ioredis's own TracingChannels
// (`ioredis:command`, `ioredis:batch`), against a real redis-server, in a real Nest + Fastify
// app over real HTTP.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Inject } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RequestContextService, SpanKind, SpanStatusCode } from '../../../nest/index.js';
import { getFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startRedis } from '../../helpers/servers.js';
import { request } from '../helpers.js';
import { named, SAMPLED, startLibraryApp, traceSpans, TRACE_ID, UNSAMPLED } from './library-app.js';

const REDIS = Symbol('REDIS');

@Controller()
class CacheController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @Get('get')
  async get(): Promise<{ value: string | null; requestId: string | undefined }> {
    await this.redis.set('user:1', 'secret-value');
    const value = await this.redis.get('user:1');
    return { value, requestId: RequestContextService.getRequestId() };
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

  @Get('multi')
  async multi(): Promise<unknown> {
    return this.redis.multi().set('a', '1').incr('a').exec();
  }
}

async function setup(t: { after(fn: () => unknown): void }, tracing = {}) {
  const defer = cleanupStack(t);
  const server = await startRedis();
  defer(() => server.stop());
  const redis = new Redis(server.port, '127.0.0.1');
  defer(() => redis.quit());
  await redis.ping();
  const app = await startLibraryApp([CacheController], [{ provide: REDIS, useValue: redis }], tracing);
  defer(() => app.close());
  return { app, port: server.port };
}

test('a GET and a SET in a sampled request are CLIENT spans, children of the server span, with database attributes', async (t) => {
  const { app, port } = await setup(t);
  const reply = await request(app.origin, '/get', { headers: { traceparent: SAMPLED } });
  assert.equal(reply.json().value, 'secret-value');
  assert.ok(reply.json().requestId, 'the request context survives the awaited commands');
  const { server, spans } = await traceSpans();
  const get = named(spans, 'GET');
  const set = named(spans, 'SET');
  for (const span of [get, set]) {
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.parentSpanId, server.spanId);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.ok(span.endTime >= span.startTime);
  }
  assert.deepEqual({ ...get.attributes }, {
    'db.system.name': 'redis',
    'db.operation.name': 'GET',
    'db.namespace': '0',
    'db.query.text': 'GET user:1',
    'server.address': '127.0.0.1',
    'server.port': port,
  });
  assert.equal(set.attributes['db.query.text'], 'SET user:1 ?', 'the stored value never reaches the span');
  assert.ok(set.endTime <= get.startTime, 'SET ended (on asyncEnd, when its reply came) before GET started');
});

test('a failing command ends its span with status ERROR, error.type and an exception event', async (t) => {
  const { app } = await setup(t);
  const reply = await request(app.origin, '/fail', { headers: { traceparent: SAMPLED } });
  assert.match(reply.body, /not an integer/);
  const { spans } = await traceSpans();
  const incr = named(spans, 'INCR');
  assert.equal(incr.status.code, SpanStatusCode.ERROR);
  assert.match(incr.status.message, /not an integer/);
  assert.equal(incr.attributes['error.type'], 'ReplyError');
  assert.equal(incr.events[0]?.name, 'exception');
});

test('a MULTI is one batch span with its commands as children', async (t) => {
  const { app } = await setup(t);
  await request(app.origin, '/multi', { headers: { traceparent: SAMPLED } });
  const { spans } = await traceSpans();
  const multi = spans.find((s) => s.attributes['db.operation.batch.size'] !== undefined);
  assert.ok(multi, 'a batch span');
  assert.equal(multi.name, 'MULTI');
  assert.equal(multi.kind, SpanKind.CLIENT);
  assert.equal(multi.attributes['db.operation.name'], 'MULTI');
  assert.equal(multi.attributes['db.operation.batch.size'], 2);
  const children = spans.filter((s) => s.parentSpanId === multi.spanId).map((s) => s.name).sort();
  assert.deepEqual(children, ['EXEC', 'INCR', 'MULTI', 'SET'], 'the commands it sent are its children');
});

test('an unsampled request records no command span', async (t) => {
  const { app } = await setup(t);
  const reply = await request(app.origin, '/get', { headers: { traceparent: UNSAMPLED } });
  assert.equal(reply.json().value, 'secret-value');
  await request(app.origin, '/get', { headers: { traceparent: SAMPLED } });
  await traceSpans();
  const commands = getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
  assert.deepEqual(commands.map((s) => s.name).sort(), ['GET', 'SET'], 'only the sampled request\'s two commands');
});

test('dbStatement "off" leaves db.query.text out; ioredis: false records nothing', async (t) => {
  const { app } = await setup(t, { instrumentations: { ioredis: { dbStatement: 'off' } } });
  await request(app.origin, '/get', { headers: { traceparent: SAMPLED } });
  const { spans } = await traceSpans();
  assert.equal(named(spans, 'GET').attributes['db.query.text'], undefined);
  await app.close();

  const off = await setup(t, { instrumentations: { ioredis: false } });
  await request(off.app.origin, '/get', { headers: { traceparent: SAMPLED } });
  const after = await traceSpans();
  assert.deepEqual(after.spans.map((s) => s.kind), [SpanKind.SERVER]);
});
