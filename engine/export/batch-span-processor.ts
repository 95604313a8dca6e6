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

  constructor(exporters: readonly SpanExporter[], options: ResolvedBatchOptions, logger: ExportLogger) {
    this.options = options;
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
    return this.waitForLanes();
  }

  /** Resolves when every lane is idle or the export timeout passes, whichever is first. */
  private waitForLanes(): Promise<void> {
    return new Promise<void>((resolve) => {
      // Not unref()ed, unlike the schedule timer: whoever awaits a flush or shutdown expects
      // the promise to settle, even when only a stalled exporter is left in the event loop.
      const timer = setTimeout(resolve, this.options.exportTimeoutMillis);
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
      for (const lane of this.lanes) lane.beginShutdown();
      this.shutdownPromise = this.forceFlush()
        .then(() => Promise.all(this.lanes.map((lane) => lane.close())))
        .then(() => this.queueDrops.finish());
    }
    return this.shutdownPromise;
  }

  getExportStats(): ExportStats {
    let exported = 0;
    const queueDropped = this.queueDrops.total + this.lateDropped;
    let dropped = queueDropped;
    let failed = 0;
    let retried = 0;
    const exporters = this.lanes.map((lane) => {
      const s = lane.stats();
      exported += s.exported;
      dropped += s.dropped;
      failed += s.failed;
      retried += s.retried;
      return s;
    });
    return { exported, dropped, failed, retried, queueLength: this.size, queueDropped, exporters };
  }
}
