// One RED series: the counters and histogram of one (route, kind, status class) of a service.
// Fixed shape, every field set in the constructor; the bucket array is allocated once here,
// so recording into an existing series allocates nothing.
//
// Every number record() writes lives in a Float64Array, not in object fields: on Node 20
// (V8 11.3, pointer compression, no double-field unboxing) each store of a non-Smi number
// into an object field allocated a fresh HeapNumber, ~16 B per record for sum/min/max
// (measured with test/engine/metrics/allocation.test.ts; typed-array stores allocate
// nothing). Counts are doubles too, not Uint32: a Uint32 wraps after 4.29e9 records, a
// double counts exactly to 2^53, and a field counter would leave Smi range at 2^30.

import { now } from '../spans/clock.js';

export const STAT_COUNT = 0;
export const STAT_ERRORS = 1;
export const STAT_SUM = 2;
export const STAT_MIN = 3;
export const STAT_MAX = 4;

export class RedSeries {
  /** Route template for server spans, span name otherwise; 'other' for the overflow series. */
  readonly route: string;
  readonly kindLabel: string;
  readonly statusClassLabel: string;
  readonly isOverflow: boolean;
  /** Clock time (spans/clock.ts) the series was created: the start of its cumulative points. */
  readonly startTime: number;
  /** [count, errorCount, sum, min, max]; min/max are +Infinity/-Infinity until the first record. Index with STAT_*. */
  readonly stats: Float64Array;
  /** Per-bucket (not cumulative) counts; length = boundaries + 1, the last is (max bound, +Inf). */
  readonly buckets: Float64Array;
  /** Prometheus label block `{service_name="..",...` without the closing brace, built on first exposition. */
  promLabels: string;

  constructor(route: string, kindLabel: string, statusClassLabel: string, isOverflow: boolean, bucketCount: number) {
    this.route = route;
    this.kindLabel = kindLabel;
    this.statusClassLabel = statusClassLabel;
    this.isOverflow = isOverflow;
    this.startTime = now();
    this.stats = new Float64Array(5);
    this.stats[STAT_MIN] = Infinity;
    this.stats[STAT_MAX] = -Infinity;
    this.buckets = new Float64Array(bucketCount);
    this.promLabels = '';
  }

  get count(): number {
    return this.stats[STAT_COUNT]!;
  }

  get errorCount(): number {
    return this.stats[STAT_ERRORS]!;
  }

  get sum(): number {
    return this.stats[STAT_SUM]!;
  }

  get min(): number {
    return this.stats[STAT_MIN]!;
  }

  get max(): number {
    return this.stats[STAT_MAX]!;
  }
}
