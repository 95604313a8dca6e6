// Log lines carry the trace of the request and the span they were written in: real pino,
// nestjs-pino (its request-scoped PinoLogger and its Nest Logger) and Nest's own ConsoleLogger
// in JSON mode, in a Nest 12 + Fastify app, over 200 concurrent HTTP requests. Each request
// sends its own traceparent, so every line can be checked against the request it came from.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Controller, Get, Injectable, Logger, Module, Param, type DynamicModule } from '@nestjs/common';
import { LoggerModule, Logger as PinoNestLogger, PinoLogger, InjectPinoLogger } from 'nestjs-pino';
import { pino } from 'pino';
import {
  RequestContextModule,
  RequestContextService,
  Span,
  TraceConsoleLogger,
  createTraceMixin,
  traceLogFields,
  traceMixin,
} from '../../nest/index.js';
import { NO_LOG_FIELDS } from '../../engine/index.js';
import { delay, request, startApp } from './helpers.js';

const REQUESTS = 200;
const traceIdOf = (n: number): string => n.toString(16).padStart(32, 'a');
const traceparentOf = (n: number): string => `00-${traceIdOf(n)}-${(n + 1).toString(16).padStart(16, '0')}-01`;

/** A stream that keeps every JSON line written to it. */
function lineSink(): { stream: Writable; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { stream, lines };
}

interface Ids {
  n: number;
  traceId: string;
  serverSpanId: string;
  innerSpanId: string;
  requestId: string;
}

@Injectable()
class Work {
  private readonly nest = new Logger('Work');
  constructor(@InjectPinoLogger('Work') private readonly pinoLogger: PinoLogger) {}

  // A child span: lines written here must carry its id, not the server span's.
  @Span('inner')
  async inner(n: number): Promise<string> {
    await delay(n % 7);
    this.pinoLogger.info({ n, at: 'inner' }, 'inside the span');
    this.nest.log({ n, at: 'inner-nest' });
    return RequestContextService.getTraceContext()!.spanId;
  }
}

@Controller()
class WorkController {
  private readonly nest = new Logger('WorkController');
  constructor(
    private readonly work: Work,
    @InjectPinoLogger('WorkController') private readonly pinoLogger: PinoLogger,
  ) {}

  @Get('work/:n')
  async run(@Param('n') raw: string): Promise<Ids> {
    const n = Number(raw);
    this.pinoLogger.info({ n, at: 'start' }, 'request start');
    this.nest.log({ n, at: 'start-nest' });
    await delay((n * 3) % 11);
    const innerSpanId = await this.work.inner(n);
    this.pinoLogger.info({ n, at: 'end' }, 'request end');
    const ctx = RequestContextService.getTraceContext()!;
    return { n, traceId: ctx.traceId, serverSpanId: ctx.spanId, innerSpanId, requestId: RequestContextService.getRequestId()! };
  }
}

@Module({})
class PinoAppModule {
  static with(stream: Writable): DynamicModule {
    return {
      module: PinoAppModule,
      imports: [
        RequestContextModule.forRoot({ tracing: { exporters: [], sampler: { type: 'always_on' } } }),
        // the documented one-line set-up: the mixin on nestjs-pino's pino-http logger
        LoggerModule.forRoot({ pinoHttp: [{ mixin: traceMixin, autoLogging: false }, stream] }),
      ],
      controllers: [WorkController],
      providers: [Work],
    };
  }
}

async function fireConcurrently(origin: string): Promise<Map<number, Ids>> {
  const replies = await Promise.all(
    Array.from({ length: REQUESTS }, (_, n) => request(origin, `/work/${n}`, { headers: { traceparent: traceparentOf(n) } })),
  );
  const byN = new Map<number, Ids>();
  for (const reply of replies) {
    assert.equal(reply.status, 200);
    const ids = reply.json<Ids>();
    byN.set(ids.n, ids);
  }
  assert.equal(byN.size, REQUESTS);
  return byN;
}

/** Every line tagged with `n` carries request n's trace, request id and the span it was written in. */
function assertOwnIds(lines: Record<string, any>[], byN: Map<number, Ids>, where: (line: Record<string, any>) => { n: number; at: string } | null, expectedPerRequest: number): void {
  let checked = 0;
  for (const line of lines) {
    const tag = where(line);
    if (tag === null) continue;
    const ids = byN.get(tag.n)!;
    assert.equal(line.trace_id, traceIdOf(tag.n), `trace of ${tag.at} line of request ${tag.n}`);
    assert.equal(ids.traceId, traceIdOf(tag.n));
    assert.equal(line.request_id, ids.requestId, `request id of ${tag.at} line of request ${tag.n}`);
    assert.equal(line.trace_flags, '01');
    const span = tag.at.startsWith('inner') ? ids.innerSpanId : ids.serverSpanId;
    assert.equal(line.span_id, span, `span of ${tag.at} line of request ${tag.n}`);
    checked++;
  }
  assert.equal(checked, REQUESTS * expectedPerRequest);
}

