// One RED series: the counters and histogram of one (route, kind, status class) of a service.
// Fixed shape, every field set in the constructor; the bucket array is allocated once here,
// so recording into an existing series allocates nothing.
//
// Counts are doubles, not Uint32: a Uint32 wraps after 4.29e9 records (weeks at a few kHz);
// a double counts exactly to 2^53.

import { now } from '../spans/clock.js';

export class RedSeries {
  /** Route template for server spans, span name otherwise; 'other' for the overflow series. */
  readonly route: string;
  readonly kindLabel: string;
  readonly statusClassLabel: string;
  readonly isOverflow: boolean;
  /** Clock time (spans/clock.ts) the series was created: the start of its cumulative points. */
  readonly startTime: number;
  count: number;
  errorCount: number;
  sum: number;
  /** +Infinity / -Infinity until the first record. */
  min: number;
  max: number;
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
    this.count = 0;
    this.errorCount = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.buckets = new Float64Array(bucketCount);
    this.promLabels = '';
  }
}
