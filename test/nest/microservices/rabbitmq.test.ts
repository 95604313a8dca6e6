// Nest microservices over RabbitMQ with a real broker (Debian's rabbitmq-server, one node for the
// file on a free port): the trace travels in AMQP message headers, read back from RmqContext.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ClientProxyFactory, Transport, type RmqOptions } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { runWithTraceContext } from '../../../engine/index.js';
import { traceClient } from '../../../nest/microservices/index.js';
import { resetFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startRabbitMq, type StartedServer } from '../../helpers/servers.js';
import { INCOMING, ORDERS, assertEmitTrace, assertGatewayTrace, oneSpan, startGateway, startOrders } from './fixtures.js';

interface AmqpMessage {
  content: Buffer;
  properties: { headers?: Record<string, unknown> };
}
interface AmqpChannel {
  assertQueue(name: string, options: { durable: boolean }): Promise<unknown>;
  consume(queue: string, onMessage: (message: AmqpMessage | null) => void, options: { noAck: boolean }): Promise<unknown>;
}
interface AmqpConnection {
  createChannel(): Promise<AmqpChannel>;
  close(): Promise<void>;
}
const amqplib = createRequire(import.meta.url)('amqplib') as { connect(url: string): Promise<AmqpConnection> };

let broker: StartedServer;
before(async () => {
  broker = await startRabbitMq();
});
after(() => broker?.stop());

let queues = 0;
/** Options for a queue of this test's own, so no message of an earlier test reaches it. */
function rmq(): RmqOptions['options'] {
  return { urls: [broker.url], queue: `orders-${process.pid}-${++queues}`, queueOptions: { durable: false } };
}

async function setup(t: { after(fn: () => unknown): void }) {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const options = rmq();
  const orders = await startOrders({ transport: Transport.RMQ, options });
  defer(() => orders.close());
  const gateway = await startGateway({ name: ORDERS, transport: Transport.RMQ, options });
  defer(() => gateway.close());
  return gateway.origin;
}

test('gateway HTTP -> send over RabbitMQ -> reply is one trace with the right parents', async (t) => {
  const origin = await setup(t);
  await assertGatewayTrace(origin, 'rabbitmq', 6);
});

test('RabbitMQ emit: a producer span on the gateway, a consumer span in the microservice, same trace', async (t) => {
  const origin = await setup(t);
  await assertEmitTrace(origin, 'rabbitmq', 7);
});

test('RabbitMQ: the broker delivers the trace as AMQP message headers, the body stays the data', async (t) => {
  await setup(t); // its gateway is the tracing runtime of the process
  const options = rmq();
  const connection = await amqplib.connect(broker.url);
  t.after(() => connection.close());
  const channel = await connection.createChannel();
  await channel.assertQueue(options!.queue!, { durable: false });
  const delivered = new Promise<AmqpMessage>((resolve) => {
    void channel.consume(options!.queue!, (message) => message !== null && resolve(message), { noAck: true });
  });
  const client = ClientProxyFactory.create({ transport: Transport.RMQ, options });
  t.after(() => client.close());
  traceClient(client);
  await runWithTraceContext({ traceparent: INCOMING }, 'caller', () =>
    lastValueFrom(client.emit('order.created', { n: 8 }), { defaultValue: undefined }),
  );
  const message = await delivered;
  const producer = await oneSpan('publish order.created');
  assert.equal(String(message.properties.headers?.traceparent), `00-${producer.traceId}-${producer.spanId}-01`);
  assert.equal(producer.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.deepEqual(JSON.parse(message.content.toString('utf8')), { pattern: 'order.created', data: { n: 8 } });
});
