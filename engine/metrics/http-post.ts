// POST one OTLP body with the retry rules of the OTLP/HTTP spec (protocol/exporter.md,
// "Retryable Response Codes"): only 429, 502, 503, 504 and dropped connections are retried,
// `Retry-After` (seconds or an HTTP date) is honoured, otherwise exponential backoff with
// jitter as OpenTelemetry JS does (x1.5, capped at 5 s, ±20%). No retry may run past the
// export deadline. Never rejects: the result says what happened.
// Dedup note: engine/export/transport/ is meant to hold the trace exporters' transport; when
// it is committed, the metrics exporter should share it.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  readonly ok: boolean;
  /** Last HTTP status, 0 when no response arrived. */
  readonly status: number;
  readonly attempts: number;
  /** Why it failed, '' on success. */
  readonly error: string;
}

export interface PostSettings {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_BACKOFF_MS = 5000;
/** OTLP/HTTP spec: the default response size limit is 4 MiB; a longer body is not read. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

interface Attempt {
  status: number;
  retryAfterMs: number;
  error: string;
}

function once(settings: PostSettings, body: Uint8Array, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const send = settings.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(settings.url, {
      method: 'POST',
      headers: { ...settings.headers, 'content-length': String(body.length) },
      timeout: timeoutMs,
    });
    let settled = false;
    const finish = (a: Attempt): void => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    req.on('response', (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('close', () => {
        const status = res.statusCode ?? 0;
        finish({ status, retryAfterMs: parseRetryAfter(res.headers['retry-after']), error: status >= 200 && status < 300 ? '' : `HTTP ${status}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (err) => finish({ status: 0, retryAfterMs: -1, error: err.message }));
    req.end(body);
  });
}

/** Retry-After in ms, or -1 when absent or unreadable (RFC 9110 §10.2.3: delay-seconds or an HTTP-date). */
export function parseRetryAfter(value: string | undefined): number {
  if (value === undefined) return -1;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? -1 : Math.max(0, date - Date.now());
}

export async function postWithRetry(settings: PostSettings, body: Uint8Array): Promise<PostResult> {
  const deadline = Date.now() + settings.timeoutMs;
  let backoff = settings.initialBackoffMs;
  let last: Attempt = { status: 0, retryAfterMs: -1, error: 'not sent' };
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, status: last.status, attempts: attempt - 1, error: `${last.error}; export timeout reached` };
    last = await once(settings, body, left);
    if (last.status >= 200 && last.status < 300) return { ok: true, status: last.status, attempts: attempt, error: '' };
    const retryable = last.status === 0 || RETRYABLE.has(last.status);
    if (!retryable || attempt === settings.maxAttempts) return { ok: false, status: last.status, attempts: attempt, error: last.error };
    const jittered = backoff * (0.8 + Math.random() * 0.4);
    const delay = last.retryAfterMs >= 0 ? last.retryAfterMs : jittered;
    if (Date.now() + delay >= deadline) {
      return { ok: false, status: last.status, attempts: attempt, error: `${last.error}; next retry would pass the export timeout` };
    }
    // Not unref'd: an export in progress (e.g. the last one at shutdown) should finish its
    // retries, and the wait is bounded by the export timeout.
    await new Promise((r) => setTimeout(r, delay));
    backoff = Math.min(backoff * 1.5, MAX_BACKOFF_MS);
  }
  return { ok: false, status: last.status, attempts: settings.maxAttempts, error: last.error };
}
