// What the request hooks need of the engine's tracer and propagator, taken by shape so the
// hooks depend on no construction details (engine/instrumentation does the same). One
// TracingRuntime is built at startup from the resolved options; it is also the seam later
// layers use: outbound HTTP (issue 7) reads `propagator` and `tracer`, the OpenTelemetry
// bridge (issue 9) supplies its own `tracer`, and `shutdown()` is wired to Nest's hooks.

import type {
  AttributeValue,
  Attributes,
  SpanKind,
  SpanStatusCode,
  TraceContext,
} from '../../engine/index.js';

/** Node's incoming headers (lower-case names). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

export interface RuntimePropagator {
  extract(headers: IncomingHeaders): TraceContext | null;
  inject(ctx: TraceContext, headers: Record<string, string>): void;
  readonly fields: readonly string[];
}

export interface RuntimeSpan {
  spanContext(): TraceContext;
  isRecording(): boolean;
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: SpanStatusCode; message?: string }): unknown;
  recordException(exception: unknown): unknown;
  updateName(name: string): unknown;
  end(endTime?: number): void;
}

export interface RuntimeSpanOptions {
  kind?: SpanKind;
  /** The parent; `null` for a new root. Omitted: the active span. */
  parent?: TraceContext | null;
  attributes?: Attributes;
  startTime?: number;
}

export interface RuntimeTracer {
  startSpan(name: string, options?: RuntimeSpanOptions): RuntimeSpan;
}

export interface TracingRuntime {
  readonly tracer: RuntimeTracer;
  readonly propagator: RuntimePropagator;
  /** Sends what is queued; resolves within the export timeout. */
  forceFlush(): Promise<void>;
  /** Flushes and stops the exporters; idempotent. */
  shutdown(): Promise<void>;
}
