// A real node:http server for conformance tests: every request's headers go through Node's own
// parser (lower-cased names, repeated headers joined with ", ", OWS trimmed) before the
// propagator sees them, exactly as in a service. The reply is what the service would do:
// the extracted parent (or null) and the headers of one outgoing call made from it.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRootTraceContext } from '../../engine/propagation/trace-context.js';
import type { Propagator } from '../../engine/propagation/propagator.js';

export interface Extracted {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
}

export interface Exchange {
  /** The parent the service continued, or null when it started a new trace. */
  readonly extracted: Extracted | null;
  /** Headers of the outgoing call: a child of the parent, or a new root. */
  readonly outgoing: Record<string, string>;
}

export interface PropagationServer {
  /** Sends one request with these headers (array value = repeated header, names sent as written). */
  send(headers: Record<string, string | string[]>): Promise<Exchange>;
  close(): Promise<void>;
}

export async function startPropagationServer(propagator: Propagator): Promise<PropagationServer> {
  const server = http.createServer((req, res) => {
    const parent = propagator.extract(req.headers);
    const child = parent === null ? createRootTraceContext(true) : parent.createChild();
    const outgoing: Record<string, string> = {};
    propagator.inject(child, outgoing);
    const extracted =
      parent === null
        ? null
        : { traceId: parent.traceId, spanId: parent.spanId, traceFlags: parent.traceFlags, traceState: parent.traceState };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ extracted, outgoing }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    send(headers) {
      return new Promise<Exchange>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: '/', headers, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(JSON.parse(body) as Exchange));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
