// @opentelemetry/api is an optional peer dependency: without it the package loads, 'auto'
// runs natively, and 'otel' says what is missing. Checked for real in a child process whose
// module tree has no @opentelemetry at all: a temp dir holding a copy of dist/engine and
// dist/nest and a node_modules of links to every installed package except that scope.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** The repository root (this file runs as dist/test/nest/otel/api-absent.test.js). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The app the child runs: decorators applied as functions, so the script is plain ESM. */
const CHILD = `
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { RequestContextService, TraceContextModule, getTracingRuntime } from './dist/nest/index.js';

const out = {};
try {
  await import('@opentelemetry/api');
  out.apiResolvable = true;
} catch (err) {
  out.apiResolvable = false;
  out.apiError = err.code;
}

class TraceController {
  trace() {
    return { traceId: RequestContextService.getTraceContext()?.traceId ?? null };
  }
}
Get('trace')(TraceController.prototype, 'trace', Object.getOwnPropertyDescriptor(TraceController.prototype, 'trace'));
Controller()(TraceController);

function appModule(options) {
  class App {}
  Module({ imports: [TraceContextModule.forRoot(options)], controllers: [TraceController] })(App);
  return App;
}

const logs = [];
const logger = { log: (m, c) => logs.push(c + ': ' + m), error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };

const app = await NestFactory.create(appModule({ mode: 'auto', exporters: [], responseHeaders: { traceparent: true } }), new FastifyAdapter(), { logger, abortOnError: false });
await app.listen(0, '127.0.0.1');
const res = await fetch('http://127.0.0.1:' + app.getHttpServer().address().port + '/trace', {
  headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' },
});
out.auto = { status: res.status, body: await res.json(), traceparent: res.headers.get('traceparent'), tracer: getTracingRuntime()?.tracer.constructor.name };
out.logs = logs.filter((l) => l.startsWith('TraceContextModule'));
await app.close();

try {
  await NestFactory.create(appModule({ mode: 'otel' }), new FastifyAdapter(), { logger: false, abortOnError: false });
  out.otel = 'started';
} catch (err) {
  out.otel = { code: err.code, message: err.message };
}
console.log(JSON.stringify(out));
`;

/**
 * A temp folder with no node_modules in any ancestor: Node's resolution walks up every parent,
 * so a stray /tmp/node_modules (another checkout's, say) would hand the child an api.
 */
function isolatedTempRoot(): string {
  const candidates = [...new Set([tmpdir(), '/var/tmp', '/dev/shm'])].filter((d) => existsSync(d));
  const strays: string[] = [];
  for (const base of candidates) {
    let stray: string | null = null;
    for (let d = base; ; d = dirname(d)) {
      if (existsSync(join(d, 'node_modules'))) stray = join(d, 'node_modules');
      if (dirname(d) === d) break;
    }
    if (stray === null) return base;
    strays.push(stray);
  }
  throw new Error(`no temp folder without a node_modules above it (found ${strays.join(', ')}); set TMPDIR to one`);
}

test('without @opentelemetry/api installed the package loads, auto runs natively and otel fails with a clear error', (t) => {
  const dir = mkdtempSync(join(isolatedTempRoot(), 'ntc-no-otel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'dist/engine'), join(dir, 'dist/engine'), { recursive: true });
  cpSync(join(ROOT, 'dist/nest'), join(dir, 'dist/nest'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === '@opentelemetry' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  writeFileSync(join(dir, 'child.mjs'), CHILD);

  const env = { ...process.env };
  delete env['NODE_PATH'];
  delete env['NODE_OPTIONS'];
  const run = spawnSync(process.execPath, ['child.mjs'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);

  assert.equal(out.apiResolvable, false, 'the child cannot resolve @opentelemetry/api');
  assert.equal(out.apiError, 'ERR_MODULE_NOT_FOUND');
  assert.equal(out.auto.status, 200);
  assert.equal(out.auto.tracer, 'Tracer');
  assert.deepEqual(out.auto.body, { traceId: '11111111111111111111111111111111' });
  assert.match(out.auto.traceparent, /^00-11111111111111111111111111111111-[0-9a-f]{16}-01$/);
  assert.deepEqual(out.logs, ['TraceContextModule: mode "auto": tracing natively (@opentelemetry/api is not installed)']);
  assert.equal(out.otel.code, 'ERR_OTEL_NOT_REGISTERED');
  assert.match(out.otel.message, /@opentelemetry\/api is not installed/);
});
