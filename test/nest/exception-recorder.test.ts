// Exceptions become `exception` events on the server span whatever answers them: Nest's
// built-in filter, a method or class filter of the app, a global filter, or a guard's denial;
// the answering filter still answers exactly as before (status, body, headers).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Catch,
  Controller,
  ForbiddenException,
  Get,
  Module,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type CanActivate,
  type DynamicModule,
  type ExceptionFilter,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { RequestContextModule, SpanKind, type RequestContextModuleOptions } from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans, type FinishedSpan } from '../../nest/testing/index.js';
import { request, startApp } from './helpers.js';

class OutOfStock extends Error {
  override name = 'OutOfStock';
}

function answerWith(tag: string, host: ArgumentsHost, status: number): void {
  host.switchToHttp().getResponse<FastifyReply>().status(status).header('x-answered-by', tag).send({ by: tag });
}

@Catch(OutOfStock)
class MethodFilter implements ExceptionFilter {
  catch(_e: OutOfStock, host: ArgumentsHost): void {
    answerWith('method', host, 409);
  }
}

@Catch()
class ClassFilter implements ExceptionFilter {
  catch(_e: unknown, host: ArgumentsHost): void {
    answerWith('class', host, 503);
  }
}

@Catch(RangeError)
class GlobalFilter implements ExceptionFilter {
  catch(_e: RangeError, host: ArgumentsHost): void {
    answerWith('global', host, 422);
  }
}

class Deny implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException('no entry');
  }
}

@Controller('stock')
@UseFilters(ClassFilter)
class StockController {
  @Get('method')
  @UseFilters(MethodFilter)
  method(): never {
    throw new OutOfStock('sold out');
  }

  @Get('class')
  klass(): never {
    throw new TypeError('bad item');
  }
}

@Controller('plain')
class PlainController {
  @Get('builtin')
  async builtin(): Promise<never> {
    await Promise.resolve();
    throw new Error('kaput');
  }

  @Get('global')
  global(): never {
    throw new RangeError('too many');
  }

  @Get('guarded')
  @UseGuards(Deny)
  guarded(): string {
    return 'never';
  }

  @Get('fine')
  fine(): string {
    return 'ok';
  }
}

function appModule(options: RequestContextModuleOptions): DynamicModule {
  @Module({})
  class App {}
  return {
    module: App,
    imports: [RequestContextModule.forRoot(options)],
    controllers: [StockController, PlainController],
    providers: [{ provide: APP_FILTER, useClass: GlobalFilter }],
  };
}

function eventsOf(name: string): Array<[string, unknown, unknown]> {
  const span = getFinishedSpans().find((s: FinishedSpan) => s.kind === SpanKind.SERVER && s.name === name);
  assert.ok(span, `a server span named ${name}`);
  return span.events.map((e) => [e.name, e.attributes['exception.type'], e.attributes['exception.message']]);
}

test('every answering filter still answers, and the exception it answered is one event on the server span', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }] } }));
  t.after(() => app.close());
  const cases: Array<[string, number, string | undefined]> = [
    ['/stock/method', 409, 'method'],
    ['/stock/class', 503, 'class'],
    ['/plain/global', 422, 'global'],
    ['/plain/builtin', 500, undefined],
    ['/plain/guarded', 403, undefined],
    ['/plain/fine', 200, undefined],
  ];
  for (const [path, status, by] of cases) {
    const r = await request(app.origin, path);
    assert.equal(r.status, status, path);
    assert.equal(r.headers['x-answered-by'], by, path);
  }
  await waitForFinishedSpans(cases.length);
  assert.deepEqual(eventsOf('GET /stock/method'), [['exception', 'OutOfStock', 'sold out']]);
  assert.deepEqual(eventsOf('GET /stock/class'), [['exception', 'TypeError', 'bad item']]);
  assert.deepEqual(eventsOf('GET /plain/global'), [['exception', 'RangeError', 'too many']]);
  assert.deepEqual(eventsOf('GET /plain/builtin'), [['exception', 'Error', 'kaput']]);
  assert.deepEqual(eventsOf('GET /plain/guarded'), [['exception', 'ForbiddenException', 'no entry']]);
  assert.deepEqual(eventsOf('GET /plain/fine'), []);
});

test('the same controllers in a second app: one event per exception, not one per app that started', async (t) => {
  for (let i = 0; i < 2; i++) {
    resetFinishedSpans();
    const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }] } }));
    assert.equal((await request(app.origin, '/stock/method')).status, 409);
    await waitForFinishedSpans(1);
    assert.deepEqual(eventsOf('GET /stock/method'), [['exception', 'OutOfStock', 'sold out']]);
    await app.close();
  }
  t.diagnostic('two apps started one after the other');
});

test('tracing off: the app\'s filters and Nest\'s built-in one still answer', async (t) => {
  const app = await startApp(appModule({ tracing: false }));
  t.after(() => app.close());
  const r = await request(app.origin, '/stock/method');
  assert.equal(r.status, 409);
  assert.equal(r.headers['x-answered-by'], 'method');
  assert.equal((await request(app.origin, '/plain/builtin')).status, 500);
});

test('the request id and traceparent headers are on every answer: filters, Nest\'s built-in filter, guard denials, 404', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }], responseHeaders: { traceparent: true } } }));
  t.after(() => app.close());
  const parent = '4bf92f3577b34da6a3ce929d0e0e4736';
  for (const [path, status] of [['/stock/method', 409], ['/plain/builtin', 500], ['/plain/guarded', 403], ['/nowhere', 404], ['/plain/fine', 200]] as const) {
    const r = await request(app.origin, path, { headers: { 'x-request-id': 'id-' + status, traceparent: `00-${parent}-00f067aa0ba902b7-01` } });
    assert.equal(r.status, status, path);
    assert.equal(r.headers['x-request-id'], 'id-' + status, path);
    assert.match(String(r.headers['traceparent']), new RegExp(`^00-${parent}-[0-9a-f]{16}-01$`), path);
  }
});
