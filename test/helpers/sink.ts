// A real HTTP collector for exporter tests: listens on 127.0.0.1, port 0, records every
// request (body un-gzipped) and answers as the test scripts it, including the failures a
// real collector shows: an error status with Retry-After, a slow answer, no answer at all,
// a connection dropped halfway through the request body. Other helpers' tests may use it.

import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { freePort } from './servers.js';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as received (possibly gzip). */
  readonly rawBody: Buffer;
  /** The body, gunzipped when content-encoding is gzip. */
  readonly body: Buffer;
}

/** What to do with one request. Default: 200 with an empty body. */
export interface SinkReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Wait this long after the body is read before answering. */
  readonly delayMs?: number;
  /** Read the body, then never answer (the socket stays open until the client gives up or the sink closes). */
  readonly hang?: boolean;
  /** Destroy the socket after the first body chunk arrives, before the body is complete. */
  readonly closeMidBody?: boolean;
}

export type SinkBehaviour = (request: ReceivedRequest, index: number) => SinkReply | undefined;

export interface Sink {
  /** `http://127.0.0.1:<port><path>` */
  url(path?: string): string;
  readonly port: number;
  /** Every complete request, in arrival order (a request cut mid-body is not recorded). */
  readonly requests: ReceivedRequest[];
  /** Requests seen, including cut ones. */
  attempts(): number;
  behave(behaviour: SinkBehaviour): void;
  /** Resolves once `count` complete requests have arrived (rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(behaviour: SinkBehaviour = () => undefined): Promise<Sink> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let current = behaviour;
  let attempts = 0;
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    const pending = waiters;
    waiters = [];
    for (const w of pending) w();
  };

  const server = http.createServer((req, res) => {
    const index = attempts++;
    const chunks: Buffer[] = [];
    let cut = false;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (cut) return;
      const peek = current({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody: chunk, body: chunk }, index);
      if (peek?.closeMidBody === true) {
        cut = true;
        req.socket.destroy();
      }
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (cut) return;
      const rawBody = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody;
      const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body };
      const reply = current(received, index) ?? {};
      requests.push(received);
      notify();
      if (reply.hang === true) return;
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body ?? '');
      };
      if (reply.delayMs !== undefined && reply.delayMs > 0) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    requests,
    attempts: () => attempts,
    behave(next) {
      current = next;
    },
    waitForRequests(count, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sink: ${requests.length} of ${count} requests after ${timeoutMs} ms`)), timeoutMs);
        const check = (): void => {
          if (requests.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (a free port, see freePort): connections are refused. */
export async function refusedUrl(path = '/'): Promise<string> {
  return `http://127.0.0.1:${await freePort()}${path}`;
}
