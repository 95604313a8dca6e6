// @Span wraps sync and async methods in child spans and keeps every other decorator's
// metadata; @TraceCtx and RequestContextService expose the active trace in handlers; runWithTrace
// continues a trace outside any request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  RequestContextModule,
  RequestContextService,
  Span,
  SpanKind,
  SpanStatusCode,
  TraceCtx,
  type TraceContext,
} from '../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { delay, request, startApp } from './helpers.js';

const ROLE = 'role';

@Injectable()
class Work {
  @Span()
  sync(n: number): number {
    return n * 2;
  }

  @Span('work.async')
  async later(n: number): Promise<number> {
    await delay(2);
    return this.sync(n) + 1;
  }

  @Span('work.fails')
  async fails(): Promise<never> {
    await delay(1);
    throw new Error('nope');
  }
}

@Injectable()
class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(ctx: ExecutionContext): boolean {
    return this.reflector.get<string>(ROLE, ctx.getHandler()) === 'admin';
  }
}

@Controller('d')
@UseGuards(RoleGuard)
class DecoratedController {
  constructor(private readonly work: Work) {}

  // @Span above the route and metadata decorators: they wrote onto the original method first.
  @Span('handler.above')
  @SetMetadata(ROLE, 'admin')
  @Get('above')
  async above(@TraceCtx() trace: TraceContext): Promise<Record<string, unknown>> {
    const inside = RequestContextService.getTraceContext();
    return { traceId: trace.traceId, insideSpanId: inside?.spanId, value: await this.work.later(3) };
  }

  // @Span below them: they write onto the wrapper.
  @Get('below')
  @SetMetadata(ROLE, 'admin')
  @Span('handler.below')
  below(): { value: number } {
    return { value: this.work.sync(5) };
  }

  @Get('denied')
  @SetMetadata(ROLE, 'guest')
  @Span()
  denied(): string {
    return 'should not run';
  }

  @Get('fails')
  @SetMetadata(ROLE, 'admin')
  async fails(): Promise<string> {
    try {
      await this.work.fails();
    } catch {
      return 'caught';
    }
    return 'no';
  }

  @Get('manual')
  @SetMetadata(ROLE, 'admin')
  manual(): { sampled: boolean } {
    const span = RequestContextService.startSpan('manual.step', { attributes: { step: 1 } });
    span.setAttribute('done', true);
    span.end();
    return { sampled: span.spanContext().sampled };
  }
}

@Module({
  imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }] } })],
  controllers: [DecoratedController],
  providers: [Work],
})
class App {}

async function start(t: { after(fn: () => unknown): void }) {
  resetFinishedSpans();
  const app = await startApp(App);
  t.after(() => app.close());
  return app;
}

test('@Span above @Get and @SetMetadata: the route still exists, the guard still reads the metadata, spans nest under the server span', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/d/above');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json().value, 7);
  const spans = await waitForFinishedSpans(4);
  const by = new Map(spans.map((s) => [s.name, s]));
  const server = by.get('GET /d/above')!;
  const handler = by.get('handler.above')!;
  const later = by.get('work.async')!;
  const sync = by.get('Work.sync')!;
  assert.equal(server.kind, SpanKind.SERVER);
  assert.equal(handler.kind, SpanKind.INTERNAL);
  assert.equal(handler.parentSpanId, server.spanId);
  assert.equal(later.parentSpanId, handler.spanId);
  assert.equal(sync.parentSpanId, later.spanId);
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  assert.equal(r.json().traceId, server.traceId, '@TraceCtx gives the active trace');
  assert.equal(r.json().insideSpanId, handler.spanId, 'inside the @Span method the active span is its span');
  assert.ok(later.endTime - later.startTime >= 1.5, 'the async span ends when the promise settles');
});

test('@Span below @Get and @SetMetadata: metadata written onto the wrapper is read by Reflector', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/d/below');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), { value: 10 });
  const spans = await waitForFinishedSpans(3);
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /d/below', 'Work.sync', 'handler.below']);
});

test('the guard still denies by metadata on a @Span method (metadata is kept, not defaulted)', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/d/denied');
  assert.equal(r.status, 403);
  await waitForFinishedSpans(1);
  assert.ok(!getFinishedSpans().some((s) => s.name === 'DecoratedController.denied'));
});

test('a rejected @Span method: error status and an exception event, the error reaches the caller unchanged', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/d/fails');
  assert.equal(r.body, 'caught');
  const [span] = await waitForFinishedSpans(1, { filter: (s) => s.name === 'work.fails' });
  assert.equal(span!.status.code, SpanStatusCode.ERROR);
  assert.equal(span!.status.message, 'nope');
  assert.equal(span!.events[0]!.name, 'exception');
});

test('RequestContextService.startSpan makes a child of the server span with its attributes', async (t) => {
  const app = await start(t);
  const r = await request(app.origin, '/d/manual');
  assert.deepEqual(r.json(), { sampled: true });
  const spans = await waitForFinishedSpans(2);
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  const manual = spans.find((s) => s.name === 'manual.step')!;
  assert.equal(manual.parentSpanId, server.spanId);
  assert.deepEqual({ ...manual.attributes }, { step: 1, done: true });
});

test('@Span keeps the method name and works as a plain call outside any request', async () => {
  const work = new Work();
  assert.equal(work.sync.name, 'sync');
  assert.equal(work.sync(4), 8);
  assert.equal(await work.later(1), 3);
});

test('runWithTrace outside a request continues the given trace; bad ids throw a TypeError naming the field', async (t) => {
  await start(t);
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const seen = RequestContextService.runWithTrace({ traceId, spanId: 'b7ad6b7169203331' }, () => {
    const span = RequestContextService.startSpan('job');
    span.end();
    return { active: RequestContextService.getTraceContext()?.traceId, child: span.spanContext() };
  });
  assert.equal(seen.active, traceId);
  assert.equal(seen.child.traceId, traceId);
  assert.equal(seen.child.parentSpanId, 'b7ad6b7169203331');
  assert.throws(() => RequestContextService.runWithTrace({ traceId: 'xyz', spanId: 'b7ad6b7169203331' }, () => 1), (err: unknown) => {
    assert.ok(err instanceof TypeError);
    assert.match((err as Error).message, /traceId/);
    return true;
  });
});
