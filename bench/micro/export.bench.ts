// Export: serializing a batch of 512 typical server spans to an OTLP request body, protobuf and
// JSON, against OpenTelemetry JS's own serializers (@opentelemetry/otlp-transformer, the code
// its OTLP exporters run) on the same spans in the same run. One op = one 512-span batch; the
// ns per span and body sizes are printed after the table.
// The "distinct values" batch is the worst case for the serializers' per-key caches (every
// attribute value differs from the previous span's); typical server spans repeat most values.
// BENCH_CPU=1: interleaved rounds instead (see cpuMode), for the loaded shared machine.

import { pathToFileURL } from 'node:url';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { buildResource } from '../../engine/export/resource.js';
import { OtlpProtobufSerializer } from '../../engine/export/otlp/otlp-protobuf.js';
import { OtlpJsonSerializer } from '../../engine/export/otlp/otlp-json.js';
import { ZipkinJsonSerializer } from '../../engine/export/zipkin/zipkin-json.js';
import { makeSpan, serverSpan, toOtelSpans } from '../../test/engine/export/span-fixture.js';
import { median } from '../stats.js';
import { defineSuite, formatResults, runSuite } from './harness.js';

const BATCH = 512;
const resource = buildResource('orders', { 'deployment.environment.name': 'production', 'service.version': '1.4.2' }, {}, { warn: () => undefined });
const spans = Array.from({ length: BATCH }, (_, i) => serverSpan(i));
const otelSpans = toOtelSpans(spans, resource);
const distinct = Array.from({ length: BATCH }, (_, i) =>
  makeSpan({
    parentSpanId: 'b7ad6b7169203331',
    parentIsRemote: true,
    traceFlags: 3,
    name: `GET /api/v${i}/users/:id`,
    kind: 1,
    startTime: 1000 + i,
    endTime: 1003.25 + i,
    attributes: {
      'http.request.method': ['GET', 'POST', 'PUT', 'DELETE'][i % 4]!,
      'http.route': `/api/v${i}/users/:id`,
      'url.path': `/api/v${i}/users/${1000 + i}`,
      'url.scheme': i % 2 === 0 ? 'http' : 'https',
      'server.address': `api-${i}.internal`,
      'server.port': 3000 + i,
      'http.response.status_code': 200 + (i % 2),
      'user_agent.original': `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.${i}`,
      'client.address': `10.0.${i >> 8}.${i & 255}`,
      'request.id': `req-${i}`,
    },
  }),
);
const otelDistinct = toOtelSpans(distinct, resource);
type OtelSerializer = { serializeRequest(spans: unknown[]): Uint8Array | undefined };
const otelProto = ProtobufTraceSerializer as OtelSerializer;
const otelJson = JsonTraceSerializer as OtelSerializer;
const ntcProto = new OtlpProtobufSerializer(resource);
const ntcJson = new OtlpJsonSerializer(resource);
const zipkin = new ZipkinJsonSerializer('orders');

export const suite = defineSuite({
  name: 'export',
  cases: [
    { name: 'otlp protobuf 512 spans (ntc)', impl: 'ntc', fn: () => ntcProto.serialize(spans, BATCH) },
    { name: 'otlp protobuf 512 spans (otel)', impl: 'otel', fn: () => otelProto.serializeRequest(otelSpans) },
    // Both produce the UTF-8 request body as bytes.
    { name: 'otlp json 512 spans (ntc)', impl: 'ntc', fn: () => ntcJson.serialize(spans, BATCH) },
    { name: 'otlp json 512 spans (otel)', impl: 'otel', fn: () => otelJson.serializeRequest(otelSpans) },
    { name: 'otlp protobuf distinct values (ntc)', impl: 'ntc', fn: () => ntcProto.serialize(distinct, BATCH) },
    { name: 'otlp protobuf distinct values (otel)', impl: 'otel', fn: () => otelProto.serializeRequest(otelDistinct) },
    { name: 'otlp json distinct values (ntc)', impl: 'ntc', fn: () => ntcJson.serialize(distinct, BATCH) },
    { name: 'otlp json distinct values (otel)', impl: 'otel', fn: () => otelJson.serializeRequest(otelDistinct) },
    { name: 'zipkin json 512 spans (ntc)', impl: 'ntc', fn: () => zipkin.serialize(spans, BATCH) },
  ],
  comparisons: [
    { id: 'otlp-protobuf-speedup', ours: 'otlp protobuf 512 spans (ntc)', theirs: 'otlp protobuf 512 spans (otel)', metric: 'time' },
    { id: 'otlp-json-speedup', ours: 'otlp json 512 spans (ntc)', theirs: 'otlp json 512 spans (otel)', metric: 'time' },
    { id: 'otlp-protobuf-distinct-values-speedup', ours: 'otlp protobuf distinct values (ntc)', theirs: 'otlp protobuf distinct values (otel)', metric: 'time' },
    { id: 'otlp-json-distinct-values-speedup', ours: 'otlp json distinct values (ntc)', theirs: 'otlp json distinct values (otel)', metric: 'time' },
    { id: 'otlp-protobuf-bytes', ours: 'otlp protobuf 512 spans (ntc)', theirs: 'otlp protobuf 512 spans (otel)', metric: 'bytes' },
  ],
});

