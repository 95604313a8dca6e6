// Periodic OTLP/HTTP export of one RedMetrics aggregator to `/v1/metrics`. Off the request
// path: a timer (unref'd, so it never keeps the process alive) collects, encodes and posts.
// One export at a time: a tick that finds the previous export still running is skipped and
// counted, so a slow collector cannot pile up requests. `shutdown()` is idempotent and does a
// last export.

import { gzipSync } from 'node:zlib';
import { PointCollector } from './metric-points.js';
import { encodeOtlpMetricsJson } from './otlp-metrics-json.js';
import { encodeOtlpMetricsProto } from './otlp-metrics-proto.js';
import { resolveOtlpMetricsConfig } from './otlp-metrics-config.js';
import type { OtlpMetricsExporterOptions, ResolvedOtlpMetricsConfig } from './otlp-metrics-config.js';
import { postWithRetry } from './http-post.js';
import type { PostResult } from './http-post.js';
import type { RedMetrics } from './red-metrics.js';

export interface MetricsExportStats {
  exports: number;
  failures: number;
  /** Ticks skipped because the previous export was still in flight. */
  skipped: number;
}

export class OtlpMetricsExporter {
  readonly config: ResolvedOtlpMetricsConfig;
  readonly stats: MetricsExportStats;
  private readonly collector: PointCollector;
  private readonly postHeaders: Readonly<Record<string, string>>;
  private timer: NodeJS.Timeout | null;
  private inFlight: Promise<PostResult> | null;
  private shutdownPromise: Promise<PostResult> | null;

  constructor(metrics: RedMetrics, options: OtlpMetricsExporterOptions = {}) {
    this.config = resolveOtlpMetricsConfig(options);
    this.stats = { exports: 0, failures: 0, skipped: 0 };
    this.collector = new PointCollector(metrics, this.config.temporality);
    const contentType = this.config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    this.postHeaders = Object.freeze({
      ...this.config.headers,
      'content-type': contentType,
      ...(this.config.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    });
    this.timer = null;
    this.inFlight = null;
    this.shutdownPromise = null;
  }

  /** Starts the periodic export (no-op when intervalMs is 0 or already started or shut down). */
  start(): this {
    if (this.timer === null && this.config.intervalMs > 0 && this.shutdownPromise === null) {
      this.timer = setInterval(() => {
        if (this.inFlight !== null) this.stats.skipped++;
        else void this.forceFlush();
      }, this.config.intervalMs);
      this.timer.unref();
    }
    return this;
  }

  /** The body the next export would send, for a given collection; exposed for tests and debugging. */
  encode(): Uint8Array {
    const collection = this.collector.collect();
    const body = this.config.protocol === 'http/json' ? encodeOtlpMetricsJson(collection) : encodeOtlpMetricsProto(collection);
    return this.config.compression === 'gzip' ? gzipSync(body) : body;
  }

  /** Collects and exports now; waits for an export already in flight instead of starting a second. Never rejects. */
  forceFlush(): Promise<PostResult> {
    if (this.inFlight !== null) return this.inFlight;
    const run = async (): Promise<PostResult> => {
      let result: PostResult;
      try {
        result = await postWithRetry({ ...this.config, headers: this.postHeaders }, this.encode());
      } catch (err) {
        result = { ok: false, status: 0, attempts: 0, error: err instanceof Error ? err.message : String(err) };
      }
      this.stats.exports++;
      if (!result.ok) {
        this.stats.failures++;
        this.config.logger.warn(`metrics export to ${this.config.url.href} failed after ${result.attempts} attempt(s): ${result.error}`);
      }
      return result;
    };
    const p = run().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }

  /** Stops the timer and exports once more. Idempotent: later calls return the same promise. */
  shutdown(): Promise<PostResult> {
    if (this.shutdownPromise === null) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.shutdownPromise = (this.inFlight ?? Promise.resolve()).then(() => this.forceFlush());
    }
    return this.shutdownPromise;
  }
}
