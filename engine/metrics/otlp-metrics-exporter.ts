// Periodic OTLP/HTTP export of one RedMetrics aggregator to `/v1/metrics`, over the trace
// exporter's HttpTransport (keep-alive agent marked so the outbound-HTTP instrumentation
// never traces an export, requests made outside any request context, OTLP retry rules,
// gzip). Off the request path: a timer (unref'd, so it never keeps the process alive)
// collects, encodes and posts. One export at a time: a tick that finds the previous export
// still running is skipped and counted, so a slow collector cannot pile up requests.
// `shutdown()` is idempotent, does a last export, then closes the transport.

import { buildResource } from '../export/resource.js';
import type { Resource } from '../export/resource.js';
import { HttpTransport } from '../export/transport/http-transport.js';
import { redactedHref } from '../config/redact-endpoint.js';
import { PointCollector } from './metric-points.js';
import { encodeOtlpMetricsJson } from './otlp-metrics-json.js';
import { encodeOtlpMetricsProto } from './otlp-metrics-proto.js';
import { resolveOtlpMetricsConfig } from './otlp-metrics-config.js';
import type { OtlpMetricsExporterOptions, ResolvedOtlpMetricsConfig } from './otlp-metrics-config.js';
import type { RedMetrics } from './red-metrics.js';

export interface MetricsExportStats {
  exports: number;
  failures: number;
  /** Ticks skipped because the previous export was still in flight. */
  skipped: number;
}

export interface MetricsExportResult {
  readonly ok: boolean;
  /** Last HTTP status, 0 when no response arrived. */
  readonly status: number;
  readonly attempts: number;
  /** Why it failed, '' on success. */
  readonly error: string;
}

export class OtlpMetricsExporter {
  readonly config: ResolvedOtlpMetricsConfig;
  readonly resource: Resource;
  readonly stats: MetricsExportStats;
  private readonly collector: PointCollector;
  private readonly transport: HttpTransport;
  private timer: NodeJS.Timeout | null;
  private inFlight: Promise<MetricsExportResult> | null;
  private shutdownPromise: Promise<MetricsExportResult> | null;

  constructor(metrics: RedMetrics, options: OtlpMetricsExporterOptions = {}) {
    this.config = resolveOtlpMetricsConfig(options);
    this.resource = options.resource ?? buildResource(metrics.serviceName, undefined, this.config.env, this.config.logger);
    this.stats = { exports: 0, failures: 0, skipped: 0 };
    this.collector = new PointCollector(metrics, this.config.temporality);
    this.transport = new HttpTransport({
      url: this.config.url,
      headers: this.config.headers,
      contentType: this.config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      gzip: this.config.compression === 'gzip',
    });
    this.timer = null;
    this.inFlight = null;
    this.shutdownPromise = null;
  }

  /** Starts the periodic export (no-op when intervalMs is 0, already started, or shut down). */
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

  /** Collects now and returns the request body (before compression). */
  encode(): Buffer | string {
    const collection = this.collector.collect();
    return this.config.protocol === 'http/json' ? encodeOtlpMetricsJson(collection, this.resource) : encodeOtlpMetricsProto(collection, this.resource);
  }

  /** Collects and exports now; joins an export already in flight instead of starting a second. Never rejects. */
  forceFlush(): Promise<MetricsExportResult> {
    if (this.inFlight !== null) return this.inFlight;
    const run = async (): Promise<MetricsExportResult> => {
      let result: MetricsExportResult;
      try {
        const sent = await this.transport.post(this.encode(), this.config.timeoutMs);
        const ok = sent.error === null && sent.status >= 200 && sent.status < 300;
        result = { ok, status: sent.status, attempts: sent.retries + 1, error: ok ? '' : (sent.error?.message ?? `HTTP ${sent.status}`) };
      } catch (err) {
        result = { ok: false, status: 0, attempts: 0, error: err instanceof Error ? err.message : String(err) };
      }
      this.stats.exports++;
      if (!result.ok) {
        this.stats.failures++;
        this.config.logger.warn(`metrics export to ${redactedHref(this.config.url)} failed after ${result.attempts} attempt(s): ${result.error}`);
      }
      return result;
    };
    const p = run().finally(() => {
      this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }

  /**
   * Stops the timer, exports once more (one attempt: a dead collector must not hold up the
   * process's exit for the retry schedule, as the trace pipeline's shutdown does) and closes
   * the transport. Idempotent: later calls return the same promise.
   */
  shutdown(): Promise<MetricsExportResult> {
    if (this.shutdownPromise === null) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.transport.stopRetrying();
      this.shutdownPromise = (this.inFlight ?? Promise.resolve())
        .then(() => this.forceFlush())
        .finally(() => this.transport.shutdown());
    }
    return this.shutdownPromise;
  }
}
