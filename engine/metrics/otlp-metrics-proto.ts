// ExportMetricsServiceRequest in OTLP binary protobuf. Field numbers from
// opentelemetry/proto/metrics/v1/metrics.proto, collector/metrics/v1/metrics_service.proto and
// common/v1/common.proto (the tests decode these bodies with that very schema).

import { OTLP_TEMPORALITY } from './metric-points.js';
import type { RedCollection, RedPoint } from './metric-points.js';
import { RED_LABEL, RED_METRIC } from './metric-names.js';
import { SCOPE_NAME, SCOPE_VERSION } from './otlp-scope.js';
import { ProtobufWriter } from './protobuf-writer.js';

// KeyValue { key = 1; value = 2 }, AnyValue { string_value = 1; bool_value = 2 }
function stringAttribute(w: ProtobufWriter, field: number, key: string, value: string): void {
  w.fork();
  w.string(1, key);
  w.fork();
  w.string(1, value, true);
  w.join(2);
  w.join(field);
}

function pointAttributes(w: ProtobufWriter, field: number, p: RedPoint): void {
  const s = p.series;
  stringAttribute(w, field, RED_LABEL.route, s.route);
  stringAttribute(w, field, RED_LABEL.kind, s.kindLabel);
  stringAttribute(w, field, RED_LABEL.statusClass, s.statusClassLabel);
  if (s.isOverflow) {
    w.fork();
    w.string(1, RED_LABEL.overflowOtlp);
    w.fork();
    w.bool(2, true);
    w.join(2);
    w.join(field);
  }
}

type MetricDef = { otlpName: string; unit: string; description: string };

// Metric { name = 1; description = 2; unit = 3; ... }; the caller joins the data field.
function beginMetric(w: ProtobufWriter, def: MetricDef): void {
  w.fork();
  w.string(1, def.otlpName);
  w.string(2, def.description);
  w.string(3, def.unit);
  w.fork();
}

// Both data point types have start_time_unix_nano = 2 and time_unix_nano = 3; attributes differ (7 vs 9).
function beginPoint(w: ProtobufWriter, attributesField: number, p: RedPoint): void {
  w.fork();
  pointAttributes(w, attributesField, p);
  w.fixed64Big(2, p.startTimeUnixNano);
  w.fixed64Big(3, p.timeUnixNano);
}

// Metric.sum = 7
// Sum { data_points = 1; aggregation_temporality = 2; is_monotonic = 3 }
// NumberDataPoint { attributes = 7; start_time_unix_nano = 2; time_unix_nano = 3; as_int = 6 }
function sumMetric(w: ProtobufWriter, c: RedCollection, def: MetricDef, pick: (p: RedPoint) => number): void {
  beginMetric(w, def);
  for (const p of c.points) {
    beginPoint(w, 7, p);
    w.fixed64(6, pick(p));
    w.join(1);
  }
  w.varint(2, OTLP_TEMPORALITY[c.temporality]);
  w.bool(3, true);
  w.join(7);
  w.join(2);
}

// Metric.histogram = 9: Histogram { data_points = 1; aggregation_temporality = 2 }
// HistogramDataPoint { attributes = 9; start = 2; time = 3; count = 4; sum = 5;
//   bucket_counts = 6; explicit_bounds = 7; min = 11; max = 12 }
function histogramMetric(w: ProtobufWriter, c: RedCollection): void {
  beginMetric(w, RED_METRIC.duration);
  for (const p of c.points) {
    beginPoint(w, 9, p);
    w.fixed64(4, p.count);
    w.double(5, p.sum);
    w.packedFixed64(6, p.buckets);
    w.packedDouble(7, c.boundaries);
    if (!Number.isNaN(p.min)) {
      w.double(11, p.min);
      w.double(12, p.max);
    }
    w.join(1);
  }
  w.varint(2, OTLP_TEMPORALITY[c.temporality]);
  w.join(9);
  w.join(2);
}

export function encodeOtlpMetricsProto(c: RedCollection): Uint8Array {
  const w = new ProtobufWriter(1024 + c.points.length * 512);
  w.fork(); // ExportMetricsServiceRequest.resource_metrics = 1
  w.fork(); // ResourceMetrics.resource = 1
  stringAttribute(w, 1, 'service.name', c.serviceName);
  w.join(1);
  w.fork(); // ResourceMetrics.scope_metrics = 2
  w.fork(); // ScopeMetrics.scope = 1
  w.string(1, SCOPE_NAME);
  w.string(2, SCOPE_VERSION);
  w.join(1);
  if (c.points.length > 0) {
    sumMetric(w, c, RED_METRIC.requests, (p) => p.count);
    sumMetric(w, c, RED_METRIC.errors, (p) => p.errorCount);
    histogramMetric(w, c);
  }
  w.join(2);
  w.join(1);
  return w.finish();
}
