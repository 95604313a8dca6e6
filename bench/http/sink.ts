// The local OTLP collector stand-in: one process, one HTTP server on 127.0.0.1, that counts the
// spans each scenario exports. A scenario's exporter points at `/<scenario>/v1/traces` (any path
// under `/<scenario>/` counts, so an exporter that appends `/v1/traces` to its endpoint is
// attributed too). It answers 200 with an empty ExportTraceServiceResponse, as a collector does.
// It also stands in for a Datadog agent (`dd-trace-100` points DD_TRACE_AGENT_URL at it): paths
// under /v0.x/, /info, /telemetry/, /evp_proxy/ are agent traffic, counted under 'datadog-agent'
// (traces from the X-Datadog-Trace-Count header) and answered 200 `{}`, which leaves dd-trace's
// sampling at its default.
// The runner reads the counts over IPC: {type:'counts'} → {type:'counts', spans, exports, bad}.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { countJsonSpans, countProtobufSpans } from './otlp-span-count.js';

export interface SinkCounts {
  readonly type: 'counts';
  /** Spans received per scenario (first path segment). */
  readonly spans: Record<string, number>;
  /** Export requests received per scenario. */
  readonly exports: Record<string, number>;
  /** Bodies that could not be counted, per scenario: a broken exporter shows here. */
  readonly bad: Record<string, number>;
}

const spans: Record<string, number> = {};
const exports: Record<string, number> = {};
const bad: Record<string, number> = {};

function bump(table: Record<string, number>, key: string, by: number): void {
  table[key] = (table[key] ?? 0) + by;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = request.url ?? '/';
    if (url.startsWith('/v0.') || url === '/info' || url.startsWith('/telemetry/') || url.startsWith('/evp_proxy/')) {
      bump(exports, 'datadog-agent', 1);
      bump(spans, 'datadog-agent', Number(request.headers['x-datadog-trace-count'] ?? 0) || 0);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const slash = url.indexOf('/', 1);
    const scenario = url.slice(1, slash === -1 ? url.length : slash);
    let body = Buffer.concat(chunks);
    let count = -1;
    try {
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const json = (request.headers['content-type'] ?? '').includes('json');
      count = json ? countJsonSpans(body.toString('utf8')) : countProtobufSpans(body);
    } catch {
      count = -1;
    }
    bump(exports, scenario, 1);
    if (count < 0) {
      bump(bad, scenario, 1);
      response.writeHead(400, { 'content-type': 'text/plain' }).end('cannot count spans in this body');
      return;
    }
    bump(spans, scenario, count);
    const json = (request.headers['content-type'] ?? '').includes('json');
    response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
  });
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'counts') process.send?.({ type: 'counts', spans, exports, bad } satisfies SinkCounts);
  else if (message.type === 'close') process.exit(0);
});
// The runner is gone: nothing will read the counts.
process.once('disconnect', () => process.exit(0));
