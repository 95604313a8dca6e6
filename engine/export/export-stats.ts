// What the export pipeline reports about itself (`getExportStats()`): the issue asks for
// exported, dropped, failed, retried and queue length; per-exporter counts say which backend
// is the slow or failing one.

import type { TailSamplingStats } from '../sampling/tail-stats.js';

/** Counts for one exporter. Every span handed to an exporter ends in exactly one of exported, dropped or failed. */
export interface ExporterStats {
  readonly name: string;
  /** Spans the backend accepted. */
  readonly exported: number;
  /** Spans dropped: this exporter's backlog was full (it is slower than the span rate), or shutdown's deadline passed. */
  readonly dropped: number;
  /** Of `dropped`, the spans still unsent when the shutdown deadline (`shutdownTimeoutMillis`) passed. */
  readonly shutdownDropped: number;
  /** Spans given up on (non-retryable status, retries exhausted, timeout, shutdown) or rejected by a partial success. */
  readonly failed: number;
  /** Of `failed`, the spans the backend rejected in an OTLP partial_success. */
  readonly rejected: number;
  /** Retry attempts made (one per re-sent request). */
  readonly retried: number;
  /** Spans serialized and waiting for, or in, this exporter's one in-flight request. */
  readonly pending: number;
}

/**
 * Pipeline totals. `exported`, `failed` and `retried` sum the exporters; `dropped` is spans
 * dropped at the full queue plus each exporter's backlog drops. With one exporter, after
 * `shutdown()`: exported + dropped + failed = spans ended.
 */
export interface ExportStats {
  readonly exported: number;
  readonly dropped: number;
  readonly failed: number;
  readonly retried: number;
  /** Spans in the queue, not yet serialized. */
  readonly queueLength: number;
  /** Spans dropped at the queue (full, or ended after shutdown): a subset of `dropped`. */
  readonly queueDropped: number;
  /** Spans the exporters still had unsent when the shutdown deadline passed: a subset of `dropped`. */
  readonly shutdownDropped: number;
  readonly exporters: readonly ExporterStats[];
  /** With a `tail` or `parentbased_tail` sampler: why local traces were kept, and what its limits cost. */
  readonly tail?: TailSamplingStats;
}
