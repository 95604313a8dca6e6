// ExportMetricsServiceRequest in OTLP binary protobuf, written with the trace exporter's
// ProtoWriter and its encoded Resource (ResourceMetrics.resource is field 1 as
// ResourceSpans.resource is, so the same bytes serve). Field numbers from
// opentelemetry/proto/metrics/v1/metrics.proto, collector/metrics/v1/metrics_service.proto and
// common/v1/common.proto; the tests decode these bodies with that very schema.
// Cold path: once per export interval.

import { ProtoWriter, tag } from '../export/otlp/proto-writer.js';
import { encodeResource } from '../export/otlp/otlp-protobuf.js';
import { SDK_NAME, SDK_VERSION } from '../export/resource.js';
import type { Resource } from '../export/resource.js';
import { OTLP_TEMPORALITY } from './metric-points.js';
import type { RedCollection, RedPoint } from './metric-points.js';
import { RED_LABEL, RED_METRIC } from './metric-names.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const TWO_32 = 4294967296;

type MetricDef = { readonly otlpName: string; readonly unit: string; readonly description: string };

function stringField(w: ProtoWriter, field: number, value: string): void {
  w.byte(tag(field, LEN));
  w.string(value);
}

/** fixed64 of a non-negative integer below 2^53 (counts). */
function fixed64Number(w: ProtoWriter, field: number, value: number): void {
  w.byte(tag(field, I64));
  const lo = value % TWO_32;
  w.fixed64(lo, (value - lo) / TWO_32);
}

function fixed64Big(w: ProtoWriter, field: number, value: bigint): void {
  w.byte(tag(field, I64));
  w.fixed64(Number(value & 0xffffffffn), Number(value >> 32n));
}

function doubleField(w: ProtoWriter, field: number, value: number): void {
  w.byte(tag(field, I64));
  w.double(value);
}

// KeyValue { key = 1; value = 2 }, AnyValue { string_value = 1; bool_value = 2 }
function keyValue(w: ProtoWriter, field: number, key: string, value: string | true): void {
  w.byte(tag(field, LEN));
  const kv = w.beginMessage(1);
  stringField(w, 1, key);
  w.byte(tag(2, LEN));
  const any = w.beginMessage(1);
  if (value === true) {
    w.byte(tag(2, VARINT));
    w.byte(1);
  } else {
    stringField(w, 1, value);
  }
  w.endMessage(any);
  w.endMessage(kv);
}

function pointAttributes(w: ProtoWriter, field: number, p: RedPoint): void {
  const s = p.series;
  keyValue(w, field, RED_LABEL.route, s.route);
  keyValue(w, field, RED_LABEL.kind, s.kindLabel);
  keyValue(w, field, RED_LABEL.statusClass, s.statusClassLabel);
  if (s.isOverflow) keyValue(w, field, RED_LABEL.overflowOtlp, true);
}

// ScopeMetrics.metrics = 2: Metric { name = 1; description = 2; unit = 3; sum = 7 | histogram = 9 }.
// Returns the marks to close with endMetric.
function beginMetric(w: ProtoWriter, def: MetricDef, dataField: number): [number, number] {
  w.byte(tag(2, LEN));
  const metric = w.beginMessage(3);
  stringField(w, 1, def.otlpName);
  stringField(w, 2, def.description);
  stringField(w, 3, def.unit);
  w.byte(tag(dataField, LEN));
  return [metric, w.beginMessage(3)];
}

// data_points = 1 in Sum and Histogram; both point types have start_time_unix_nano = 2 and
// time_unix_nano = 3; attributes are 7 (NumberDataPoint) or 9 (HistogramDataPoint).
function beginPoint(w: ProtoWriter, attributesField: number, p: RedPoint): number {
  w.byte(tag(1, LEN));
  const point = w.beginMessage(2);
  pointAttributes(w, attributesField, p);
  fixed64Big(w, 2, p.startTimeUnixNano);
  fixed64Big(w, 3, p.timeUnixNano);
  return point;
}

// aggregation_temporality = 2 in Sum and Histogram.
function endMetric(w: ProtoWriter, c: RedCollection, marks: [number, number], monotonic: boolean): void {
  w.byte(tag(2, VARINT));
  w.byte(OTLP_TEMPORALITY[c.temporality]);
  if (monotonic) {
    w.byte(tag(3, VARINT)); // Sum.is_monotonic
    w.byte(1);
  }
  w.endMessage(marks[1]);
  w.endMessage(marks[0]);
}

// NumberDataPoint.as_int = 6 (sfixed64)
function sumMetric(w: ProtoWriter, c: RedCollection, def: MetricDef, pick: (p: RedPoint) => number): void {
  const marks = beginMetric(w, def, 7);
  for (const p of c.points) {
    const point = beginPoint(w, 7, p);
    fixed64Number(w, 6, pick(p));
    w.endMessage(point);
  }
  endMetric(w, c, marks, true);
}

function packed64(w: ProtoWriter, field: number, values: ArrayLike<number>, write: (v: number) => void): void {
  w.byte(tag(field, LEN));
  w.varint32(values.length * 8);
  for (let i = 0; i < values.length; i++) write(values[i]!);
}

// HistogramDataPoint { count = 4; sum = 5; bucket_counts = 6 (packed fixed64);
//   explicit_bounds = 7 (packed double); min = 11; max = 12 }
function histogramMetric(w: ProtoWriter, c: RedCollection): void {
  const marks = beginMetric(w, RED_METRIC.duration, 9);
  const writeCount = (v: number): void => {
    const lo = v % TWO_32;
    w.fixed64(lo, (v - lo) / TWO_32);
  };
  const writeDouble = (v: number): void => w.double(v);
  for (const p of c.points) {
    const point = beginPoint(w, 9, p);
    fixed64Number(w, 4, p.count);
    doubleField(w, 5, p.sum);
    packed64(w, 6, p.buckets, writeCount);
    if (c.boundaries.length > 0) packed64(w, 7, c.boundaries, writeDouble);
    if (!Number.isNaN(p.min)) {
      doubleField(w, 11, p.min);
      doubleField(w, 12, p.max);
    }
    w.endMessage(point);
  }
  endMetric(w, c, marks, false);
}

export function encodeOtlpMetricsProto(c: RedCollection, resource: Resource): Buffer {
  const w = new ProtoWriter(1024 + c.points.length * 768);
  w.byte(tag(1, LEN)); // ExportMetricsServiceRequest.resource_metrics
  const rm = w.beginMessage(4);
  w.raw(encodeResource(resource)); // ResourceMetrics.resource = 1
  w.byte(tag(2, LEN)); // ResourceMetrics.scope_metrics
  const sm = w.beginMessage(4);
  w.byte(tag(1, LEN)); // ScopeMetrics.scope: InstrumentationScope { name = 1; version = 2 }
  const scope = w.beginMessage(1);
  stringField(w, 1, SDK_NAME);
  stringField(w, 2, SDK_VERSION);
  w.endMessage(scope);
  if (c.points.length > 0) {
    sumMetric(w, c, RED_METRIC.requests, (p) => p.count);
    sumMetric(w, c, RED_METRIC.errors, (p) => p.errorCount);
    histogramMetric(w, c);
  }
  w.endMessage(sm);
  w.endMessage(rm);
  return w.finish();
}
