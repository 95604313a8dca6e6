// Nest microservices over TCP, in one process: gateway HTTP request -> ClientProxy#send ->
// TCP microservice -> reply, as one trace with the right parents; events, errors, bad metadata
// and concurrency. Tracing comes from RequestContextModule (memory exporter), as in an app.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ClientProxyFactory, Transport, type ClientProxy, type ReadPacket } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { SpanKind, SpanStatusCode, runWithTraceContext } from '../../../engine/index.js';
import { traceClient } from '../../../nest/microservices/index.js';
import { flushSpans, getFinishedSpans, resetFinishedSpans } from '../../../nest/testing/index.js';
import { PLATFORMS, request } from '../helpers.js';
import { cleanupStack, freePort } from '../../helpers/servers.js';
import {
  INCOMING,
  ORDERS,
  assertGatewayTrace,
  handledEvents,
  oneSpan,
  parseTraceparent,
  spansNamed,
  startGateway,
  startHybridGateway,
  startOrders,
  waitForSpans,
  type Seen,
} from './fixtures.js';


async function setup(t: { after(fn: () => unknown): void }, sampler?: Record<string, unknown>): Promise<{ origin: string; port: number }> {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const port = await freePort();
  const options = { host: '127.0.0.1', port };
  const orders = await startOrders({ transport: Transport.TCP, options });
  defer(() => orders.close());
  const gateway = await startGateway({ name: ORDERS, transport: Transport.TCP, options }, sampler);
  defer(() => gateway.close());
  return { origin: gateway.origin, port };
}

test('gateway HTTP -> send over TCP -> reply is one trace: server span -> client span -> microservice server span', async (t) => {
  const { origin } = await setup(t);
  const { client, server, seen } = await assertGatewayTrace(origin, 'tcp', 7);
  assert.deepEqual(client.attributes, {
    'messaging.system': 'tcp',
    'messaging.destination.name': 'order.create',
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'send',
  });

  assert.equal(server.attributes['messaging.operation.type'], 'process');
  assert.equal(server.status.code, SpanStatusCode.UNSET);
  assert.ok(server.startTime >= client.startTime && server.endTime <= client.endTime, 'server span inside client span');

  assert.ok(seen.requestId !== undefined && seen.requestId.length > 0, 'the handler has a request context');
});

test('baggage of the HTTP request rides with the message: the microservice handler has it, and passes it on', async (t) => {
  const { origin } = await setup(t);
  const reply = await request(origin, '/orders/create/3', { headers: { traceparent: INCOMING, baggage: 'tenant.id=acme, user.tier = gold;ttl=30' } });
  assert.equal(reply.status, 200);
  assert.equal(reply.json<Seen>().baggage, 'tenant.id=acme,user.tier=gold;ttl=30');
  const plain = await request(origin, '/orders/create/4', { headers: { traceparent: INCOMING } });
  assert.equal(plain.json<Seen>().baggage, undefined, 'no baggage came, none is sent');
});

test('an unsampled request still carries its ids through the message (sampled bit off) and exports nothing', async (t) => {
  const { origin } = await setup(t, { type: 'parentbased_always_off' });
  const unsampled = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
  const reply = await request(origin, '/orders/create/9', { headers: { traceparent: unsampled } });
  assert.equal(reply.status, 200);
  const seen = parseTraceparent(reply.json<Seen>().traceparent);
  assert.equal(seen.traceId, '0af7651916cd43dd8448eb211c80319c', 'the microservice continued the trace id');
  assert.equal(seen.flags, '00');
  assert.notEqual(seen.spanId, 'b7ad6b7169203331', 'with ids of its own');
  await flushSpans();
  assert.deepEqual(getFinishedSpans(), []);
});

test('the packet metadata is exactly the W3C headers of the client span', async (t) => {
  const { port } = await setup(t);
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  t.after(() => client.close());
  const packets: ReadPacket[] = [];
  client.setOnDispatchHook((packet) => packets.push(packet));
  traceClient(client);
  await runWithTraceContext({ traceparent: INCOMING }, 'caller', () => firstValueFrom(client.send('order.create', { n: 1 })));
  const span = await oneSpan('send order.create');
  assert.equal(packets.length, 1, 'the hook set before traceClient still runs');
  assert.deepEqual(packets[0]!.metadata, { traceparent: `00-${span.traceId}-${span.spanId}-01` });
});

test('an error reply ends the client span and the server span with error status', async (t) => {
  const { origin } = await setup(t);
  const reply = await request(origin, '/orders/fail', { headers: { traceparent: INCOMING } });
  assert.deepEqual(reply.json().error, { status: 'error', message: 'out of stock' });
  const client = await oneSpan('send order.fail');
  const server = await oneSpan('process order.fail');
  assert.equal(server.parentSpanId, client.spanId);
  assert.equal(server.status.code, SpanStatusCode.ERROR);
  assert.equal(server.status.message, 'out of stock');
  assert.equal(server.attributes['error.type'], 'rpc_error');
  assert.deepEqual(server.events.map((e) => [e.name, e.attributes['exception.message']]), [['exception', 'out of stock']]);
  assert.equal(client.status.code, SpanStatusCode.ERROR);
  assert.deepEqual(client.events.map((e) => e.name), ['exception']);
});

