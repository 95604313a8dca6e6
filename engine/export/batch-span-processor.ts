// The bounded batch processor (sdk.md "Batching processor"; the shape of OpenTelemetry JS
// BatchSpanProcessorBase): a fixed ring of span records filled on the request path, drained
// off it by a timer, by a full batch, or by forceFlush/shutdown.
//
// Hot path (`onEnd`): one ring write and a counter; no allocation, no serialization, no I/O.
// Draining serializes each batch once per exporter lane, then releases the records to their
// pool, so the pool is never held hostage by a slow backend.

import type { SpanData } from '../spans/span-data.js';
import type { ExportLogger } from '../config/logger.js';
import type { SpanProcessor } from '../spans/span-processor.js';
import type { ExportStats } from './export-stats.js';
import type { SpanExporter } from './span-exporter.js';
import type { ResolvedBatchOptions } from './batch-options.js';
import { runOutsideContext } from '../context/index.js';
import { ExporterLane } from './exporter-lane.js';
import { DropReporter } from './drop-reporter.js';

/** Default bound on flush-and-shutdown together, ms: well inside Kubernetes' 30 s grace period. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;
/** How long close() waits for an exporter that does not end its request when shut down. */
const CLOSE_GRACE_MILLIS = 250;

export class BatchSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedBatchOptions;
  private readonly lanes: readonly ExporterLane[];
  private readonly ring: Array<SpanData | null>;
  private head: number;
  private size: number;
  /** Reused for every batch handed to the exporters (never escapes a drain). */
  private readonly batch: Array<SpanData | null>;
  private timer: NodeJS.Timeout | null;
  private immediate: NodeJS.Immediate | null;
  private closed: boolean;
  private shutdownPromise: Promise<void> | null;
  /** Spans dropped at the full queue. */
  private readonly queueDrops: DropReporter;
  /** Spans ended after shutdown (released, not exported, not logged). */
  private lateDropped: number;
  private readonly drainNow: () => void;
  // Timers are armed outside the request's async context (once per batch, not per span): a
  // timer keeps the context it was created in alive until it fires, and the export it starts
  // must not run inside some request's trace.
  private readonly armImmediate: () => NodeJS.Immediate;
  private readonly armTimer: () => NodeJS.Timeout;
  private readonly logger: ExportLogger;
  private readonly shutdownTimeoutMillis: number;
  /** Epoch ms by which flushBeforeShutdown() and shutdown() together are over; 0 until one is called. */
  private shutdownDeadline: number;

  constructor(
    exporters: readonly SpanExporter[],
    options: ResolvedBatchOptions,
    logger: ExportLogger,
    shutdownTimeoutMillis = DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
  ) {
    this.options = options;
    this.logger = logger;
    this.shutdownTimeoutMillis = shutdownTimeoutMillis;
    this.shutdownDeadline = 0;
    // Each lane may hold as many serialized spans as the queue: the memory bound of the
    // pipeline is the queue plus one queue's worth of bytes per exporter.
    this.lanes = exporters.map((e) => new ExporterLane(e, options.maxQueueSize, options.exportTimeoutMillis, logger));
    this.ring = new Array<SpanData | null>(options.maxQueueSize).fill(null);
    this.head = 0;
    this.size = 0;
    this.batch = new Array<SpanData | null>(options.maxExportBatchSize).fill(null);
    this.timer = null;
    this.immediate = null;
    this.closed = false;
    this.shutdownPromise = null;
    this.queueDrops = new DropReporter(
      logger,
      `span queue full (${options.maxQueueSize} spans)`,
      'raise batch.maxQueueSize or OTEL_BSP_MAX_QUEUE_SIZE, or lower the sampling ratio',
    );
    this.lateDropped = 0;
    this.drainNow = () => {
      this.timer = null;
      this.immediate = null;
      this.drain();
    };
    this.armImmediate = () => setImmediate(this.drainNow).unref();
    this.armTimer = () => setTimeout(this.drainNow, options.scheduledDelayMillis).unref();
  }

  /** Hot path. */
  onEnd(span: SpanData): void {
    // The tracer also hands over recording-but-unsampled spans (a RECORD_ONLY decision);
    // like OpenTelemetry's BatchSpanProcessor, only sampled ones are exported.
    if ((span.traceFlags & 1) === 0) {
      span.release();
      return;
    }
    const capacity = this.ring.length;
    if (this.size === capacity || this.closed) {
      span.release();
      if (this.closed) this.lateDropped++;
      else this.queueDrops.drop(1);
      return;
    }
    this.ring[(this.head + this.size) % capacity] = span;
    this.size++;
    if (this.size >= this.options.maxExportBatchSize) {
      // A full batch is exported right after the current I/O phase: never inside end().
      if (this.immediate === null) this.immediate = runOutsideContext(this.armImmediate);
    } else if (this.timer === null) {
      this.timer = runOutsideContext(this.armTimer);
    }
  }

  /** Serializes every queued span, batch by batch, into every lane; releases the records. */
  private drain(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate !== null) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    const capacity = this.ring.length;
    const batch = this.batch as SpanData[];
    while (this.size > 0) {
      const count = Math.min(this.size, batch.length);
      for (let i = 0; i < count; i++) {
        const slot = (this.head + i) % capacity;
        batch[i] = this.ring[slot]!;
        this.ring[slot] = null;
      }
      this.head = (this.head + count) % capacity;
      this.size -= count;
      for (const lane of this.lanes) lane.serialize(batch, count);
      for (let i = 0; i < count; i++) {
        batch[i]!.release();
        (this.batch as Array<SpanData | null>)[i] = null;
      }
    }
    this.queueDrops.settle();
  }

  forceFlush(): Promise<void> {
    this.drain();
    return this.waitForLanes(this.options.exportTimeoutMillis);
  }

  /**
   * Starts the shutdown clock: from the first call of this or shutdown(), both together take at
   * most `shutdownTimeoutMillis`, and every send in that time is cut to what is left of it.
   */
  private startShutdownClock(): number {
    if (this.shutdownDeadline === 0) {
      this.shutdownDeadline = Date.now() + this.shutdownTimeoutMillis;
      for (const lane of this.lanes) lane.setDeadline(this.shutdownDeadline);
    }
    return this.shutdownDeadline;
  }

  /**
   * A flush on the way to shutdown (Nest calls it before the server stops taking requests):
   * sends what is queued within the shutdown deadline, which it starts.
   */
  flushBeforeShutdown(): Promise<void> {
    const deadline = this.startShutdownClock();
    this.drain();
    return this.waitForLanes(Math.min(this.options.exportTimeoutMillis, deadline - Date.now()));
  }

  /** Resolves when every lane is idle or `ms` pass, whichever is first. */
  private waitForLanes(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Not unref()ed, unlike the schedule timer: whoever awaits a flush or shutdown expects
      // the promise to settle, even when only a stalled exporter is left in the event loop.
      const timer = setTimeout(resolve, ms);
      Promise.all(this.lanes.map((lane) => lane.whenIdle())).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  shutdown(): Promise<void> {
    if (this.shutdownPromise === null) {
      // Closed first: spans ended from now on are dropped (and released), so the flush
      // below covers exactly the spans ended before shutdown().
      this.closed = true;
      const deadline = this.startShutdownClock();
      for (const lane of this.lanes) lane.beginShutdown();
      this.drain();
      // Like forceFlush, bounded by the export timeout, and within what is left of the deadline.
      this.shutdownPromise = this.waitForLanes(Math.min(this.options.exportTimeoutMillis, deadline - Date.now()))
        .then(() => Promise.all(this.lanes.map((lane) => lane.close(CLOSE_GRACE_MILLIS))))
        .then(() => {
          this.queueDrops.finish();
          this.reportShutdownDrops();
        });
    }
    return this.shutdownPromise;
  }

  private reportShutdownDrops(): void {
    for (const lane of this.lanes) {
      const s = lane.stats();
      if (s.shutdownDropped > 0) {
        this.logger.warn(
          `exporter ${s.name}: ${s.shutdownDropped} spans dropped, still unsent when the shutdown deadline (${this.shutdownTimeoutMillis} ms) passed`,
        );
      }
    }
  }

  getExportStats(): ExportStats {
    let exported = 0;
    const queueDropped = this.queueDrops.total + this.lateDropped;
    let dropped = queueDropped;
    let failed = 0;
    let retried = 0;
    let shutdownDropped = 0;
    const exporters = this.lanes.map((lane) => {
      const s = lane.stats();
      exported += s.exported;
      dropped += s.dropped;
      failed += s.failed;
      retried += s.retried;
      shutdownDropped += s.shutdownDropped;
      return s;
    });
    return { exported, dropped, failed, retried, queueLength: this.size, queueDropped, shutdownDropped, exporters };
  }
}
