// Helpers for the outbound instrumentation tests: a real HTTP server on 127.0.0.1 that records
// what each call carried, a closed port for network failures, and the active trace set-up.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

export interface Sink {
  readonly origin: string;
  readonly port: number;
  readonly received: Received[];
}

/** A server that records each request and answers `/status/<code>` with that code, else 200. */
export async function startSink(): Promise<Sink> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const match = /^\/status\/(\d{3})/.exec(req.url ?? '');
      res.statusCode = match === null ? 200 : Number(match[1]);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, received };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** GET or POST with node:http; resolves with the status once the body is read. */
export function httpCall(url: string, options: http.RequestOptions = {}, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Count of headers named `name` (any case) exactly as they crossed the wire. */
export function rawCount(received: Received, name: string): number {
  let n = 0;
  for (let i = 0; i < received.rawHeaders.length; i += 2) if (received.rawHeaders[i]!.toLowerCase() === name) n++;
  return n;
}

export function parseTraceparent(value: unknown): { traceId: string; spanId: string; flags: string } {
  const match = typeof value === 'string' ? /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value) : null;
  if (match === null) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: match[1]!, spanId: match[2]!, flags: match[3]! };
}
