// RED metrics as table rows for the trace view: per series its counts, mean and p50/p95/p99
// estimated from the histogram the way Prometheus' histogram_quantile does (linear within the
// bucket that holds the rank; the +Inf bucket answers with its lower bound).

import type { RedMetrics } from '../../../nest/index.js';

export interface RedRow {
  readonly service: string;
  readonly route: string;
  readonly kind: string;
  readonly statusClass: string;
  readonly count: number;
  readonly errors: number;
  readonly meanMs: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** The q-quantile (0..1) of a histogram with upper bounds `bounds` and per-bucket counts (one more than bounds). */
export function histogramQuantile(bounds: ArrayLike<number>, buckets: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < buckets.length; i++) total += buckets[i]!;
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i]!;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) return bounds.length === 0 ? null : bounds[bounds.length - 1]!;
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return bounds.length === 0 ? null : bounds[bounds.length - 1]!;
}

export function redRows(red: RedMetrics): RedRow[] {
  const bounds = red.options.boundaries;
  return red.snapshotSeries().map((s) => ({
    service: red.serviceName,
    route: s.route,
    kind: s.kindLabel,
    statusClass: s.statusClassLabel,
    count: s.count,
    errors: s.errorCount,
    meanMs: s.count === 0 ? null : s.sum / s.count,
    p50Ms: histogramQuantile(bounds, s.buckets, 0.5),
    p95Ms: histogramQuantile(bounds, s.buckets, 0.95),
    p99Ms: histogramQuantile(bounds, s.buckets, 0.99),
  }));
}
