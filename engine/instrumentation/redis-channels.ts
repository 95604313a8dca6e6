// Redis client spans from the TracingChannels ioredis and node-redis publish. Checked against
// ioredis 6.0.0 (`built/tracing.js`, `built/Redis.js`) and @redis/client 6.4.0
// (`dist/lib/client/tracing.js`, `dist/lib/client/index.js`):
//
// | channel            | message                                                                         |
// | ioredis:command    | command ('get', lower case), args (sanitised, without the command), database,   |
// |                    | serverAddress, serverPort                                                       |
// | ioredis:batch      | batchMode ('MULTI'), batchSize, database, serverAddress, serverPort             |
// | ioredis:connect    | serverAddress, serverPort, connectionEpoch                                      |
// | node-redis:command | command ('GET'), args (sanitised, command first), database, clientId,          |
// |                    | serverAddress, serverPort; batchMode/batchSize for a command of a batch         |
// | node-redis:batch   | batchMode ('MULTI' | 'PIPELINE'), batchSize, database, clientId, serverAddress, |
// |                    | serverPort                                                                      |
// | node-redis:connect | serverAddress, serverPort, clientId                                             |
//
// Both libraries replace argument values with `?` before publishing (values of SET, HSET...),
// keeping keys and structural arguments, so `db.query.text` never carries a stored value.
// Commands of a batch (and the handshake commands of a connect) run inside the batch's traced
// call: those channels are bound (`nest`), so the commands are children of the batch span.

import { SpanKind } from '../spans/span-data.js';
import { startCallSpan, type TracedMessage } from './channel-span.js';
import { subscribeCallChannel } from './call-channel.js';
import type { DbConfig } from './library-options.js';
import type { OutboundSpan, OutboundTracer } from './outbound-config.js';

interface RedisServer extends TracedMessage {
  readonly database?: number | string;
  readonly serverAddress?: string;
  readonly serverPort?: number;
}

interface RedisCommand extends RedisServer {
  readonly command: string;
  readonly args?: readonly string[];
}

interface RedisBatch extends RedisServer {
  readonly batchMode?: string;
  readonly batchSize?: number;
}

function namespaceOf(message: RedisServer): string | undefined {
  const db = message.database;
  return db === undefined ? undefined : String(db);
}

function commandSpan(tracer: OutboundTracer, message: RedisCommand, operation: string, text: string | undefined): OutboundSpan {
  return startCallSpan(tracer, message, operation, SpanKind.CLIENT, {
    'db.system.name': 'redis',
    'db.operation.name': operation,
    'db.namespace': namespaceOf(message),
    'db.query.text': text,
    'server.address': message.serverAddress,
    'server.port': message.serverPort,
  });
}

function batchSpan(tracer: OutboundTracer, message: RedisBatch): OutboundSpan {
  const mode = typeof message.batchMode === 'string' ? message.batchMode : 'BATCH';
  return startCallSpan(tracer, message, mode, SpanKind.CLIENT, {
    'db.system.name': 'redis',
    'db.operation.name': mode,
    'db.operation.batch.size': message.batchSize,
    'db.namespace': namespaceOf(message),
    'server.address': message.serverAddress,
    'server.port': message.serverPort,
  });
}

function connectSpan(tracer: OutboundTracer, message: RedisServer): OutboundSpan {
  return startCallSpan(tracer, message, 'connect', SpanKind.CLIENT, {
    'db.system.name': 'redis',
    'db.operation.name': 'connect',
    'server.address': message.serverAddress,
    'server.port': message.serverPort,
  });
}

/** `args` joined after `head` with single spaces ('GET user:1'). */
function joinArgs(head: string, args: readonly string[] | undefined, from: number): string {
  let text = head;
  if (args !== undefined) for (let i = from; i < args.length; i++) text += ' ' + args[i];
  return text;
}

/** ioredis 5.11+: commands, MULTI batches and connects. Returns the unsubscriber. */
export function instrumentIoredis(tracer: OutboundTracer, config: DbConfig): () => void {
  const withText = config.dbStatement !== 'off';
  const undo = [
    subscribeCallChannel<RedisCommand>('ioredis:command', {
      begin(message) {
        const operation = message.command.toUpperCase();
        return commandSpan(tracer, message, operation, withText ? joinArgs(operation, message.args, 0) : undefined);
      },
    }),
    subscribeCallChannel<RedisBatch>('ioredis:batch', { begin: (message) => batchSpan(tracer, message), nest: true }),
    subscribeCallChannel<RedisServer>('ioredis:connect', { begin: (message) => connectSpan(tracer, message), nest: true }),
  ];
  return () => {
    for (const u of undo) u();
  };
}

/** node-redis (`redis` / `@redis/client`) 5.12+: commands and MULTI/PIPELINE batches. Returns the unsubscriber. */
export function instrumentNodeRedis(tracer: OutboundTracer, config: DbConfig): () => void {
  const withText = config.dbStatement !== 'off';
  const undo = [
    subscribeCallChannel<RedisCommand>('node-redis:command', {
      begin(message) {
        const operation = message.command;
        // args[0] is the command as the caller wrote it; the span shows it upper case.
        return commandSpan(tracer, message, operation, withText ? joinArgs(operation, message.args, 1) : undefined);
      },
    }),
    subscribeCallChannel<RedisBatch>('node-redis:batch', { begin: (message) => batchSpan(tracer, message), nest: true }),
    subscribeCallChannel<RedisServer>('node-redis:connect', { begin: (message) => connectSpan(tracer, message), nest: true }),
  ];
  return () => {
    for (const u of undo) u();
  };
}
