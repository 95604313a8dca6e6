// Library spans: the per-call cost of tracing one Redis command (ioredis) and one SQL query
// (mysql2), ours beside OpenTelemetry's instrumentation-ioredis / instrumentation-mysql2 in the
// same run, and beside the bare call.
//
// Driven synchronously, with no socket, so the figure is the tracing work and not the round
// trip:
// - ours: the library's own TracingChannel lifecycle through node:diagnostics_channel, as the
//   library runs it when something subscribes (ioredis builds its message with its own
//   sanitizeArgs, then tracePromise publishes start/end/asyncStart/asyncEnd; mysql2 calls
//   traceCallback, whose callback the fake connection invokes at once), with our subscribers.
// - otel: the real wrapper each OpenTelemetry instrumentation puts on the library
//   (`_traceSendCommand` around ioredis's sendCommand, `_patchQuery` around mysql2's query),
//   around the same bare function, ended the way the library would (cmd.resolve, the callback).
// - bare: the library function alone.
// Both tracers: parent-based always-on under a sampled server span (or an unsampled one), and no
// exporting processor.
import diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelSpanKind, TraceFlags, context as otelContext, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { runWithSpan } from '../../engine/context/index.js';
import { enableLibrarySpans } from '../../engine/instrumentation/index.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { SpanKind } from '../../engine/spans/span-data.js';
import { Tracer } from '../../engine/spans/tracer.js';
import { defineSuite, runStandalone } from './harness.js';
import { releasingProcessor } from './releasing-processor.js';

const require = createRequire(import.meta.url);
const { sanitizeArgs } = require('ioredis/built/tracing.js') as { sanitizeArgs(name: string, args: unknown[]): string[] };
const mysqlFormat = (require('mysql2') as { format(sql: string, values: unknown[]): string }).format;

otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const ours = new Tracer({ sampler: { type: 'parentbased_always_on' }, processor: releasingProcessor });
enableLibrarySpans({ tracer: ours, graphql: false, redis: false });
const provider = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) });
const otel = provider.getTracer('bench');

const sampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1, undefined, true, undefined);
const unsampledParent = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 0, undefined, true, undefined);
const oursServer = ours.startSpan('GET /users/:id', { kind: SpanKind.SERVER, parent: sampledParent });
const oursUnsampledServer = ours.startSpan('GET /users/:id', { kind: SpanKind.SERVER, parent: unsampledParent });
const remote = (flags: number) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: sampledParent.traceId, spanId: sampledParent.spanId, traceFlags: flags, isRemote: true });
const otelServerCtx = trace.setSpan(ROOT_CONTEXT, otel.startSpan('GET /users/:id', { kind: OtelSpanKind.SERVER }, remote(TraceFlags.SAMPLED)));
// An unsampled remote parent: both instrumentations see a parent span and start a non-recording child.
const otelUnsampledCtx = remote(TraceFlags.NONE);

// ---- Redis: one GET ----

