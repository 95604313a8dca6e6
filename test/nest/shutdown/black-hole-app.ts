// A Nest app exporting to COLLECTOR_URL as a user would run it: its own process, shutdown
// hooks on, SIGTERM to stop. GET /spans?n=N ends N spans; once export has shut down the stats
// are printed as one `stats {...}` line (Nest then re-raises the signal: no 'exit' event).

import { writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Query, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestContextModule, RequestContextService, getTracingRuntime } from '../../../nest/index.js';

@Controller()
class SpansController {
  @Get('spans')
  spans(@Query('n') n: string): { ended: number } {
    const count = Number(n);
    for (let i = 0; i < count; i++) RequestContextService.startSpan(`work ${i}`).end();
    return { ended: count };
  }
}

@Module({
  imports: [
    RequestContextModule.forRoot({
      tracing: {
        serviceName: 'black-hole-app',
        exporters: [{ type: 'otlp', endpoint: process.env.COLLECTOR_URL! }],
        shutdownTimeoutMillis: Number(process.env.SHUTDOWN_TIMEOUT_MS),
        // Nothing leaves before shutdown except full batches: shutdown has the backlog to deal with.
        batch: { scheduledDelayMillis: 60_000 },
      },
    }),
  ],
  controllers: [SpansController],
})
class AppModule implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    // The same promise the module's own shutdown hook waits on (shutdown is idempotent).
    await runtime.shutdown();
    writeSync(1, `stats ${JSON.stringify(runtime.stats())}\n`);
  }
}

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
const runtime = getTracingRuntime()!;
console.log(`listening on ${(app.getHttpServer().address() as AddressInfo).port}`);
