// RabbitMQ, Kafka and MQTT carry the trace in their own message headers. Each carrier is checked
// one step short of the wire: the header written by the dispatch hook, passed through that
// transport's real Nest serializer, and read back from that transport's real RPC context, with
// the edge cases a broker cannot be made to send. RabbitMQ and MQTT also run against real
// brokers (rabbitmq.test.ts, mqtt.test.ts); Kafka has no broker here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientKafka,
  ClientMqtt,
  ClientRMQ,
  KafkaContext,
  MqttContext,
  MqttRecordBuilder,
  RmqContext,
  RmqRecordBuilder,
  type ReadPacket,
} from '@nestjs/microservices';
import { KafkaRequestSerializer } from '@nestjs/microservices/serializers/kafka-request.serializer.js';
import { MqttRecordSerializer } from '@nestjs/microservices/serializers/mqtt-record.serializer.js';
import { RmqRecordSerializer } from '@nestjs/microservices/serializers/rmq-record.serializer.js';
import { w3cPropagator } from '../../../engine/index.js';
import { clientTransport } from '../../../nest/microservices/client-carrier.js';
import { readMessageCarrier } from '../../../nest/microservices/server-carrier.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const HEADERS = { traceparent: TRACEPARENT, tracestate: 'vendor=1' };
const FIELDS = w3cPropagator.fields;

/** A client of a transport whose library is not installed: the class, without its constructor. */
function clientOf<T extends object>(type: { prototype: T }): T {
  return Object.create(type.prototype) as T;
}

test('RabbitMQ: AMQP message headers through publish options; RmqContext message headers read back', () => {
  const { system, write } = clientTransport(clientOf(ClientRMQ));
  assert.equal(system, 'rabbitmq');
  const plain: ReadPacket = { pattern: 'order.create', data: { n: 1 } };
  write(plain, HEADERS);
  const serialized = new RmqRecordSerializer().serialize(plain as never) as { options?: { headers?: Record<string, string> } };
  assert.deepEqual(serialized.options?.headers, HEADERS);

  const record = new RmqRecordBuilder({ n: 2 }).setOptions({ headers: { 'x-tenant': 'acme' }, priority: 3 }).build();
  const withRecord: ReadPacket = { pattern: 'order.create', data: record };
  write(withRecord, HEADERS);
  const fromRecord = new RmqRecordSerializer().serialize(withRecord as never) as { options?: { headers?: Record<string, string>; priority?: number } };
  assert.deepEqual(fromRecord.options?.headers, { 'x-tenant': 'acme', ...HEADERS });
  assert.equal(fromRecord.options?.priority, 3);

  // amqplib delivers string headers as Buffers or strings depending on the producer.
  const message = { properties: { headers: { traceparent: Buffer.from(TRACEPARENT), tracestate: 'vendor=1' } } };
  assert.deepEqual({ ...readMessageCarrier(new RmqContext([message, {}, 'order.create']), FIELDS) }, HEADERS);
});

test('Kafka: message headers when the data is a Kafka message; KafkaContext headers (Buffers) read back', () => {
  const { system, write } = clientTransport(new ClientKafka({}));
  assert.equal(system, 'kafka');
  const packet: ReadPacket = { pattern: 'orders', data: { key: 'k1', value: { n: 1 }, headers: { 'x-tenant': 'acme' } } };
  write(packet, HEADERS);
  const serialized = new KafkaRequestSerializer().serialize(packet.data) as { headers: Record<string, string> };
  assert.deepEqual(serialized.headers, { 'x-tenant': 'acme', ...HEADERS });

  const message = { headers: { traceparent: Buffer.from(TRACEPARENT), tracestate: Buffer.from('vendor=1') }, value: null };
  const ctx = new KafkaContext([message as never, 0, 'orders', {} as never, (async () => {}) as never, {} as never]);
  assert.deepEqual({ ...readMessageCarrier(ctx, FIELDS) }, HEADERS);
});

test('MQTT 5: user properties of an MqttRecord; MqttContext user properties read back', () => {
  const { system, write } = clientTransport(clientOf(ClientMqtt));
  assert.equal(system, 'mqtt');
  const record = new MqttRecordBuilder({ n: 1 }).setQoS(1).build();
  const packet: ReadPacket = { pattern: 'orders', data: record };
  write(packet, HEADERS);
  assert.deepEqual(record.options?.properties?.userProperties, HEADERS);
  assert.equal(record.options?.qos, 1);
  // The body itself stays the user's data.
  assert.deepEqual(JSON.parse(new MqttRecordSerializer().serialize(packet as never) as string).data, { n: 1 });

  const incoming = { properties: { userProperties: { traceparent: TRACEPARENT, tracestate: ['vendor=1'] } } };
  assert.deepEqual({ ...readMessageCarrier(new MqttContext(['orders', incoming]), FIELDS) }, HEADERS);
});

test('hostile header objects on any transport read as no carrier, never a throw', () => {
  const throwing = new Proxy({}, {
    get() {
      throw new Error('boom');
    },
  });
  const contexts = [
    new RmqContext([{ properties: { headers: throwing } }, {}, 'p']),
    new RmqContext([null as never, {}, 'p']),
    new KafkaContext([{ headers: { traceparent: [Buffer.from('a'), Buffer.from('b')] } } as never, 0, 't', {} as never, (async () => {}) as never, {} as never]),
    new MqttContext(['t', { properties: { userProperties: { traceparent: 42 } } }]),
    new MqttContext(['t', throwing]),
  ];
  for (const ctx of contexts) assert.equal(readMessageCarrier(ctx, FIELDS), null);
  const huge = new KafkaContext([{ headers: { traceparent: Buffer.alloc(100_000, 0x61) } } as never, 0, 't', {} as never, (async () => {}) as never, {} as never]);
  assert.equal(readMessageCarrier(huge, FIELDS), null, 'an oversized binary header is not decoded');
});