/**
 * CPU-time mode (`BENCH_CPU=1`): on the shared 2-core machine wall-clock samples mostly measure
 * the scheduler, and cases run one after another see different loads. Here every round runs
 * each case for a fixed number of batches, cases interleaved, between process.cpuUsage() and
 * hrtime reads; the median of the rounds is printed per case (CPU and wall) and the ratios
 * are taken of the CPU medians.
 */
function cpuMode(): void {
  const rounds = Number(process.env.BENCH_CPU_ROUNDS ?? 15);
  const batches = Number(process.env.BENCH_CPU_BATCHES ?? 40);
  const cpu = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  let sink: unknown;
  for (const c of suite.cases) {
    cpu.set(c.name, []);
    wall.set(c.name, []);
    for (let i = 0; i < batches; i++) sink = c.fn();
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of suite.cases) {
      const start = process.hrtime.bigint();
      const used = process.cpuUsage();
      for (let i = 0; i < batches; i++) sink = c.fn();
      const { user, system } = process.cpuUsage(used);
      wall.get(c.name)!.push(Number(process.hrtime.bigint() - start) / batches);
      cpu.get(c.name)!.push(((user + system) * 1000) / batches);
    }
  }
  const cpuNs = new Map<string, number>();
  for (const c of suite.cases) {
    const ns = median(cpu.get(c.name)!);
    cpuNs.set(c.name, ns);
    console.log(`${'export(cpu)'.padEnd(12)} ${c.name.padEnd(44)} ${(ns / BATCH).toFixed(0).padStart(7)} ns/span CPU ${(median(wall.get(c.name)!) / BATCH).toFixed(0).padStart(7)} ns/span wall`);
  }
  for (const cmp of suite.comparisons) {
    if (cmp.metric !== 'time') continue;
    console.log(`${'export(cpu)'.padEnd(12)} ${cmp.id.padEnd(44)} ${(cpuNs.get(cmp.theirs)! / cpuNs.get(cmp.ours)!).toFixed(2)}x (CPU time, median of ${rounds} interleaved rounds)`);
  }
  void sink;
}

async function standalone(): Promise<void> {
  const results = await runSuite(suite, { timeMs: Number(process.env.BENCH_TIME_MS ?? 500), warmupMs: 100 });
  console.log(formatResults(results));
  for (const c of results.cases) console.log(`${'export'.padEnd(12)} ${c.name.padEnd(44)} ${(c.nsPerOp / BATCH).toFixed(1).padStart(10)} ns/span`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.env.BENCH_CPU === '1') cpuMode();
  else await standalone();
  const sizes: Array<[string, number]> = [
    ['otlp protobuf (ntc)', ntcProto.serialize(spans, BATCH).length],
    ['otlp protobuf (otel)', otelProto.serializeRequest(otelSpans)!.length],
    ['otlp json (ntc)', ntcJson.serialize(spans, BATCH).length],
    ['otlp json (otel)', otelJson.serializeRequest(otelSpans)!.length],
    ['zipkin json (ntc)', Buffer.byteLength(zipkin.serialize(spans, BATCH))],
  ];
  for (const [name, bytes] of sizes) console.log(`${'export'.padEnd(12)} ${`body ${name}`.padEnd(44)} ${String(bytes).padStart(10)} bytes (${(bytes / BATCH).toFixed(1)} per span)`);
}
