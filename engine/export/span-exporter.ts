// What the batch processor needs from an exporter. Serializing and sending are two steps so
// the pooled span records go back to the pool as soon as every exporter has serialized a
// batch: a slow backend then holds only bytes, never span records, and never delays another
// exporter's batch.

import type { SpanData } from '../spans/span-data.js';

/** How one send ended. `accepted + rejected + failed` = the payload's span count. */
export interface SendOutcome {
  /** Spans the backend accepted. */
  readonly accepted: number;
  /** Spans the backend refused in a partial success (OTLP `rejected_spans`). */
  readonly rejected: number;
  /** Spans lost to an error (non-retryable status, retries exhausted, timeout, shutdown). */
  readonly failed: number;
  /** Requests re-sent after a retryable failure. */
  readonly retries: number;
  /** Why spans were lost, when some were. */
  readonly error: Error | null;
}

export interface SpanExporter<P = unknown> {
  /** For stats and log lines, e.g. `otlp http/protobuf http://collector:4318/v1/traces`. */
  readonly name: string;
  /**
   * Reads `spans[0 .. count)` synchronously and returns a self-contained payload (bytes, a
   * string, plain copies). Must not keep any reference to a span: they are released after.
   */
  serialize(spans: readonly SpanData[], count: number): P;
  /** Delivers one payload within `timeoutMs`. Never rejects. */
  send(payload: P, count: number, timeoutMs: number): Promise<SendOutcome>;
  /**
   * The pipeline is shutting down: finish the attempt in progress but start no new retry and
   * end backoff waits now, so shutdown with a dead collector takes one attempt, not the whole
   * backoff schedule. Optional (exporters without retries need nothing).
   */
  stopRetrying?(): void;
  /** Aborts in-flight work and releases sockets. Idempotent. */
  shutdown(): Promise<void>;
}

export function outcome(accepted: number, rejected: number, failed: number, retries: number, error: Error | null): SendOutcome {
  return { accepted, rejected, failed, retries, error };
}
