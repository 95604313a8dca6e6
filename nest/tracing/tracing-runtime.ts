// The tracing of one running app: the engine's tracer and the configured propagator, built
// once at startup. It is also the seam later layers use: outbound HTTP and microservices read
// `propagator` and `tracer` (getTracingRuntime()), the OpenTelemetry bridge supplies its own
// tracer, and `shutdown()` is wired to Nest's shutdown hooks.

import type { ExportStats, Propagator, Tracer } from '../../engine/index.js';
import type { ContextStore } from '../../engine/internal.js';

export interface TracingRuntime {
  readonly tracer: Tracer;
  readonly propagator: Propagator;
  /** Export counters (exported, dropped, failed, retried, queue length). */
  stats(): ExportStats;
  /** Sends what is queued; resolves within the export timeout. */
  forceFlush(): Promise<void>;
  /**
   * Sends what is queued as shutdown begins, and starts the shutdown deadline that shutdown()
   * ends within (`tracing.shutdownTimeoutMillis`). Absent: forceFlush() is used.
   */
  flushBeforeShutdown?(): Promise<void>;
  /** Flushes and stops the exporters; idempotent. */
  shutdown(): Promise<void>;
  /**
   * Runs `done` with a request's store active; the request hooks use it instead of
   * runWithStore when present ('otel' mode also activates the server span in OTel's context).
   */
  readonly enterRequest?: (store: ContextStore, done: () => void) => void;
}
