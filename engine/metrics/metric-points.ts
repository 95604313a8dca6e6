// What the OTLP encoders serialize: one data point per series, read from the aggregator at
// collection time (cold path, once per export interval). Cumulative points are the series as
// they stand; delta points are the change since this reader's previous collection, so several
// readers (a Prometheus scrape, a cumulative and a delta OTLP exporter) can share one
// aggregator without resetting each other's counts.

import { now, toEpochNanos } from '../spans/clock.js';
import type { RedMetrics } from './red-metrics.js';
import type { RedSeries } from './red-series.js';

export type Temporality = 'cumulative' | 'delta';

/** OTLP AggregationTemporality enum values (metrics.proto). */
export const OTLP_TEMPORALITY = { delta: 1, cumulative: 2 } as const;

export interface RedPoint {
  readonly series: RedSeries;
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly count: number;
  readonly errorCount: number;
  readonly sum: number;
  /** NaN when unknown: delta points carry no min/max (a cumulative min says nothing about one interval). */
  readonly min: number;
  readonly max: number;
  readonly buckets: Float64Array;
}

export interface RedCollection {
  readonly serviceName: string;
  readonly boundaries: Float64Array;
  readonly temporality: Temporality;
  readonly points: RedPoint[];
}

interface DeltaState {
  count: number;
  errorCount: number;
  sum: number;
  readonly buckets: Float64Array;
  time: number;
}

/** Collects points from one aggregator for one reader; keeps the reader's delta baseline. */
export class PointCollector {
  readonly temporality: Temporality;
  private readonly metrics: RedMetrics;
  /** Delta baselines per series; bounded like the series themselves (maxSeries + overflow). */
  private readonly previous: Map<RedSeries, DeltaState>;

  constructor(metrics: RedMetrics, temporality: Temporality) {
    this.metrics = metrics;
    this.temporality = temporality;
    this.previous = new Map();
  }

  collect(): RedCollection {
    const time = now();
    const timeNs = toEpochNanos(time);
    const points: RedPoint[] = [];
    for (const s of this.metrics.snapshotSeries()) {
      if (this.temporality === 'cumulative') {
        points.push({
          series: s,
          startTimeUnixNano: toEpochNanos(s.startTime),
          timeUnixNano: timeNs,
          count: s.count,
          errorCount: s.errorCount,
          sum: s.sum,
          min: s.min,
          max: s.max,
          buckets: s.buckets.slice(),
        });
        continue;
      }
      let prev = this.previous.get(s);
      if (prev === undefined) {
        prev = { count: 0, errorCount: 0, sum: 0, buckets: new Float64Array(s.buckets.length), time: s.startTime };
        this.previous.set(s, prev);
      }
      // OTLP delta: report only series that changed in the interval (an unchanged series has no point).
      if (s.count === prev.count) continue;
      const buckets = new Float64Array(s.buckets.length);
      for (let i = 0; i < buckets.length; i++) buckets[i] = s.buckets[i]! - prev.buckets[i]!;
      points.push({
        series: s,
        startTimeUnixNano: toEpochNanos(prev.time),
        timeUnixNano: timeNs,
        count: s.count - prev.count,
        errorCount: s.errorCount - prev.errorCount,
        sum: s.sum - prev.sum,
        min: Number.NaN,
        max: Number.NaN,
        buckets,
      });
      prev.count = s.count;
      prev.errorCount = s.errorCount;
      prev.sum = s.sum;
      prev.buckets.set(s.buckets);
      prev.time = time;
    }
    return { serviceName: this.metrics.serviceName, boundaries: this.metrics.options.boundaries, temporality: this.temporality, points };
  }
}
