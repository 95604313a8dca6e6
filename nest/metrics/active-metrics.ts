// The RED aggregator of the running app, published when the module starts (like the tracing
// runtime in nest/tracing/active-runtime.ts), so a dashboard endpoint or a health check can
// read it without DI.

import { SpanKind, type RedMetrics } from '../../engine/index.js';

let active: RedMetrics | null = null;
/** Whether the running app counts spans beyond HTTP requests (`metrics.spans`). */
let countsSpans = false;

/** The started app's RED aggregator, or null (metrics off, or not started). */
export function getRedMetrics(): RedMetrics | null {
  return active;
}

export function setRedMetrics(metrics: RedMetrics | null, spans = false): void {
  active = metrics;
  countsSpans = metrics !== null && spans;
}

/**
 * Counts one microservice request-response message (the SERVER span `process {pattern}`). The
 * tracer's span-end hook skips SERVER spans, since it cannot tell them from HTTP server spans,
 * which the request hooks count with their route and status; so the microservice server
 * reports its own, sampled or not, when `metrics.spans` is on. Status class `none`: a message
 * has no HTTP status; an error reply is the error.
 */
export function recordMessageRequest(name: string, error: boolean, durationMs: number): void {
  if (countsSpans) active!.record(name, SpanKind.SERVER, 0, error, durationMs);
}
