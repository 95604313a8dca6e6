// Reads a Prometheus scrape back with a real text-format parser (parse-prometheus-text-format,
// through the engine tests' parsePromSamples, which works around the parser dropping the
// labels of labelled histograms) into one record per RED series, keyed
// `route|span_kind|status_class`.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { RED_METRIC } from '../../../engine/index.js';
import { parsePromSamples } from '../../engine/metrics/helpers.js';

export interface ScrapedSeries {
  requests: number;
  errors: number;
  count: number;
  sum: number;
  /** Cumulative count per `le` label ('5', '+Inf', ...). */
  buckets: Record<string, number>;
  labels: Record<string, string>;
}

export function seriesKey(route: string, kind: string, statusClass: string): string {
  return `${route}|${kind}|${statusClass}`;
}

/** The family types as the parser reads them: name -> COUNTER / HISTOGRAM. */
export function familyTypes(text: string): Record<string, string> {
  return Object.fromEntries(parsePrometheusTextFormat(text).map((f) => [f.name, f.type]));
}

export function readScrape(text: string): Map<string, ScrapedSeries> {
  const out = new Map<string, ScrapedSeries>();
  const get = (labels: Record<string, string>): ScrapedSeries => {
    const key = seriesKey(labels['route']!, labels['span_kind']!, labels['status_class']!);
    let s = out.get(key);
    if (s === undefined) {
      const { le: _le, ...rest } = labels;
      out.set(key, (s = { requests: 0, errors: 0, count: 0, sum: 0, buckets: {}, labels: rest }));
    }
    return s;
  };
  const duration = RED_METRIC.duration.promName;
  for (const [name, rows] of parsePromSamples(text, parsePrometheusTextFormat)) {
    for (const row of rows) {
      const s = get(row.labels);
      const value = Number(row.value);
      if (name === RED_METRIC.requests.promName) s.requests = value;
      else if (name === RED_METRIC.errors.promName) s.errors = value;
      else if (name === `${duration}_bucket`) s.buckets[row.labels['le']!] = value;
      else if (name === `${duration}_sum`) s.sum = value;
      else if (name === `${duration}_count`) s.count = value;
    }
  }
  return out;
}
