// Nest microservices over MQTT 5 with a real broker (Debian's mosquitto, one for the file on a
// free port): the trace travels in the user properties of an MqttRecord, read back from
// MqttContext. Plain data has no header field in MQTT, so the gateway wraps its data.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ClientProxyFactory, MqttRecordBuilder, Transport } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { runWithTraceContext } from '../../../engine/index.js';
import { traceClient } from '../../../nest/microservices/index.js';
import { resetFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startMosquitto, type StartedServer } from '../../helpers/servers.js';
import { INCOMING, ORDERS, assertEmitTrace, assertGatewayTrace, oneSpan, startGateway, startOrders } from './fixtures.js';

interface MqttPacket {
  properties?: { userProperties?: Record<string, string | string[]> };
}
interface MqttClient {
  on(event: 'connect', fn: () => void): void;
  on(event: 'message', fn: (topic: string, payload: Buffer, packet: MqttPacket) => void): void;
  subscribeAsync(topic: string): Promise<unknown>;
  endAsync(): Promise<void>;
}
const mqtt = createRequire(import.meta.url)('mqtt') as {
  connectAsync(url: string, options: { protocolVersion: 5 }): Promise<MqttClient>;
};

let broker: StartedServer;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker?.stop());

const record = (data: { n: number }) => new MqttRecordBuilder(data).setQoS(1).build();

async function setup(t: { after(fn: () => unknown): void }) {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const options = { url: broker.url, protocolVersion: 5 as const };
  const orders = await startOrders({ transport: Transport.MQTT, options });
  defer(() => orders.close());
  const gateway = await startGateway({ name: ORDERS, transport: Transport.MQTT, options }, undefined, record);
  defer(() => gateway.close());
  return gateway.origin;
}

test('gateway HTTP -> send over MQTT 5 -> reply is one trace with the right parents', async (t) => {
  const origin = await setup(t);
  await assertGatewayTrace(origin, 'mqtt', 9);
});

test('MQTT emit: a producer span on the gateway, a consumer span in the microservice, same trace', async (t) => {
  const origin = await setup(t);
  await assertEmitTrace(origin, 'mqtt', 10);
});

test('MQTT 5: the broker delivers the trace as user properties, the record keeps its own, the body stays the data', async (t) => {
  await setup(t); // its gateway is the tracing runtime of the process
  const tap = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  t.after(() => tap.endAsync());
  const delivered = new Promise<{ payload: Buffer; packet: MqttPacket }>((resolve) => {
    tap.on('message', (_topic, payload, packet) => resolve({ payload, packet }));
  });
  await tap.subscribeAsync('order.tapped');
  const client = ClientProxyFactory.create({ transport: Transport.MQTT, options: { url: broker.url, protocolVersion: 5 } });
  t.after(() => client.close());
  traceClient(client);
  const data = new MqttRecordBuilder({ n: 11 }).setProperties({ userProperties: { 'x-tenant': 'acme' } }).build();
  await runWithTraceContext({ traceparent: INCOMING }, 'caller', () =>
    lastValueFrom(client.emit('order.tapped', data), { defaultValue: undefined }),
  );
  const { payload, packet } = await delivered;
  const producer = await oneSpan('publish order.tapped');
  assert.equal(producer.traceId, '0af7651916cd43dd8448eb211c80319c');
  const properties = packet.properties?.userProperties ?? {};
  assert.equal(properties.traceparent, `00-${producer.traceId}-${producer.spanId}-01`);
  assert.equal(properties['x-tenant'], 'acme');
  assert.deepEqual(JSON.parse(payload.toString('utf8')), { pattern: 'order.tapped', data: { n: 11 } });
});
