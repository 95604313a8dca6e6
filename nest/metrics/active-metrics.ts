// The RED aggregator of the running app, published when the module starts (like the tracing
// runtime in nest/tracing/active-runtime.ts), so a dashboard endpoint or a health check can
// read it without DI.

import type { RedMetrics } from '../../engine/index.js';

let active: RedMetrics | null = null;

/** The started app's RED aggregator, or null (metrics off, or not started). */
export function getRedMetrics(): RedMetrics | null {
  return active;
}

export function setRedMetrics(metrics: RedMetrics | null): void {
  active = metrics;
}
