// Helpers of the metrics tests: a real HTTP sink on 127.0.0.1 that records what exporters
// send, the official OTLP metrics schema (copied under test/fixtures/otlp-proto with its
// LICENSE) loaded with protobufjs, and Prometheus samples read back with a real parser.

import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { buildResource } from '../../../engine/index.js';
import type { Resource } from '../../../engine/index.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Sink {
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  /** Status codes to answer with, in order; 200 once they run out. */
  readonly replies: Array<{ status: number; headers?: Record<string, string> }>;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const requests: ReceivedRequest[] = [];
  const replies: Sink['replies'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const reply = replies.shift() ?? { status: 200 };
      res.writeHead(reply.status, { 'content-type': req.headers['content-type'] ?? 'application/json', ...reply.headers });
      res.end(req.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Awaits `promise` with a ref'd timer open. The export transport's backoff timers are unref'd
 * (in an app the server keeps the loop alive); in a test nothing else would, and node:test
 * would cancel the test in the middle of a retry wait.
 */
export async function keepingAlive<T>(promise: Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}

/** The resource the exporter builds by default for `serviceName`, with no OTEL_* variables. */
export function testResource(serviceName: string): Resource {
  return buildResource(serviceName, undefined, {}, { warn: () => undefined });
}

const PROTO_ROOT = fileURLToPath(new URL('../../../../test/fixtures/otlp-proto/', import.meta.url));

let requestType: protobuf.Type | undefined;

/** ExportMetricsServiceRequest from the official .proto files. */
export function metricsRequestType(): protobuf.Type {
  if (requestType === undefined) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
    root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
    requestType = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  }
  return requestType;
}

/** Decodes a protobuf body into the OTLP/JSON shape (camelCase, 64-bit integers as strings, enums as numbers). */
export function decodeMetricsProto(body: Uint8Array): Record<string, unknown> {
  const type = metricsRequestType();
  return type.toObject(type.decode(body), { longs: String, enums: Number, defaults: false, arrays: false }) as Record<string, unknown>;
}

export interface PromSampleRow {
  readonly labels: Record<string, string>;
  readonly value: string;
}

/**
 * Every sample of a Prometheus text body, by sample name (`x_bucket`, `x_sum`, `x_count` kept
 * apart), parsed by parse-prometheus-text-format. That parser folds a histogram's samples
 * into one object only when the histogram has no labels (its flattenMetrics drops the label
 * sets of labelled ones), so histogram TYPE lines are left out of this second parse: the
 * samples then come back one by one with all their labels. Types are checked on the full parse.
 */
export function parsePromSamples(text: string, parse: (t: string) => Array<{ name: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> }>): Map<string, PromSampleRow[]> {
  const untyped = text
    .split('\n')
    .filter((line) => !(line.startsWith('# TYPE ') && line.endsWith(' histogram')))
    .join('\n');
  const out = new Map<string, PromSampleRow[]>();
  for (const family of parse(untyped)) {
    let rows = out.get(family.name);
    if (rows === undefined) out.set(family.name, (rows = []));
    for (const m of family.metrics) rows.push({ labels: m.labels ?? {}, value: m.value ?? '' });
  }
  return out;
}
