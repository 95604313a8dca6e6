// Span names and attributes of microservice messages, after the OpenTelemetry messaging
// semantic conventions (v1.27+): name `{messaging.operation.name} {destination}`, attributes
// `messaging.system`, `messaging.destination.name`, `messaging.operation.type` / `.name`.
// `send` is a request awaiting a reply (span kind client on the caller, server on the
// handler); `emit` is an event (producer on the caller, consumer on the handler).

import { Transport } from '@nestjs/microservices';
import type { Attributes } from '../../engine/index.js';

/** A message pattern as the span's destination: strings as they are, objects as JSON. */
function patternName(pattern: unknown): string {
  if (typeof pattern === 'string') return pattern;
  try {
    const json = JSON.stringify(pattern);
    return typeof json === 'string' ? json : String(pattern);
  } catch {
    // A cyclic or deeply nested pattern (Nest itself maps these to a placeholder).
    return '<unserializable>';
  }
}

/** `messaging.system` values (OpenTelemetry's well-known names where one exists) by Transport. */
const SYSTEMS: Readonly<Record<number, string>> = {
  [Transport.TCP]: 'tcp',
  [Transport.REDIS]: 'redis',
  [Transport.NATS]: 'nats',
  [Transport.MQTT]: 'mqtt',
  [Transport.GRPC]: 'grpc',
  [Transport.RMQ]: 'rabbitmq',
  [Transport.KAFKA]: 'kafka',
};

/** `messaging.system` for a server's transport id (a Transport enum value or a custom symbol). */
export function transportSystem(transportId: unknown): string {
  if (typeof transportId === 'number') return SYSTEMS[transportId] ?? 'custom';
  return typeof transportId === 'symbol' ? (transportId.description ?? 'custom') : 'custom';
}

type MessageOperation = 'send' | 'publish' | 'process';

export function messageAttributes(system: string, destination: string, operation: MessageOperation): Attributes {
  return {
    'messaging.system': system,
    'messaging.destination.name': destination,
    'messaging.operation.type': operation === 'publish' ? 'send' : operation,
    'messaging.operation.name': operation,
  };
}

/** Span name and attributes of an outgoing message (shared, immutable). */
interface ClientMessage {
  readonly name: string;
  readonly attributes: Attributes;
}

/**
 * The messages of one client: name and attributes built once per (operation, pattern) and
 * reused. Capped: a client may build patterns from data (`user.${id}`); past the cap each such
 * message builds its own.
 */
export class ClientMessages {
  static readonly MAX_CACHED_PATTERNS = 1024;
  private readonly system: string;
  private readonly send = new Map<string, ClientMessage>();
  private readonly publish = new Map<string, ClientMessage>();

  constructor(system: string) {
    this.system = system;
  }

  of(pattern: unknown, operation: 'send' | 'publish'): ClientMessage {
    const destination = patternName(pattern);
    const cache = operation === 'send' ? this.send : this.publish;
    let message = cache.get(destination);
    if (message === undefined) {
      message = Object.freeze({
        name: operation + ' ' + destination,
        attributes: Object.freeze(messageAttributes(this.system, destination, operation)),
      });
      if (cache.size < ClientMessages.MAX_CACHED_PATTERNS) cache.set(destination, message);
    }
    return message;
  }
}
