// OTLP/JSON metrics bodies, checked field by field against the OTLP JSON mapping
// (64-bit integers as decimal strings, enums as integers, lowerCamelCase).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PointCollector, RedMetrics, SpanKind, encodeOtlpMetricsJson } from '../../../engine/index.js';
import { testResource } from './helpers.js';

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };

function attrs(route: string, kind: string, statusClass: string): unknown[] {
  return [
    { key: 'route', value: { stringValue: route } },
    { key: 'span_kind', value: { stringValue: kind } },
    { key: 'status_class', value: { stringValue: statusClass } },
  ];
}

test('a cumulative collection is encoded exactly as the OTLP JSON mapping says', () => {
  const agg = new RedMetrics({ serviceName: 'gateway', boundaries: [10, 100] });
  agg.record('/users/:id', SpanKind.SERVER, 200, false, 4);
  agg.record('/users/:id', SpanKind.SERVER, 201, false, 50);
  agg.record('charge', SpanKind.CLIENT, 503, true, 250.5);
  const collection = new PointCollector(agg, 'cumulative').collect();
  const [p1, p2] = collection.points;
  assert.ok(p1 && p2);
  const time = p1.timeUnixNano.toString();
  assert.match(time, /^\d{19}$/);
  assert.ok(p1.startTimeUnixNano <= p1.timeUnixNano);

  const common = (p: typeof p1) => ({ startTimeUnixNano: p.startTimeUnixNano.toString(), timeUnixNano: time });
  const body = JSON.parse(encodeOtlpMetricsJson(collection, testResource('gateway')));
  assert.deepEqual(body, {
    resourceMetrics: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'gateway' } },
            { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
            { key: 'telemetry.sdk.name', value: { stringValue: 'nestjs-trace-context' } },
            { key: 'telemetry.sdk.version', value: { stringValue: pkg.version } },
          ],
        },
        scopeMetrics: [
          {
            scope: { name: 'nestjs-trace-context', version: pkg.version },
            metrics: [
              {
                name: 'ntc.requests',
                description: 'Requests and calls (server, client and consumer spans), sampled or not.',
                unit: '{request}',
                sum: {
                  dataPoints: [
                    { attributes: attrs('/users/:id', 'server', '2xx'), ...common(p1), asInt: '2' },
                    { attributes: attrs('charge', 'client', '5xx'), ...common(p2), asInt: '1' },
                  ],
                  aggregationTemporality: 2,
                  isMonotonic: true,
                },
              },
              {
                name: 'ntc.request.errors',
                description: 'Requests and calls that ended in error, sampled or not.',
                unit: '{request}',
                sum: {
                  dataPoints: [
                    { attributes: attrs('/users/:id', 'server', '2xx'), ...common(p1), asInt: '0' },
                    { attributes: attrs('charge', 'client', '5xx'), ...common(p2), asInt: '1' },
                  ],
                  aggregationTemporality: 2,
                  isMonotonic: true,
                },
              },
              {
                name: 'ntc.request.duration',
                description: 'Duration of requests and calls in milliseconds, sampled or not.',
                unit: 'ms',
                histogram: {
                  dataPoints: [
                    {
                      attributes: attrs('/users/:id', 'server', '2xx'),
                      ...common(p1),
                      count: '2',
                      sum: 54,
                      bucketCounts: ['1', '1', '0'],
                      explicitBounds: [10, 100],
                      min: 4,
                      max: 50,
                    },
                    {
                      attributes: attrs('charge', 'client', '5xx'),
                      ...common(p2),
                      count: '1',
                      sum: 250.5,
                      bucketCounts: ['0', '0', '1'],
                      explicitBounds: [10, 100],
                      min: 250.5,
                      max: 250.5,
                    },
                  ],
                  aggregationTemporality: 2,
                },
              },
            ],
          },
        ],
      },
    ],
  });
});

test('delta collections carry only what changed since the previous one, with temporality 1 and no min/max', () => {
  const agg = new RedMetrics({ serviceName: 'svc', boundaries: [10] });
  const delta = new PointCollector(agg, 'delta');
  const cumulative = new PointCollector(agg, 'cumulative');
  agg.record('/a', SpanKind.SERVER, 200, false, 1);
  agg.record('/b', SpanKind.SERVER, 200, false, 20);
  const first = delta.collect();
  assert.deepEqual(first.points.map((p) => [p.series.route, p.count, p.sum, Array.from(p.buckets)]), [
    ['/a', 1, 1, [1, 0]],
    ['/b', 1, 20, [0, 1]],
  ]);
  agg.record('/a', SpanKind.SERVER, 200, false, 2);
  agg.record('/a', SpanKind.SERVER, 500, true, 30);
  const second = delta.collect();
  assert.deepEqual(second.points.map((p) => [p.series.route, p.series.statusClassLabel, p.count, p.errorCount, p.sum, Array.from(p.buckets)]), [
    ['/a', '2xx', 1, 0, 2, [1, 0]],
    ['/a', '5xx', 1, 1, 30, [0, 1]],
  ]);
  // The second interval of /a starts where the first ended: no gap, no overlap.
  assert.equal(second.points[0]!.startTimeUnixNano, first.points[0]!.timeUnixNano);
  const body = JSON.parse(encodeOtlpMetricsJson(second, testResource('svc')));
  const histogramPoint = body.resourceMetrics[0].scopeMetrics[0].metrics[2].histogram;
  assert.equal(histogramPoint.aggregationTemporality, 1);
  assert.equal(body.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality, 1);
  assert.equal('min' in histogramPoint.dataPoints[0], false);
  // A delta reader does not disturb a cumulative one on the same aggregator.
  assert.deepEqual(cumulative.collect().points.map((p) => p.count), [2, 1, 1]);
  // Nothing new: no points, and no metrics in the body.
  assert.equal(delta.collect().points.length, 0);
  assert.deepEqual(JSON.parse(encodeOtlpMetricsJson(delta.collect(), testResource('svc'))).resourceMetrics[0].scopeMetrics[0].metrics, []);
});
