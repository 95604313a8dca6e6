// mysql2 queries inside a request become CLIENT spans from mysql2's own TracingChannels
// (`mysql2:query`, `mysql2:execute`), against a real MariaDB server, in a real Nest + Fastify
// app over real HTTP.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Get, Inject } from '@nestjs/common';
import mysql from 'mysql2';
import { RequestContextService, SpanKind, SpanStatusCode } from '../../../nest/index.js';
import { getFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startMariadb, type StartedServer } from '../../helpers/servers.js';
import { request } from '../helpers.js';
import { named, SAMPLED, startLibraryApp, traceSpans, TRACE_ID, UNSAMPLED } from './library-app.js';

const POOL = Symbol('POOL');

@Controller()
class ItemsController {
  constructor(@Inject(POOL) private readonly pool: mysql.Pool) {}

  @Get('query')
  async query(): Promise<unknown> {
    const [rows] = await this.pool.promise().query("SELECT name FROM items WHERE id = ? AND name <> 'hidden'", [1]);
    return rows;
  }

  @Get('execute')
  async execute(): Promise<unknown> {
    const [rows] = await this.pool.promise().execute('SELECT name FROM items WHERE id = ?', [2]);
    return rows;
  }

  @Get('fail')
  async fail(): Promise<string> {
    try {
      await this.pool.promise().query('SELECT * FROM missing_table');
      return 'no error';
    } catch (err) {
      return (err as { code: string }).code;
    }
  }

  @Get('callback')
  callback(): Promise<{ before: string | undefined; inCallback: string | undefined }> {
    const before = RequestContextService.getRequestId();
    return new Promise((resolve, reject) => {
      this.pool.query('SELECT 1', (err) => (err ? reject(err) : resolve({ before, inCallback: RequestContextService.getRequestId() })));
    });
  }
}

let server: StartedServer | null = null;

/** One MariaDB for the file (its data directory takes seconds to make), stopped after the last test. */
async function mariadb(): Promise<StartedServer> {
  if (server === null) {
    server = await startMariadb();
    const admin = mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' }).promise();
    await admin.query('CREATE DATABASE shop');
    await admin.query('CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(50))');
    await admin.query("INSERT INTO shop.items VALUES (1, 'first'), (2, 'second')");
    await admin.end();
  }
  return server;
}

test.after(async () => {
  await server?.stop();
});

async function setup(t: { after(fn: () => unknown): void }, tracing = {}) {
  const defer = cleanupStack(t);
  const db = await mariadb();
  const pool = mysql.createPool({ host: '127.0.0.1', port: db.port, user: 'root', database: 'shop', connectionLimit: 1 });
  defer(() => pool.promise().end());
  // The connection opens here, outside any request: its socket callbacks carry no request context.
  await pool.promise().query('SELECT 1');
  const app = await startLibraryApp([ItemsController], [{ provide: POOL, useValue: pool }], tracing);
  defer(() => app.close());
  return { app, port: db.port };
}

test('a query in a sampled request is a CLIENT span under the server span; its literals are replaced by ?', async (t) => {
  const { app, port } = await setup(t);
  const reply = await request(app.origin, '/query', { headers: { traceparent: SAMPLED } });
  assert.deepEqual(reply.json(), [{ name: 'first' }]);
  const { server: serverSpan, spans } = await traceSpans();
  const span = named(spans, 'SELECT shop');
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.equal(span.traceId, TRACE_ID);
  assert.equal(span.parentSpanId, serverSpan.spanId);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.deepEqual({ ...span.attributes }, {
    'db.system.name': 'mysql',
    'db.operation.name': 'SELECT',
    'db.namespace': 'shop',
    // mysql2 publishes the statement with the value formatted in ("id = 1"): sanitised back
    'db.query.text': 'SELECT name FROM items WHERE id = ? AND name <> ?',
    'server.address': '127.0.0.1',
    'server.port': port,
  });
});

test('an execute (prepared statement) is a CLIENT span with its placeholder text', async (t) => {
  const { app } = await setup(t);
  const reply = await request(app.origin, '/execute', { headers: { traceparent: SAMPLED } });
  assert.deepEqual(reply.json(), [{ name: 'second' }]);
  const { server: serverSpan, spans } = await traceSpans();
  const span = named(spans, 'SELECT shop');
  assert.equal(span.parentSpanId, serverSpan.spanId);
  assert.equal(span.attributes['db.query.text'], 'SELECT name FROM items WHERE id = ?');
});

test('a failing query ends its span with status ERROR and the server error code as error.type', async (t) => {
  const { app } = await setup(t);
  const reply = await request(app.origin, '/fail', { headers: { traceparent: SAMPLED } });
  assert.equal(reply.body, 'ER_NO_SUCH_TABLE');
  const { spans } = await traceSpans();
  const span = named(spans, 'SELECT shop');
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.match(span.status.message, /missing_table/);
  assert.equal(span.attributes['error.type'], 'ER_NO_SUCH_TABLE');
  assert.equal(span.events[0]?.name, 'exception');
});

test('a query callback runs in the request that made the query, sampled or not', async (t) => {
  const { app } = await setup(t);
  for (const traceparent of [SAMPLED, UNSAMPLED]) {
    const reply = await request(app.origin, '/callback', { headers: { traceparent } });
    const { before, inCallback } = reply.json();
    assert.ok(before);
    assert.equal(inCallback, before);
  }
});

test('an unsampled request records no query span; dbStatement "raw" keeps the values', async (t) => {
  const { app } = await setup(t, { instrumentations: { mysql2: { dbStatement: 'raw' } } });
  await request(app.origin, '/query', { headers: { traceparent: UNSAMPLED } });
  await request(app.origin, '/query', { headers: { traceparent: SAMPLED } });
  await traceSpans();
  const queries = getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
  assert.equal(queries.length, 1, 'only the sampled request\'s query');
  assert.equal(queries[0]!.attributes['db.query.text'], "SELECT name FROM items WHERE id = 1 AND name <> 'hidden'");
});
