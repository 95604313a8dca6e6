// Facts about Node's own client channels that the instrumentation's design rests on. If a Node
// upgrade changes one, this file says which design choice to revisit (see node-http-client.ts).

import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import { test } from 'node:test';
import { httpCall, startSink } from './helpers.js';

const major = Number(process.versions.node.split('.')[0]);

test('on Node 20 the header block is already stored at http.client.request.start, so headers cannot be added there', { skip: major !== 20 }, async (t) => {
  const sink = await startSink();
  const outcomes: string[] = [];
  const onStart = (message: unknown): void => {
    const { request } = message as { request: http.ClientRequest };
    try {
      request.setHeader('x-late', '1');
      outcomes.push('set');
    } catch (error) {
      outcomes.push((error as { code: string }).code);
    }
  };
  diagnosticsChannel.subscribe('http.client.request.start', onStart);
  t.after(() => diagnosticsChannel.unsubscribe('http.client.request.start', onStart));
  await httpCall(sink.origin);
  assert.deepEqual(outcomes, ['ERR_HTTP_HEADERS_SENT']);
  assert.equal(sink.received[0]!.headers['x-late'], undefined);
});

test('undici:request:create lets fetch headers be added and runs in the caller\'s async context', async (t) => {
  const sink = await startSink();
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const als = new AsyncLocalStorage<string>();
  const seen: (string | undefined)[] = [];
  const onCreate = (message: unknown): void => {
    seen.push(als.getStore());
    (message as { request: { addHeader(n: string, v: string): void } }).request.addHeader('x-early', '1');
  };
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  t.after(() => diagnosticsChannel.unsubscribe('undici:request:create', onCreate));
  await als.run('caller', async () => (await fetch(sink.origin)).text());
  assert.deepEqual(seen, ['caller']);
  assert.equal(sink.received[0]!.headers['x-early'], '1');
});

test('http.client.request.error is published for a refused node:http call', async (t) => {
  const errors: string[] = [];
  const onError = (message: unknown): void => {
    errors.push((message as { error: { code: string } }).error.code);
  };
  diagnosticsChannel.subscribe('http.client.request.error', onError);
  t.after(() => diagnosticsChannel.unsubscribe('http.client.request.error', onError));
  const { closedPort } = await import('./helpers.js');
  const port = await closedPort();
  await assert.rejects(httpCall(`http://127.0.0.1:${port}/`));
  assert.deepEqual(errors, ['ECONNREFUSED']);
});
