// Reads the propagation headers of an incoming message from its RPC context: the counterpart
// of client-carrier.ts, transport by transport. Everything here is input from the network (or
// from a producer that is not Nest): any shape is possible, nothing may throw, and only the
// propagator's own fields are ever read.

import {
  KafkaContext,
  MqttContext,
  NatsContext,
  RedisContext,
  RmqContext,
  TcpContext,
} from '@nestjs/microservices';
import { createCarrierHeaders, readCarrier, type CarrierHeaders } from '../../engine/index.js';

/** Longest header value taken from a binary header (Kafka, AMQP) before decoding it. */
const MAX_BINARY_HEADER = 8192;

interface HeaderGetter {
  get(name: string): unknown;
}

/** A header value as a string, decoding Buffers (Kafka, AMQP) and taking one of a list. */
function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    return value.length <= MAX_BINARY_HEADER ? Buffer.from(value.buffer, value.byteOffset, value.length).toString('latin1') : undefined;
  }
  // Kafka and MQTT allow a repeated header as an array; a repeated id header is not trusted
  // unless it is a single value (as the propagators treat repeated HTTP headers).
  if (Array.isArray(value) && value.length === 1) return asString(value[0]);
  return undefined;
}

function fromGetter(getter: HeaderGetter, fields: readonly string[]): CarrierHeaders | null {
  let headers: CarrierHeaders | null = null;
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!;
    // NATS MsgHdrs#get returns '' for an absent header.
    const value = asString(getter.get(name));
    if (value === undefined || value === '') continue;
    if (headers === null) headers = createCarrierHeaders();
    headers[name] = value;
  }
  return headers;
}

function fromRecord(record: unknown, fields: readonly string[]): CarrierHeaders | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  return fromGetter({ get: (name) => (record as Record<string, unknown>)[name] }, fields);
}

function rawCarrier(ctx: unknown, fields: readonly string[]): CarrierHeaders | null {
  if (ctx instanceof TcpContext || ctx instanceof RedisContext) return readCarrier(ctx.getMetadata(), fields);
  if (ctx instanceof NatsContext) {
    const headers = ctx.getHeaders() as Partial<HeaderGetter> | undefined;
    return headers !== undefined && headers !== null && typeof headers.get === 'function'
      ? fromGetter(headers as HeaderGetter, fields)
      : null;
  }
  if (ctx instanceof RmqContext) return fromRecord(ctx.getMessage()?.properties?.headers, fields);
  if (ctx instanceof KafkaContext) return fromRecord(ctx.getMessage()?.headers, fields);
  if (ctx instanceof MqttContext) return fromRecord(ctx.getPacket()?.properties?.userProperties, fields);
  // A custom transport that follows Nest's convention of a getMetadata() on its context.
  const withMetadata = ctx as { getMetadata?: unknown } | null;
  if (typeof withMetadata === 'object' && withMetadata !== null && typeof withMetadata.getMetadata === 'function') {
    return readCarrier((withMetadata.getMetadata as () => unknown).call(ctx), fields);
  }
  return null;
}

/**
 * The propagation headers of the message behind `ctx`, or null when it carries none or they
 * cannot be read. Never throws.
 */
export function readMessageCarrier(ctx: unknown, fields: readonly string[]): CarrierHeaders | null {
  try {
    return rawCarrier(ctx, fields);
  } catch {
    // A getter on a hostile header object, a context whose args were replaced: no parent.
    return null;
  }
}

/** The destination of the message behind `ctx` (pattern, channel, subject or topic). */
export function messageDestination(ctx: unknown): string {
  try {
    if (ctx instanceof TcpContext || ctx instanceof RmqContext) return String(ctx.getPattern());
    if (ctx instanceof RedisContext) return String(ctx.getChannel());
    if (ctx instanceof NatsContext) return String(ctx.getSubject());
    if (ctx instanceof KafkaContext || ctx instanceof MqttContext) return String(ctx.getTopic());
  } catch {
    // fall through
  }
  return '';
}