test('emit: a producer span on the gateway and a consumer span in the microservice, same trace', async (t) => {
  const { origin } = await setup(t);
  handledEvents.length = 0;
  const reply = await request(origin, '/orders/emit/3', { headers: { traceparent: INCOMING } });
  assert.equal(reply.status, 200);
  const producer = await oneSpan('publish order.created');
  const consumer = await oneSpan('process order.created');
  assert.equal(producer.kind, SpanKind.PRODUCER);
  assert.equal(producer.attributes['messaging.operation.name'], 'publish');
  assert.equal(consumer.kind, SpanKind.CONSUMER);
  assert.equal(consumer.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(consumer.parentSpanId, producer.spanId);
  assert.equal(handledEvents[0]!.traceparent, `00-${consumer.traceId}-${consumer.spanId}-01`);
});

test('an event handler that throws or rejects ends its consumer span with error status, the exception recorded and error.type; a good event stays unset', async (t) => {
  const { origin } = await setup(t);
  handledEvents.length = 0;
  for (const path of ['/orders/emit/order.audit/1', '/orders/emit/order.audit.async/2', '/orders/emit/3']) {
    assert.equal((await request(origin, path)).status, 200);
  }
  const thrown = await oneSpan('process order.audit');
  assert.equal(thrown.kind, SpanKind.CONSUMER);
  assert.equal(thrown.status.code, SpanStatusCode.ERROR);
  assert.equal(thrown.status.message, 'audit 1 failed');
  assert.equal(thrown.attributes['error.type'], 'TypeError');
  const exception = thrown.events.find((e) => e.name === 'exception');
  assert.equal(exception?.attributes?.['exception.type'], 'TypeError');
  assert.equal(exception?.attributes?.['exception.message'], 'audit 1 failed');

  const rejected = await oneSpan('process order.audit.async');
  assert.equal(rejected.status.code, SpanStatusCode.ERROR);
  assert.equal(rejected.status.message, 'audit store unavailable');
  assert.equal(rejected.attributes['error.type'], 'RpcException');

  const fine = await oneSpan('process order.created');
  assert.equal(fine.status.code, SpanStatusCode.UNSET);
  assert.equal(fine.attributes['error.type'], undefined);
  assert.deepEqual(handledEvents.map((e) => e.n).sort(), [1, 2, 3], 'each handler ran once, in its message context');
  for (const e of handledEvents) assert.ok(e.traceparent !== undefined);
});

/** Sends one raw JSON-socket frame (Nest's TCP framing: `<length>#<json>`) and reads the reply. */
function rawTcp(port: number, packet: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const json = JSON.stringify(packet);
    let buffer = '';
    socket.setTimeout(3000, () => socket.destroy(new Error('no reply')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${Buffer.byteLength(json)}#${json}`));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const hash = buffer.indexOf('#');
      if (hash < 0) return;
      const length = Number(buffer.slice(0, hash));
      if (buffer.length - hash - 1 < length) return;
      socket.end();
      resolve(JSON.parse(buffer.slice(hash + 1, hash + 1 + length)));
    });
  });
}

test('bad or missing metadata on a message starts a new trace and never throws', async (t) => {
  const { port } = await setup(t);
  const metadatas: unknown[] = [
    undefined,
    null,
    'traceparent',
    42,
    [INCOMING],
    {},
    { traceparent: 42 },
    { traceparent: { toString: 'x' } },
    { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
    { traceparent: 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\nx-evil: 1' },
    { traceparent: 'x'.repeat(200_000) },
    { __proto__: { traceparent: INCOMING } },
  ];
  for (let i = 0; i < metadatas.length; i++) {
    const reply = (await rawTcp(port, { pattern: 'order.create', data: { n: i }, id: `raw-${i}`, metadata: metadatas[i] })) as {
      response?: Seen;
      err?: unknown;
    };
    assert.equal(reply.err, undefined, `metadata #${i} answered`);
    assert.equal(reply.response!.n, i);
    assert.notEqual(parseTraceparent(reply.response!.traceparent).traceId, '0af7651916cd43dd8448eb211c80319c');
  }
  const spans = await waitForSpans('process order.create', metadatas.length);
  assert.equal(spans.length, metadatas.length);
  for (const span of spans) {
    assert.equal(span.parentSpanId, undefined, 'a new root');
    assert.notEqual(span.traceId, '0af7651916cd43dd8448eb211c80319c');
  }
});

test('200 interleaved messages each continue their own trace', async (t) => {
  const { port } = await setup(t);
  const client: ClientProxy = traceClient(ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } }));
  t.after(() => client.close());
  const callers = Array.from({ length: 200 }, (_, n) => `00-${(n + 1).toString(16).padStart(32, 'a')}-${(n + 1).toString(16).padStart(16, 'b')}-01`);
  const replies = await Promise.all(
    callers.map((traceparent, n) =>
      runWithTraceContext({ traceparent }, `caller ${n}`, () =>
        firstValueFrom(client.send<Seen>('order.create', { n, delayMs: (n * 7) % 13 })),
      ),
    ),
  );
  const clients = await waitForSpans('send order.create', 200);
  const servers = await waitForSpans('process order.create', 200);
  for (const seen of replies) {
    const caller = spansNamed(`caller ${seen.n}`)[0]!;
    const { traceId, spanId } = parseTraceparent(seen.traceparent);
    assert.equal(traceId, parseTraceparent(callers[seen.n]).traceId, `message ${seen.n} stayed in its trace`);
    const server = servers.find((s) => s.spanId === spanId)!;
    const client = clients.find((c) => c.spanId === server.parentSpanId)!;
    assert.equal(client.parentSpanId, caller.spanId, `message ${seen.n}: server -> client -> caller`);
  }
});

for (const platform of PLATFORMS) {
  test(`a hybrid app on ${platform}: its HTTP route sends over TCP to its own connected microservice, one trace`, async (t) => {
    const defer = cleanupStack(t);
    resetFinishedSpans();
    const port = await freePort();
    const app = await startHybridGateway({ host: '127.0.0.1', port }, platform);
    defer(() => app.close());
    const { seen } = await assertGatewayTrace(app.origin, 'tcp', 11);
    assert.ok(seen.requestId !== undefined && seen.requestId.length > 0, 'the handler has a request context');
  });
}
