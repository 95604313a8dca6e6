// SQL client spans from the TracingChannels mysql2 publishes. Checked against mysql2 3.26.1
// (`lib/tracing.js`, `lib/base/connection.js`):
//
// | channel        | message                                                                  |
// | mysql2:query   | query (the statement with the caller's values already formatted in),     |
// |                | values, database ('' when none), serverAddress, serverPort               |
// | mysql2:execute | query (the prepared statement, `?` placeholders), values, database, ...   |
//
// mysql2 traces callback calls with traceCallback (mysql2/promise goes through them too) and
// calls without a callback with tracePromise. The callback runs from the connection's socket,
// so `asyncStart` is bound to the caller's store (`callbacks`): it runs in the request that
// made the query. `mysql2:connect` and `mysql2:pool:connect` are not traced: a pooled
// connection is opened once, outside most requests.

import { SpanKind } from '../spans/span-data.js';
import { startCallSpan, type TracedMessage } from './channel-span.js';
import { subscribeCallChannel } from './call-channel.js';
import type { DbConfig } from './library-options.js';
import type { OutboundSpan, OutboundTracer } from './outbound-config.js';
import { sanitizeSql, sqlOperation } from './sql-text.js';

interface SqlCall extends TracedMessage {
  readonly query?: unknown;
  readonly database?: string;
  readonly serverAddress?: string;
  readonly serverPort?: number;
}

/** OpenTelemetry: `{db.operation.name} {db.namespace}`, either part left out when unknown, `mysql` when both are. */
function spanName(operation: string, namespace: string): string {
  if (operation === '') return namespace === '' ? 'mysql' : namespace;
  return namespace === '' ? operation : operation + ' ' + namespace;
}

function sqlSpan(tracer: OutboundTracer, config: DbConfig, message: SqlCall): OutboundSpan {
  const sql = typeof message.query === 'string' ? message.query : '';
  const operation = sqlOperation(sql);
  const namespace = typeof message.database === 'string' ? message.database : '';
  const mode = config.dbStatement;
  return startCallSpan(tracer, message, spanName(operation, namespace), SpanKind.CLIENT, {
    'db.system.name': 'mysql',
    'db.operation.name': operation === '' ? undefined : operation,
    'db.namespace': namespace === '' ? undefined : namespace,
    'db.query.text': mode === 'off' || sql === '' ? undefined : mode === 'raw' ? sql : sanitizeSql(sql),
    'server.address': message.serverAddress,
    'server.port': message.serverPort,
  });
}

/** mysql2 3.20+: `query` and `execute`. Returns the unsubscriber. */
export function instrumentMysql2(tracer: OutboundTracer, config: DbConfig): () => void {
  const begin = (message: SqlCall): OutboundSpan => sqlSpan(tracer, config, message);
  const undoQuery = subscribeCallChannel<SqlCall>('mysql2:query', { begin, callbacks: true });
  const undoExecute = subscribeCallChannel<SqlCall>('mysql2:execute', { begin, callbacks: true });
  return () => {
    undoQuery();
    undoExecute();
  };
}
