// The one Nest application every Nest scenario serves: `GET /orders/:id` returning small JSON
// with the trace id read from whatever context the scenario installs. Scenarios differ only in
// the modules they import, the Fastify hooks they add and how the trace id is read, so the
// route, serialization and Nest pipeline cost the same in every row. BENCH_PLATFORM=express
// serves it on @nestjs/platform-express (the `*-express` scenarios) instead of Fastify.
import 'reflect-metadata';
import { Controller, Get, Module, Param, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { listenPort, type StartedServer } from './ipc.js';

export interface NestScenario {
  /** Modules added to the app module (the library under test). */
  readonly imports?: ReadonlyArray<DynamicModule | Type<unknown>>;
  /** Reads the current request's trace id from the scenario's context; null when it has none. */
  readonly readTraceId: () => string | null;
  /** Runs on the Fastify instance after the app is created and before routes are registered. */
  readonly configureFastify?: (fastify: FastifyInstance) => void;
  /** On Express: runs on the Express instance after the app is created, before Nest's middleware and routes. */
  readonly configureExpress?: (express: ExpressInstance) => void;
  /** Extra work on close (flush an SDK), after the app has closed. */
  readonly afterClose?: () => Promise<void>;
}

/** The part of an Express app the scenarios use (express ships no types here). */
export interface ExpressInstance {
  use(handler: (req: { headers: Record<string, string | string[] | undefined> }, res: unknown, next: () => void) => void): void;
}

export async function startNestScenario(scenario: NestScenario): Promise<StartedServer> {
  const readTraceId = scenario.readTraceId;

  @Controller('orders')
  class OrdersController {
    @Get(':id')
    get(@Param('id') id: string): { id: string; traceId: string | null } {
      return { id, traceId: readTraceId() };
    }
  }

  @Module({ imports: [...(scenario.imports ?? [])], controllers: [OrdersController] })
  class BenchAppModule {}

  const express = process.env.BENCH_PLATFORM === 'express';
  const adapter = express ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create<NestFastifyApplication>(BenchAppModule, adapter as never, { logger: false });
  if (express) scenario.configureExpress?.(app.getHttpAdapter().getInstance() as unknown as ExpressInstance);
  else scenario.configureFastify?.(app.getHttpAdapter().getInstance() as unknown as FastifyInstance);
  await app.listen(listenPort(), '127.0.0.1');
  const address = app.getHttpServer().address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: async () => {
      await app.close();
      await scenario.afterClose?.();
    },
  };
}
