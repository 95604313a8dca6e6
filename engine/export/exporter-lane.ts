// One exporter's side of the pipeline: a bounded backlog of serialized payloads and at most
// one request in flight (sdk.md: "Export will never be called concurrently for the same
// exporter instance"). Lanes never wait on each other, so one slow or failing backend delays
// and drops only its own spans.

import type { SpanData } from '../spans/span-data.js';
import type { ExporterStats } from './export-stats.js';
import type { SendOutcome, SpanExporter } from './span-exporter.js';
import type { ExportLogger } from '../config/logger.js';
import { DropReporter } from './drop-reporter.js';

interface Pending {
  readonly payload: unknown;
  readonly count: number;
}

export class ExporterLane {
  readonly exporter: SpanExporter;
  private readonly maxPendingSpans: number;
  private readonly timeoutMs: number;
  private readonly logger: ExportLogger;
  private readonly backlog: Pending[];
  private backlogHead: number;
  private pendingSpans: number;
  private inFlight: boolean;
  private closed: boolean;
  private idleWaiters: Array<() => void>;
  private exported: number;
  private readonly drops: DropReporter;
  private failed: number;
  private rejected: number;
  private retried: number;
  private lastError: string;
  /** Epoch ms by which shutdown must be over; 0 until shutdown begins. Sends are cut to fit it. */
  private deadline: number;
  /** Spans unsent when the shutdown deadline passed (a reason for `dropped`). */
  private shutdownDropped: number;
  /** Spans of the request in flight (counted as shutdownDropped if it outlives close()). */
  private inFlightCount: number;

  constructor(exporter: SpanExporter, maxPendingSpans: number, timeoutMs: number, logger: ExportLogger) {
    this.exporter = exporter;
    this.maxPendingSpans = maxPendingSpans;
    this.timeoutMs = timeoutMs;
    this.logger = logger;
    this.backlog = [];
    this.backlogHead = 0;
    this.pendingSpans = 0;
    this.inFlight = false;
    this.closed = false;
    this.idleWaiters = [];
    this.exported = 0;
    this.drops = new DropReporter(logger, `exporter ${exporter.name} is behind (a backlog of ${maxPendingSpans} spans)`, 'the backend is slower than the span rate');
    this.failed = 0;
    this.rejected = 0;
    this.retried = 0;
    this.lastError = '';
    this.deadline = 0;
    this.shutdownDropped = 0;
    this.inFlightCount = 0;
  }

  /** Serializes `spans[0..count)` now (the caller releases them after every lane has). */
  serialize(spans: readonly SpanData[], count: number): void {
    if (this.closed) {
      this.failed += count;
      return;
    }
    if (this.pendingSpans + count > this.maxPendingSpans) {
      // Tail drop, like the queue: the backend is slower than the span rate and the bytes
      // already waiting are as good as these.
      this.drops.drop(count);
      return;
    }
    let payload: unknown;
    try {
      payload = this.exporter.serialize(spans, count);
    } catch (error) {
      this.failed += count;
      this.report(`exporter ${this.exporter.name} could not serialize ${count} spans: ${String(error)}`);
      return;
    }
    this.backlog.push({ payload, count });
    this.pendingSpans += count;
    this.pump();
  }

  private pump(): void {
    if (this.inFlight || this.backlogHead === this.backlog.length) return;
    // During shutdown each send gets what is left of the deadline (at most the export timeout);
    // with nothing left the backlog waits for close(), which counts it as dropped.
    const timeoutMs = this.deadline === 0 ? this.timeoutMs : Math.min(this.timeoutMs, this.deadline - Date.now());
    if (timeoutMs <= 0) return;
    const next = this.backlog[this.backlogHead]!;
    this.backlog[this.backlogHead++] = undefined as never;
    if (this.backlogHead === this.backlog.length) {
      this.backlog.length = 0;
      this.backlogHead = 0;
    }
    this.inFlight = true;
    this.inFlightCount = next.count;
    let sent: Promise<SendOutcome>;
    try {
      sent = this.exporter.send(next.payload, next.count, timeoutMs);
    } catch (error) {
      sent = Promise.resolve({ accepted: 0, rejected: 0, failed: next.count, retries: 0, error: error as Error });
    }
    sent.then(
      (result) => this.settle(next.count, result),
      (error: unknown) => this.settle(next.count, { accepted: 0, rejected: 0, failed: next.count, retries: 0, error: error as Error }),
    );
  }

  private settle(count: number, result: SendOutcome): void {
    if (!this.inFlight) return; // close() gave up on this request and counted it already
    this.inFlight = false;
    this.inFlightCount = 0;
    this.pendingSpans -= count;
    this.exported += result.accepted;
    this.rejected += result.rejected;
    // A send ended by close() (the deadline passed) loses its spans to the deadline, not to the backend.
    if (this.closed) this.shutdownDropped += result.failed;
    else this.failed += result.failed;
    this.failed += result.rejected;
    this.retried += result.retries;
    if (result.error !== null) {
      this.report(`exporter ${this.exporter.name}: ${result.failed + result.rejected} of ${count} spans not exported: ${result.error.message}`);
    } else {
      this.lastError = '';
    }
    this.drops.settle();
    this.pump();
    if (!this.inFlight) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Logs an error once while it repeats, so a dead collector does not flood the log. */
  private report(message: string): void {
    const key = message.replace(/\d+/g, '#');
    if (key === this.lastError) return;
    this.lastError = key;
    this.logger.warn(message);
  }

  /** Resolves when nothing is waiting or in flight. */
  whenIdle(): Promise<void> {
    if (!this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Shutdown has begun: the exporter makes no new retries (see SpanExporter.stopRetrying). */
  beginShutdown(): void {
    try {
      this.exporter.stopRetrying?.();
    } catch (error) {
      this.logger.warn(`exporter ${this.exporter.name}: stopRetrying failed: ${String(error)}`);
    }
  }

  /** Shutdown must be over by `deadline` (epoch ms): sends from now on are cut to fit it. */
  setDeadline(deadline: number): void {
    this.deadline = deadline;
  }

  /**
   * Stops taking batches, abandons the backlog (counted as dropped at shutdown) and shuts the
   * exporter down, which ends its request in flight; an exporter whose request outlives
   * `graceMs` after that has those spans counted as dropped too, and close() returns anyway.
   */
  async close(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let i = this.backlogHead; i < this.backlog.length; i++) {
      const abandoned = this.backlog[i]!;
      this.shutdownDropped += abandoned.count;
      this.pendingSpans -= abandoned.count;
    }
    this.backlog.length = 0;
    this.backlogHead = 0;
    try {
      await this.exporter.shutdown();
    } catch (error) {
      this.logger.warn(`exporter ${this.exporter.name} failed to shut down: ${String(error)}`);
    }
    if (this.inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      if (this.inFlight) {
        this.inFlight = false;
        this.shutdownDropped += this.inFlightCount;
        this.pendingSpans -= this.inFlightCount;
        this.inFlightCount = 0;
      }
    }
    this.drops.finish();
  }

  stats(): ExporterStats {
    return {
      name: this.exporter.name,
      exported: this.exported,
      dropped: this.drops.total + this.shutdownDropped,
      shutdownDropped: this.shutdownDropped,
      failed: this.failed,
      rejected: this.rejected,
      retried: this.retried,
      pending: this.pendingSpans,
    };
  }
}
