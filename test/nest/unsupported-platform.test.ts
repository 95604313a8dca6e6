// RequestContextModule runs on Fastify only: on a real Express app (@nestjs/platform-express)
// startup fails with ERR_UNSUPPORTED_PLATFORM and a message that says what to do, instead of
// an app that silently has no request context (issue 2: every error code has a test).

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
class ExpressApp {}

test('on an Express app, startup fails with ERR_UNSUPPORTED_PLATFORM naming the adapter to use', async () => {
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  try {
    await assert.rejects(
      async () => {
        app = await NestFactory.create(ExpressApp, new ExpressAdapter(), { logger: false, abortOnError: false });
        await app.listen(0, '127.0.0.1');
      },
      (err: unknown) => {
        assert.ok(err instanceof TraceContextError, String(err));
        assert.equal((err as TraceContextError).code, ErrorCodes.ERR_UNSUPPORTED_PLATFORM);
        assert.match((err as Error).message, /"express"/);
        assert.match((err as Error).message, /FastifyAdapter/);
        return true;
      },
    );
  } finally {
    await app?.close().catch(() => undefined);
  }
});
