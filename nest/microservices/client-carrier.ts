// Where each transport's client puts the propagation headers of an outgoing packet, written
// from ClientProxy#setOnDispatchHook. Checked against @nestjs/microservices 12.1 (tests in
// test/nest/microservices/platform-facts.test.ts):
// - TCP, Redis: `packet.metadata` travels and the server reads it with `getMetadata()`.
// - NATS: metadata only lands in the JSON body (NatsContext has no getMetadata), so the
//   headers go in NATS message headers: `packet.headers`, or the headers of a NatsRecord.
// - RabbitMQ: AMQP message headers, through the publish options the RmqRecordSerializer reads
//   (`packet.options`, or the options of an RmqRecord).
// - Kafka: the message's `headers`, when the data is a Kafka message (`{ key?, value, headers? }`).
// - MQTT: MQTT 5 user properties of an MqttRecord (plain MQTT packets have no header field).
// Any other client (a custom strategy) gets `packet.metadata`, the transport-neutral slot.

import { createRequire } from 'node:module';
import {
  ClientKafka,
  ClientMqtt,
  ClientNats,
  ClientRedis,
  ClientRMQ,
  ClientTCP,
  MqttRecord,
  NatsRecord,
  RmqRecord,
  type ClientProxy,
  type ReadPacket,
} from '@nestjs/microservices';

/** Writes propagation headers (lower-case names, string values) into an outgoing packet. */
export type CarrierWriter = (packet: ReadPacket, headers: Record<string, string>) => void;

interface ClientTransport {
  /** `messaging.system` of the spans (OpenTelemetry messaging conventions). */
  readonly system: string;
  readonly write: CarrierWriter;
}

interface NatsHeaders {
  set(name: string, value: string): void;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Any client. Not `ClientProxy<any, any>`: ClientRMQ's and ClientMqtt's typed `on()` make them
 * unassignable to it, so the parts this package uses are picked instead.
 */
export type AnyClientProxy = Pick<ClientProxy, 'send' | 'emit' | 'setOnDispatchHook'>;

function writeMetadata(packet: ReadPacket, headers: Record<string, string>): void {
  const existing = packet.metadata;
  packet.metadata = existing === undefined || existing === null ? headers : { ...existing, ...headers };
}

function setAll(target: NatsHeaders, headers: Record<string, string>): void {
  for (const name in headers) target.set(name, headers[name]!);
}

function natsWriter(): CarrierWriter {
  // The same lazy load ClientNats does in its constructor: @nats-io/transport-node is the
  // app's optional dependency, loaded only when the app has a NATS client.
  const nats = createRequire(import.meta.url)('@nats-io/transport-node') as { headers(): NatsHeaders };
  return (packet, headers) => {
    const data: unknown = packet.data;
    // NatsRecordSerializer sends a NatsRecord's own headers and ignores packet.headers.
    if (data instanceof NatsRecord) {
      const record = data as Writable<NatsRecord>;
      if (record.headers === undefined || record.headers === null) record.headers = nats.headers() as never;
      setAll(record.headers as unknown as NatsHeaders, headers);
      return;
    }
    const target = packet as ReadPacket & { headers?: NatsHeaders };
    if (target.headers === undefined || target.headers === null) {
      // Non-enumerable: NatsRecordSerializer reads `packet.headers` for the NATS headers, then
      // JSON-encodes `{ ...packet }` as the body, where an enumerable MsgHdrs would add
      // `"headers":{"_code":0,"headers":{},"_description":""}` to every message.
      Object.defineProperty(target, 'headers', { value: nats.headers(), enumerable: false, writable: true, configurable: true });
    }
    setAll(target.headers!, headers);
  };
}

function rmqWriter(packet: ReadPacket, headers: Record<string, string>): void {
  const data: unknown = packet.data;
  if (data instanceof RmqRecord) {
    const record = data as Writable<RmqRecord> & { options?: { headers?: Record<string, string> } };
    const options = record.options ?? {};
    record.options = { ...options, headers: { ...options.headers, ...headers } } as never;
    return;
  }
  // RmqRecordSerializer returns a plain packet as is and ClientRMQ publishes with its
  // `options` (then deletes them from the body).
  const target = packet as ReadPacket & { options?: { headers?: Record<string, string> } };
  const options = target.options ?? {};
  target.options = { ...options, headers: { ...options.headers, ...headers } };
}

function kafkaWriter(packet: ReadPacket, headers: Record<string, string>): void {
  const data: unknown = packet.data;
  // KafkaRequestSerializer keeps `headers` of a value shaped like a Kafka message.
  if (typeof data === 'object' && data !== null && ('value' in data || 'key' in data)) {
    const message = data as { headers?: Record<string, unknown> | null };
    message.headers = { ...message.headers, ...headers };
    return;
  }
  writeMetadata(packet, headers);
}

function mqttWriter(packet: ReadPacket, headers: Record<string, string>): void {
  const data: unknown = packet.data;
  if (data instanceof MqttRecord) {
    const record = data as Writable<MqttRecord> & { options?: { properties?: { userProperties?: Record<string, unknown> } } };
    const options = record.options ?? {};
    const properties = options.properties ?? {};
    record.options = {
      ...options,
      properties: { ...properties, userProperties: { ...properties.userProperties, ...headers } },
    } as never;
    return;
  }
  writeMetadata(packet, headers);
}

/** The transport of a client, resolved once when the client is instrumented. */
export function clientTransport(client: AnyClientProxy): ClientTransport {
  if (client instanceof ClientTCP) return { system: 'tcp', write: writeMetadata };
  if (client instanceof ClientRedis) return { system: 'redis', write: writeMetadata };
  if (client instanceof ClientNats) return { system: 'nats', write: natsWriter() };
  if (client instanceof ClientRMQ) return { system: 'rabbitmq', write: rmqWriter };
  if (client instanceof ClientKafka) return { system: 'kafka', write: kafkaWriter };
  if (client instanceof ClientMqtt) return { system: 'mqtt', write: mqttWriter };
  return { system: 'custom', write: writeMetadata };
}
