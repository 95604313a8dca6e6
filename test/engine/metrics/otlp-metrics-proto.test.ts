// OTLP protobuf metrics bodies, decoded with protobufjs from the official .proto files
// (test/fixtures/otlp-proto): the binary and JSON encodings carry the same request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PointCollector, RedMetrics, SpanKind, encodeOtlpMetricsJson, encodeOtlpMetricsProto } from '../../../engine/index.js';
import type { RedCollection } from '../../../engine/index.js';
import { decodeMetricsProto, testResource } from './helpers.js';

const RESOURCE = testResource('svc-ü');
const proto = (c: RedCollection): any => decodeMetricsProto(encodeOtlpMetricsProto(c, RESOURCE));
const json = (c: RedCollection): any => JSON.parse(encodeOtlpMetricsJson(c, RESOURCE));
import { seededRandom } from '../sampling/seeded-ids.js';

function mixed(serviceName: string, n: number): RedMetrics {
  const agg = new RedMetrics({ serviceName });
  const random = seededRandom(7);
  const routes = ['/a', '/b/:id', 'ünïcödé route', 'consume'];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(random() * routes.length);
    const kind = r === 3 ? SpanKind.CONSUMER : r === 2 ? SpanKind.CLIENT : SpanKind.SERVER;
    const status = kind === SpanKind.CONSUMER ? 0 : [200, 404, 500][Math.floor(random() * 3)]!;
    agg.record(routes[r]!, kind, status, status >= 500, Math.floor(random() * 20000) / 7);
  }
  return agg;
}

test('a cumulative protobuf body decodes with the official schema into the same request as the JSON body', () => {
  const collection = new PointCollector(mixed('svc-ü', 5000), 'cumulative').collect();
  assert.ok(collection.points.length >= 8);
  assert.deepEqual(proto(collection), json(collection));
});

test('a delta protobuf body (temporality 1, no min/max) decodes into the same request as the JSON body', () => {
  const agg = mixed('svc', 1000);
  const collector = new PointCollector(agg, 'delta');
  collector.collect();
  agg.record('/a', SpanKind.SERVER, 200, false, 3);
  const collection = collector.collect();
  assert.equal(collection.points.length, 1);
  const decoded = proto(collection);
  assert.deepEqual(decoded, json(collection));
  const histogram = decoded.resourceMetrics[0].scopeMetrics[0].metrics[2].histogram;
  assert.equal(histogram.aggregationTemporality, 1);
  assert.equal(histogram.dataPoints[0].count, '1');
  assert.equal(histogram.dataPoints[0].min, undefined);
});

test('counts above 2^32 survive the fixed64 encoding exactly', () => {
  const agg = new RedMetrics({ serviceName: 'svc', boundaries: [1] });
  agg.record('/big', SpanKind.SERVER, 200, false, 0.5);
  const collection = new PointCollector(agg, 'cumulative').collect();
  const p = collection.points[0]!;
  // A long-running process: counts past Uint32 range (2^53 is where doubles stop being exact).
  const big = 2 ** 40 + 3;
  const forged = { ...collection, points: [{ ...p, count: big, errorCount: big - 1, buckets: Float64Array.of(big, 0) }] };
  const decoded = proto(forged);
  const metrics = decoded.resourceMetrics[0].scopeMetrics[0].metrics;
  assert.equal(metrics[0].sum.dataPoints[0].asInt, String(big));
  assert.equal(metrics[1].sum.dataPoints[0].asInt, String(big - 1));
  assert.deepEqual(metrics[2].histogram.dataPoints[0].bucketCounts, [String(big), '0']);
});

test('an empty collection is a valid request with the resource and scope only', () => {
  const decoded = proto(new PointCollector(new RedMetrics({ serviceName: 's' }), 'cumulative').collect());
  assert.deepEqual(decoded.resourceMetrics[0].resource.attributes[0], { key: 'service.name', value: { stringValue: 'svc-ü' } });
  assert.equal(decoded.resourceMetrics[0].scopeMetrics[0].scope.name, 'nestjs-trace-context');
  assert.equal(decoded.resourceMetrics[0].scopeMetrics[0].metrics, undefined);
});