test('pino via nestjs-pino (PinoLogger and the Nest Logger): 200 concurrent requests, each line has its own request\'s trace and span', async (t) => {
  const { stream, lines } = lineSink();
  const app = await startApp(PinoAppModule.with(stream), {
    configure: (a) => a.useLogger(a.get(PinoNestLogger)),
  });
  t.after(() => app.close());
  const byN = await fireConcurrently(app.origin);
  for (const ids of byN.values()) assert.notEqual(ids.innerSpanId, ids.serverSpanId);
  // PinoLogger lines (start, inner, end) and Nest Logger lines routed to pino (start-nest, inner-nest)
  assertOwnIds(lines, byN, (l) => (typeof l.n === 'number' ? { n: l.n, at: l.at } : null), 5);
  // lines written outside any request (startup) carry no trace fields
  const outside = lines.filter((l) => typeof l.n !== 'number');
  assert.ok(outside.length > 0);
  for (const l of outside) assert.equal(l.trace_id, undefined);
});

test("Nest's ConsoleLogger in JSON mode: TraceConsoleLogger adds the same fields, through app.useLogger", async (t) => {
  // ConsoleLogger writes each JSON line with process.stdout.write; the test runner's own events
  // travel on the same stream, so only the logger's lines are taken and the rest passes through.
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    if (typeof chunk === 'string' && chunk.startsWith('{"level":')) {
      written.push(chunk);
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  t.after(() => {
    process.stdout.write = write;
  });
  const { stream } = lineSink();
  const app = await startApp(PinoAppModule.with(stream), {
    configure: (a) => a.useLogger(new TraceConsoleLogger({ json: true })),
  });
  t.after(() => app.close());
  const byN = await fireConcurrently(app.origin);
  process.stdout.write = write;
  const lines = written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
  assertOwnIds(lines, byN, (l) => (l.message !== null && typeof l.message === 'object' && typeof l.message.n === 'number' ? { n: l.message.n, at: l.message.at } : null), 2);
  const startup = lines.filter((l) => typeof l.message === 'string');
  assert.ok(startup.length > 0, 'Nest wrote its startup lines through the logger');
  for (const l of startup) assert.equal(l.trace_id, undefined);
});

test('plain pino with createTraceMixin: configurable names, baggage keys, nothing outside a request', async (t) => {
  const { stream, lines } = lineSink();
  const logger = pino({ mixin: createTraceMixin({ fields: { traceId: 'traceId', spanId: 'spanId', traceFlags: false }, baggage: ['tenant.id'] }) }, stream);

  @Controller()
  class C {
    @Get('x')
    x(): string {
      logger.info({ tag: 'in' }, 'in request');
      return 'ok';
    }
  }
  @Module({ imports: [RequestContextModule.forRoot({ tracing: { exporters: [] } })], controllers: [C] })
  class M {}
  const app = await startApp(M);
  t.after(() => app.close());
  logger.info({ tag: 'out' }, 'outside');
  await request(app.origin, '/x', { headers: { traceparent: traceparentOf(7), baggage: 'tenant.id=acme,secret=s3' } });
  const inside = lines.find((l) => l.tag === 'in')!;
  assert.equal(inside.traceId, traceIdOf(7));
  assert.match(inside.spanId, /^[0-9a-f]{16}$/);
  assert.equal(inside.trace_flags, undefined);
  assert.equal(inside.traceFlags, undefined);
  assert.equal(inside['tenant.id'], 'acme');
  assert.equal(inside.secret, undefined, 'baggage not listed is never copied');
  const outside = lines.find((l) => l.tag === 'out')!;
  assert.deepEqual(Object.keys(outside).filter((k) => /trace|span|request/i.test(k)), []);
  assert.throws(() => createTraceMixin({ fields: { traceId: '' } }), /traceMixin\.fields\.traceId: got ""/);
  assert.throws(() => createTraceMixin({ baggage: ['bad key'] }), /traceMixin\.baggage\[0\]: got "bad key"/);
});

test('traceLogFields outside any context is the one shared frozen object', () => {
  assert.equal(traceLogFields(), NO_LOG_FIELDS);
  assert.equal(RequestContextService.traceLogFields(), NO_LOG_FIELDS);
  assert.ok(Object.isFrozen(NO_LOG_FIELDS));
});
