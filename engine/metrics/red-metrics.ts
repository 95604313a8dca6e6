// Exact RED metrics (rate, errors, duration) aggregated in process for every server, client
// and consumer span or request, sampled or not: sampling decides what is exported as traces,
// never what is counted, so counts and histograms are exact at any sampling ratio.
//
// Series lookup without building a string key per call: a Map from route to a small slot
// array indexed by kind * 6 + status class. The route string is usually a route template
// constant whose hash V8 has already cached, so `Map#get` is one probe.
//
// Cardinality: at most `maxSeries` series; a record that would need one more goes into the
// one preallocated overflow series, and creates no map entry, so memory stays bounded whatever
// the routes (OpenTelemetry SDK spec, "Cardinality limits").

import { bucketIndex } from './bucket-index.js';
import { KIND_COUNT, KIND_LABELS, OVERFLOW_LABEL_VALUE, STATUS_CLASS_COUNT, STATUS_CLASS_LABELS, statusClassOf } from './metric-names.js';
import { resolveRedMetricsOptions } from './red-options.js';
import type { RedMetricsOptions, ResolvedRedMetricsOptions } from './red-options.js';
import { RedSeries, STAT_COUNT, STAT_ERRORS, STAT_MAX, STAT_MIN, STAT_SUM } from './red-series.js';
import type { SpanKind } from '../spans/span-data.js';

const SLOTS_PER_ROUTE = KIND_COUNT * STATUS_CLASS_COUNT;

/**
 * Longest route kept as a label (UTF-16 units). The series cap bounds how many labels exist,
 * this bounds how large each can be: a span name built from user data (a URL with a query, a
 * SQL text) would otherwise make every scrape and export carry it. Longer ones are counted in
 * the overflow series. Route templates and span names are far shorter.
 */
export const MAX_ROUTE_LENGTH = 256;

export class RedMetrics {
  readonly options: ResolvedRedMetricsOptions;
  /** Records ignored because an argument was invalid (non-string route, unknown kind, negative or non-finite duration). */
  invalidRecords: number;
  private readonly routes: Map<string, Array<RedSeries | null>>;
  private readonly seriesList: RedSeries[];
  private readonly overflow: RedSeries;
  private readonly boundaries: Float64Array;
  private readonly maxSeries: number;

  constructor(options: RedMetricsOptions) {
    this.options = resolveRedMetricsOptions(options);
    this.invalidRecords = 0;
    this.routes = new Map();
    this.seriesList = [];
    this.boundaries = this.options.boundaries;
    this.maxSeries = this.options.maxSeries;
    this.overflow = new RedSeries(OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE, OVERFLOW_LABEL_VALUE, true, this.boundaries.length + 1);
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  /** Distinct series, not counting the overflow series. Never more than `maxSeries`. */
  get seriesCount(): number {
    return this.seriesList.length;
  }

  /**
   * Count one finished request or call. Hot path: allocation-free once its series exists.
   * @param route route template (server) or span name (client, consumer)
   * @param kind SpanKind number
   * @param statusCode HTTP status, or 0 when there is none
   * @param isError whether it ended in error (span status ERROR, 5xx, thrown)
   * @param durationMs duration in milliseconds, >= 0
   */
  record(route: string, kind: SpanKind, statusCode: number, isError: boolean, durationMs: number): void {
    // `!(d >= 0)` also rejects NaN; a bad record is counted, never thrown on the request path.
    if (typeof route !== 'string' || !(durationMs >= 0) || durationMs === Infinity || !(kind >= 0 && kind < KIND_COUNT)) {
      this.invalidRecords++;
      return;
    }
    const slot = (kind | 0) * STATUS_CLASS_COUNT + statusClassOf(statusCode);
    let series: RedSeries | null | undefined;
    const slots = this.routes.get(route);
    if (slots !== undefined) series = slots[slot];
    if (series == null) series = this.create(route, slots, slot, kind | 0, statusCode);
    const stats = series.stats;
    stats[STAT_COUNT]!++;
    if (isError === true) stats[STAT_ERRORS]!++;
    stats[STAT_SUM]! += durationMs;
    if (durationMs < stats[STAT_MIN]!) stats[STAT_MIN] = durationMs;
    if (durationMs > stats[STAT_MAX]!) stats[STAT_MAX] = durationMs;
    series.buckets[bucketIndex(this.boundaries, durationMs)]!++;
  }

  /** Every series with at least one record, then the overflow series if it has any. Creation order. */
  snapshotSeries(): RedSeries[] {
    const out = this.seriesList.slice();
    if (this.overflow.count > 0) out.push(this.overflow);
    return out;
  }

  /** Cold path: the first record of a (route, kind, class), or one past the cap. */
  private create(route: string, slots: Array<RedSeries | null> | undefined, slot: number, kind: number, statusCode: number): RedSeries {
    if (this.seriesList.length >= this.maxSeries || route.length > MAX_ROUTE_LENGTH) return this.overflow;
    if (slots === undefined) {
      slots = new Array<RedSeries | null>(SLOTS_PER_ROUTE).fill(null);
      this.routes.set(route, slots);
    }
    const series = new RedSeries(route, KIND_LABELS[kind]!, STATUS_CLASS_LABELS[statusClassOf(statusCode)]!, false, this.boundaries.length + 1);
    slots[slot] = series;
    this.seriesList.push(series);
    return series;
  }
}
