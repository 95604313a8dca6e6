// RequestContextModule runs on Nest's Fastify and Express adapters. Any other adapter type
// (community adapters such as an h3 or Hono one report their own getType()) fails startup with
// ERR_UNSUPPORTED_PLATFORM and a message that says what to do, instead of an app that silently
// has no request context. The adapter here is Express's, reporting another type: a real Nest app
// whose platform the module does not know.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { ErrorCodes, RequestContextModule, TraceContextError } from '../../nest/index.js';

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({ imports: [RequestContextModule.forRoot({ tracing: { exporters: [] } })], controllers: [PingController] })
class PingApp {}

class H3LikeAdapter extends ExpressAdapter {
  override getType(): string {
    return 'h3';
  }
}

test('on an adapter other than Fastify or Express, startup fails with ERR_UNSUPPORTED_PLATFORM naming the adapters to use', async () => {
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  try {
    await assert.rejects(
      async () => {
        app = await NestFactory.create(PingApp, new H3LikeAdapter(), { logger: false, abortOnError: false });
        await app.listen(0, '127.0.0.1');
      },
      (err: unknown) => {
        assert.ok(err instanceof TraceContextError, String(err));
        assert.equal((err as TraceContextError).code, ErrorCodes.ERR_UNSUPPORTED_PLATFORM);
        assert.match((err as Error).message, /"h3"/);
        assert.match((err as Error).message, /FastifyAdapter/);
        assert.match((err as Error).message, /ExpressAdapter/);
        return true;
      },
    );
  } finally {
    await app?.close().catch(() => undefined);
  }
});
