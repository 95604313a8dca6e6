// POSTs export bodies over node:http/node:https with one keep-alive agent per exporter.
// Not fetch: the outbound-HTTP instrumentation traces fetch and http, and an exporter must
// never trace its own requests (a span per export would feed itself). Every request is made
// outside any request context (`runOutsideContext`) and through an agent marked with
// EXPORT_AGENT, which the instrumentation checks to skip it.

import http from 'node:http';
import https from 'node:https';
import { gzip } from 'node:zlib';
import { runOutsideContext } from '../../context/index.js';
import { ErrorCodes, TraceContextError } from '../../errors.js';
import { MAX_ATTEMPTS, backoffMs, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

/** Set to `true` on every agent an exporter uses: HTTP instrumentation skips requests made through it. */
export const EXPORT_AGENT: unique symbol = Symbol.for('nestjs-trace-context.export-agent') as never;

/** Whether a request's agent belongs to an exporter (for HTTP instrumentation). */
export function isExportAgent(agent: unknown): boolean {
  return typeof agent === 'object' && agent !== null && (agent as { [EXPORT_AGENT]?: unknown })[EXPORT_AGENT] === true;
}

/** OTLP: "The client MUST NOT read more than 4 MiB of the response". */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

interface TransportOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly gzip: boolean;
}

interface PostResult {
  /** 0 when no response arrived (network error, timeout, shutdown). */
  readonly status: number;
  readonly body: Buffer;
  /** Retries made before this final result. */
  readonly retries: number;
  readonly error: Error | null;
}

interface Attempt {
  readonly status: number;
  readonly body: Buffer;
  readonly retryAfter: string | undefined;
  readonly error: Error | null;
}

function exportError(message: string, cause?: unknown): TraceContextError {
  return new TraceContextError(ErrorCodes.ERR_EXPORT_HTTP, message, cause === undefined ? undefined : { cause });
}

function gzipAsync(body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(body, (error, out) => (error === null ? resolve(out) : reject(error))));
}

export class HttpTransport {
  private readonly options: TransportOptions;
  private readonly agent: http.Agent;
  private readonly requestFn: typeof http.request;
  private readonly baseHeaders: Record<string, string>;
  /** Requests and backoff timers in flight, so shutdown can end them now. */
  private readonly active: Set<http.ClientRequest>;
  private readonly sleeping: Set<{ timer: NodeJS.Timeout; wake: () => void }>;
  private stopped: boolean;
  private retrying: boolean;

  constructor(options: TransportOptions) {
    this.options = options;
    const secure = options.url.protocol === 'https:';
    // One socket per exporter is enough (one export in flight); keep-alive avoids a TCP (and
    // TLS) handshake per batch.
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 2 }) : new http.Agent({ keepAlive: true, maxSockets: 2 });
    Object.defineProperty(this.agent, EXPORT_AGENT, { value: true });
    this.requestFn = secure ? https.request : http.request;
    this.baseHeaders = { ...options.headers, 'content-type': options.contentType };
    if (options.gzip) this.baseHeaders['content-encoding'] = 'gzip';
    this.active = new Set();
    this.sleeping = new Set();
    this.stopped = false;
    this.retrying = true;
  }

  /** Sends `body`, retrying as the OTLP spec says, until success, a final failure or `timeoutMs`. Never rejects. */
  async post(body: Buffer | string, timeoutMs: number): Promise<PostResult> {
    const deadline = Date.now() + timeoutMs;
    let payload: Buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (this.options.gzip) {
      try {
        payload = await gzipAsync(payload);
      } catch (error) {
        return { status: 0, body: Buffer.alloc(0), retries: 0, error: exportError('gzip failed', error) };
      }
    }
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return { status: 0, body: Buffer.alloc(0), retries, error: shutdownError() };
      const result = await this.attempt(payload, deadline);
      if (result.status >= 200 && result.status < 300) return { status: result.status, body: result.body, retries, error: null };
      const retryable = result.status === 0 ? result.error !== null && !isTimeout(result.error) : isRetryableStatus(result.status);
      const failure = result.error ?? exportError(`HTTP ${result.status}${describeBody(result.body)}`);
      if (!retryable || attempt >= MAX_ATTEMPTS || this.stopped || !this.retrying) return { status: result.status, body: result.body, retries, error: failure };
      const now = Date.now();
      const asked = parseRetryAfter(result.retryAfter, now);
      const wait = asked >= 0 ? asked : backoffMs(attempt);
      if (now + wait >= deadline) {
        return {
          status: result.status,
          body: result.body,
          retries,
          error: exportError(`${failure.message}; no retry: waiting ${wait} ms would pass the export timeout`, failure),
        };
      }
      await this.sleep(wait);
      if (!this.retrying) return { status: result.status, body: result.body, retries, error: exportError(`${failure.message}; no retry: shutting down`, failure) };
      retries++;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      entry.timer.unref();
      this.sleeping.add(entry);
    });
  }

  private attempt(payload: Buffer, deadline: number): Promise<Attempt> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return Promise.resolve({ status: 0, body: Buffer.alloc(0), retryAfter: undefined, error: timeoutError() });
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const finish = (attempt: Attempt): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.active.delete(request);
        resolve(attempt);
      };
      const fail = (error: Error): void => finish({ status: 0, body: Buffer.alloc(0), retryAfter: undefined, error });
      const request: http.ClientRequest = runOutsideContext(() =>
        this.requestFn(this.options.url, {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.baseHeaders, 'content-length': String(payload.length) },
        }),
      );
      this.active.add(request);
      const timer = setTimeout(() => {
        fail(timeoutError());
        request.destroy();
      }, remaining);
      timer.unref();
      request.on('error', (error) => fail(this.stopped ? shutdownError() : exportError(`request failed: ${error.message}`, error)));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        response.on('error', (error) => fail(exportError(`response failed: ${error.message}`, error)));
        response.on('aborted', () => fail(exportError('response aborted')));
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          finish({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            error: null,
          });
        });
      });
      request.end(payload);
    });
  }

  /** No new retries from now on; backoff waits end now (the attempt in progress may finish). */
  stopRetrying(): void {
    this.retrying = false;
    this.wakeSleepers();
  }

  private wakeSleepers(): void {
    for (const entry of this.sleeping) {
      clearTimeout(entry.timer);
      entry.wake();
    }
    this.sleeping.clear();
  }

  /** Ends in-flight requests and backoff waits now, and closes idle sockets. Idempotent. */
  shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.retrying = false;
    for (const request of this.active) request.destroy();
    this.wakeSleepers();
    this.agent.destroy();
  }
}

function timeoutError(): TraceContextError {
  return new TraceContextError(ErrorCodes.ERR_EXPORT_TIMEOUT, 'export timed out');
}

function shutdownError(): TraceContextError {
  return new TraceContextError(ErrorCodes.ERR_EXPORT_SHUTDOWN, 'exporter shut down before the export finished');
}

function isTimeout(error: Error): boolean {
  return (error as { code?: unknown }).code === ErrorCodes.ERR_EXPORT_TIMEOUT || (error as { code?: unknown }).code === ErrorCodes.ERR_EXPORT_SHUTDOWN;
}

/** A short, printable excerpt of an error body for the log line. */
function describeBody(body: Buffer): string {
  if (body.length === 0) return '';
  const text = body.subarray(0, 200).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim();
  return text === '' ? '' : `: ${text}`;
}
