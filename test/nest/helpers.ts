// Tiny helpers for integration tests: a real Nest 12 app on Fastify (the default) or Express on
// 127.0.0.1, port 0, and real HTTP through node:http (not fetch, so outbound instrumentation of
// fetch never interferes with what a test sends). Other test folders import these too.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/** The HTTP platforms the module runs on; suites that describe platform behaviour run on each. */
export const PLATFORMS = ['fastify', 'express'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface StartedApp {
  readonly app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Runs after `create` and before `listen` (global prefix, versioning, plugins). */
  readonly configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** Options for `new FastifyAdapter(...)`. */
  readonly fastify?: ConstructorParameters<typeof FastifyAdapter>[0];
  /** Default 'fastify'. The app is typed as Fastify's; Express's has the methods tests use. */
  readonly platform?: Platform;
}

/** Creates the app from `module`, listens on 127.0.0.1:0 and returns its origin. */
export async function startApp(module: unknown, options: StartOptions = {}): Promise<StartedApp> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module as never,
    (options.platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(options.fastify)) as never,
    { logger: false, abortOnError: false },
  );
  if (options.configure !== undefined) await options.configure(app);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let closed = false;
  return {
    app,
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  json<T = any>(): T;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /** Fails the request after this many ms (default 10 s) so a broken server never hangs a test. */
  readonly timeoutMs?: number;
}

/** One HTTP request with node:http; resolves with status, headers and the whole body. */
export function request(origin: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
          });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`request ${path} timed out`)));
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** Resolves after `ms` milliseconds. */
/**
 * Resolves once `ms` have passed on the span clock (performance.now()), the clock every span
 * and duration metric reads. A bare setTimeout(ms) can fire when that clock shows a fraction
 * less (libuv counts from the event loop's cached whole-millisecond time, read before the
 * call), which once made a "waited at least 1 ms" assertion fail; the timer is re-armed for
 * what is left. Always at least one timer turn, as setTimeout(0) was.
 */
export async function delay(ms: number): Promise<void> {
  const until = performance.now() + ms;
  let left = ms;
  do {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(left))));
    left = until - performance.now();
  } while (left > 0);
}

/**
 * Polls `check` every 5 ms until it returns true or `timeoutMs` passes (then throws). The
 * timeout only guards against a hang: it is paid when a test fails, so it is long enough for
 * the slowest loaded machine (a 2 s one failed under load).
 */
export async function waitFor(check: () => boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}
