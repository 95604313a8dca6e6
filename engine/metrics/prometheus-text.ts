// Prometheus text exposition format 0.0.4 (prometheus/docs content/docs/instrumenting/exposition_formats.md).
// Cold path: built on a scrape, not per request.
//
// Grammar points this follows:
// - `# HELP name text`: in the text, `\` is written `\\` and a line feed `\n`.
// - label values: `\` -> `\\`, `"` -> `\"`, line feed -> `\n`; nothing else is escaped.
// - one `# TYPE` per family, before its samples; histogram samples are `_bucket{le=".."}`
//   (cumulative counts, ending with `le="+Inf"` equal to `_count`), `_sum`, `_count`.
// - values are Go floats: `+Inf`, `-Inf`, `NaN` spelled so; JS number text otherwise parses.

import { RED_LABEL, RED_METRIC } from './metric-names.js';
import type { RedMetrics } from './red-metrics.js';
import type { RedSeries } from './red-series.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Escape a label value per the 0.0.4 text format. No regex on the common no-escape path. */
function escapeLabelValue(value: string): string {
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x0a) break;
  }
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x22) out += '\\"';
    else if (c === 0x0a) out += '\\n';
    else out += value[i];
  }
  return out;
}

/** Escape HELP text: only backslash and line feed (a `"` stays as is there). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatPromValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelsOf(series: RedSeries, serviceLabel: string): string {
  if (series.promLabels === '') {
    let labels =
      `{${RED_LABEL.service}="${serviceLabel}",${RED_LABEL.route}="${escapeLabelValue(series.route)}",` +
      `${RED_LABEL.kind}="${series.kindLabel}",${RED_LABEL.statusClass}="${series.statusClassLabel}"`;
    if (series.isOverflow) labels += `,${RED_LABEL.overflowProm}="true"`;
    series.promLabels = labels;
  }
  return series.promLabels;
}

function header(out: string[], name: string, help: string, type: 'counter' | 'histogram'): void {
  out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
}

/** The three RED families of one aggregator as Prometheus text (ends with a line feed). */
export function renderPrometheusText(metrics: RedMetrics): string {
  const all = metrics.snapshotSeries();
  const service = escapeLabelValue(metrics.serviceName);
  const bounds = metrics.options.boundaries;
  const le: string[] = [];
  for (let i = 0; i < bounds.length; i++) le.push(`,le="${formatPromValue(bounds[i]!)}"} `);
  le.push(',le="+Inf"} ');

  const out: string[] = [];
  header(out, RED_METRIC.requests.promName, RED_METRIC.requests.description, 'counter');
  for (const s of all) out.push(`${RED_METRIC.requests.promName}${labelsOf(s, service)}} ${s.count}`);
  header(out, RED_METRIC.errors.promName, RED_METRIC.errors.description, 'counter');
  for (const s of all) out.push(`${RED_METRIC.errors.promName}${labelsOf(s, service)}} ${s.errorCount}`);

  const name = RED_METRIC.duration.promName;
  header(out, name, RED_METRIC.duration.description, 'histogram');
  for (const s of all) {
    const labels = labelsOf(s, service);
    let cumulative = 0;
    for (let i = 0; i < s.buckets.length; i++) {
      cumulative += s.buckets[i]!;
      out.push(`${name}_bucket${labels}${le[i]!}${cumulative}`);
    }
    out.push(`${name}_sum${labels}} ${formatPromValue(s.sum)}`, `${name}_count${labels}} ${s.count}`);
  }
  out.push('');
  return out.join('\n');
}
