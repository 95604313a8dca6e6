import type { SpanData } from './span-data.js';

/**
 * Receives every ended recording span. The record is pooled: the processor owns it from
 * `onEnd` until it calls `span.release()` exactly once (after export, or when dropping it), and
 * must not read it afterwards. A record that is never released is simply garbage-collected,
 * and the pool allocates a replacement.
 * Recording-but-unsampled spans (a sampler's RECORD decision) are passed too: an exporting
 * processor checks `traceFlags & 1`, as OpenTelemetry's BatchSpanProcessor does.
 */
export interface SpanProcessor {
  onEnd(span: SpanData): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Told about every ended SERVER, CLIENT and CONSUMER span, sampled or not, so request metrics
 * (RED) count every request while tracing samples a few. Called synchronously in `end()`.
 */
export type SpanEndHook = (name: string, kind: number, statusCode: number, durationMs: number) => void;