interface FakeCommand {
  name: string;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
const noop = (): void => {};
function newCommand(): FakeCommand {
  return { name: 'get', args: ['user:1'], resolve: noop, reject: noop };
}
/** What ioredis's sendCommand does with a command in a benchmark: nothing (it would write it). */
function bareSendCommand(this: unknown, command: FakeCommand): FakeCommand {
  return command;
}
const fakeRedis = { options: { host: '127.0.0.1', port: 6379, db: 0 }, condition: { select: 0 } };

const ioredisChannel = diagnosticsChannel.tracingChannel('ioredis:command');
/** ioredis traceCommand with its _buildCommandContext, tracePromise's publishes in order, settled at once. */
function oursRedisCommand(): FakeCommand {
  const command = newCommand();
  const message = {
    command: command.name,
    args: sanitizeArgs(command.name, command.args),
    database: fakeRedis.condition.select,
    serverAddress: fakeRedis.options.host,
    serverPort: fakeRedis.options.port,
    result: undefined as unknown,
  };
  ioredisChannel.start.runStores(message, () => {
    bareSendCommand.call(fakeRedis, command);
    ioredisChannel.end.publish(message);
  });
  message.result = 'value';
  ioredisChannel.asyncStart.publish(message);
  ioredisChannel.asyncEnd.publish(message);
  return command;
}

const ioredisInstrumentation = new IORedisInstrumentation();
ioredisInstrumentation.setTracerProvider(provider);
const otelSendCommand = (ioredisInstrumentation as unknown as {
  _traceSendCommand(original: typeof bareSendCommand, version: string): typeof bareSendCommand;
})._traceSendCommand(bareSendCommand, '6.0.0');
function otelRedisCommand(): FakeCommand {
  const command = newCommand();
  otelSendCommand.call(fakeRedis, command);
  command.resolve('value');
  return command;
}
function bareRedisCommand(): FakeCommand {
  return bareSendCommand.call(fakeRedis, newCommand());
}

// ---- SQL: one query with a value ----

const SQL = 'SELECT name FROM items WHERE id = ?';
const VALUES = [42];
const ROWS: unknown[] = [];
const connectionConfig = { host: '127.0.0.1', port: 3306, database: 'shop', user: 'app' };
type QueryCallback = (err: unknown, rows?: unknown) => void;
let rowsSeen = 0;
const callback: QueryCallback = (_err, rows) => {
  if (rows === ROWS) rowsSeen++;
};
/** mysql2's query with the connection replaced by an immediate reply: formats the statement, calls back. */
function bareQuery(this: unknown, sql: string, values: unknown[], cb: QueryCallback): string {
  const formatted = mysqlFormat(sql, values);
  cb(null, ROWS);
  return formatted;
}

const queryChannel = diagnosticsChannel.tracingChannel('mysql2:query');
/** mysql2's Connection.query when traced: its statementTraceContext, then traceCallback. */
function oursQuery(): unknown {
  const formatted = mysqlFormat(SQL, VALUES);
  const message = {
    query: formatted,
    values: VALUES,
    database: connectionConfig.database,
    serverAddress: connectionConfig.host,
    serverPort: connectionConfig.port,
  };
  return queryChannel.traceCallback((wrapped: QueryCallback) => wrapped(null, ROWS), 0, message, null, callback);
}

const mysqlInstrumentation = new MySQL2Instrumentation();
mysqlInstrumentation.setTracerProvider(provider);
const otelQueryFn = (mysqlInstrumentation as unknown as {
  _patchQuery(format: unknown, isPrepared: boolean): (original: typeof bareQuery) => typeof bareQuery;
})._patchQuery(mysqlFormat, false)(bareQuery);
const fakeConnection = { config: connectionConfig };
function otelQuery(): unknown {
  return otelQueryFn.call(fakeConnection, SQL, VALUES, callback);
}
function plainQuery(): unknown {
  return bareQuery.call(fakeConnection, SQL, VALUES, callback);
}

export const suite = defineSuite({
  name: 'library-spans',
  cases: [
    { name: 'redis GET, bare', impl: 'bare', fn: () => runWithSpan(oursServer, bareRedisCommand) },
    { name: 'redis GET, sampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursServer, oursRedisCommand) },
    { name: 'redis GET, sampled (otel instrumentation-ioredis)', impl: 'otel', fn: () => otelContext.with(otelServerCtx, otelRedisCommand) },
    { name: 'redis GET, unsampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursUnsampledServer, oursRedisCommand) },
    { name: 'redis GET, unsampled (otel instrumentation-ioredis)', impl: 'otel', fn: () => otelContext.with(otelUnsampledCtx, otelRedisCommand) },
    { name: 'sql query, bare', impl: 'bare', fn: () => runWithSpan(oursServer, plainQuery) },
    { name: 'sql query, sampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursServer, oursQuery) },
    { name: 'sql query, sampled (otel instrumentation-mysql2)', impl: 'otel', fn: () => otelContext.with(otelServerCtx, otelQuery) },
    { name: 'sql query, unsampled (ntc)', impl: 'ntc', fn: () => runWithSpan(oursUnsampledServer, oursQuery) },
    { name: 'sql query, unsampled (otel instrumentation-mysql2)', impl: 'otel', fn: () => otelContext.with(otelUnsampledCtx, otelQuery) },
  ],
  comparisons: [
    { id: 'redis-command-sampled-speedup', ours: 'redis GET, sampled (ntc)', theirs: 'redis GET, sampled (otel instrumentation-ioredis)', metric: 'time' },
    { id: 'redis-command-unsampled-speedup', ours: 'redis GET, unsampled (ntc)', theirs: 'redis GET, unsampled (otel instrumentation-ioredis)', metric: 'time' },
    { id: 'sql-query-sampled-speedup', ours: 'sql query, sampled (ntc)', theirs: 'sql query, sampled (otel instrumentation-mysql2)', metric: 'time' },
    { id: 'sql-query-unsampled-speedup', ours: 'sql query, unsampled (ntc)', theirs: 'sql query, unsampled (otel instrumentation-mysql2)', metric: 'time' },
    { id: 'redis-command-sampled-bytes', ours: 'redis GET, sampled (ntc)', theirs: 'redis GET, sampled (otel instrumentation-ioredis)', metric: 'bytes' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runStandalone(suite);
  if (rowsSeen === 0) throw new Error('the query callbacks never ran: the cases measured nothing');
}
