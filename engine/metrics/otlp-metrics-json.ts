// ExportMetricsServiceRequest in OTLP/JSON (opentelemetry-proto docs/specification.md, "JSON
// Protobuf Encoding"): lowerCamelCase fields, enums as integers, 64-bit integers (fixed64
// counts, sfixed64 asInt, fixed64 timestamps) as decimal strings, doubles as JSON numbers.

import { OTLP_TEMPORALITY } from './metric-points.js';
import type { RedCollection, RedPoint } from './metric-points.js';
import { RED_LABEL, RED_METRIC } from './metric-names.js';
import { encodeResourceJson } from '../export/otlp/otlp-json.js';
import { SDK_NAME, SDK_VERSION } from '../export/resource.js';
import type { Resource } from '../export/resource.js';

interface JsonKeyValue {
  key: string;
  value: { stringValue: string } | { boolValue: boolean };
}

function attributesOf(point: RedPoint): JsonKeyValue[] {
  const s = point.series;
  const attrs: JsonKeyValue[] = [
    { key: RED_LABEL.route, value: { stringValue: s.route } },
    { key: RED_LABEL.kind, value: { stringValue: s.kindLabel } },
    { key: RED_LABEL.statusClass, value: { stringValue: s.statusClassLabel } },
  ];
  if (s.isOverflow) attrs.push({ key: RED_LABEL.overflowOtlp, value: { boolValue: true } });
  return attrs;
}

function sumMetric(c: RedCollection, def: { otlpName: string; unit: string; description: string }, attrs: JsonKeyValue[][], pick: (p: RedPoint) => number): object {
  return {
    name: def.otlpName,
    description: def.description,
    unit: def.unit,
    sum: {
      dataPoints: c.points.map((p, i) => ({
        attributes: attrs[i]!,
        startTimeUnixNano: p.startTimeUnixNano.toString(),
        timeUnixNano: p.timeUnixNano.toString(),
        asInt: String(pick(p)),
      })),
      aggregationTemporality: OTLP_TEMPORALITY[c.temporality],
      isMonotonic: true,
    },
  };
}

function histogramPoint(c: RedCollection, p: RedPoint, attributes: JsonKeyValue[]): object {
  const point: Record<string, unknown> = {
    attributes,
    startTimeUnixNano: p.startTimeUnixNano.toString(),
    timeUnixNano: p.timeUnixNano.toString(),
    count: String(p.count),
    sum: p.sum,
    bucketCounts: Array.from(p.buckets, String),
    explicitBounds: Array.from(c.boundaries),
  };
  if (!Number.isNaN(p.min)) {
    point.min = p.min;
    point.max = p.max;
  }
  return point;
}

function metricsOf(c: RedCollection): object[] {
  if (c.points.length === 0) return [];
  const attrs = c.points.map(attributesOf);
  return [
    sumMetric(c, RED_METRIC.requests, attrs, (p) => p.count),
    sumMetric(c, RED_METRIC.errors, attrs, (p) => p.errorCount),
    {
      name: RED_METRIC.duration.otlpName,
      description: RED_METRIC.duration.description,
      unit: RED_METRIC.duration.unit,
      histogram: {
        dataPoints: c.points.map((p, i) => histogramPoint(c, p, attrs[i]!)),
        aggregationTemporality: OTLP_TEMPORALITY[c.temporality],
      },
    },
  ];
}

/** The request body (UTF-8 JSON). The resource is encoded as the trace exporter encodes it. */
export function encodeOtlpMetricsJson(c: RedCollection, resource: Resource): string {
  const scope = JSON.stringify({ name: SDK_NAME, version: SDK_VERSION });
  return `{"resourceMetrics":[{"resource":${encodeResourceJson(resource)},"scopeMetrics":[{"scope":${scope},"metrics":${JSON.stringify(metricsOf(c))}}]}]}`;
}
