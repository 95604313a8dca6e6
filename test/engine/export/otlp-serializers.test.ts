// OTLP request bodies, protobuf and JSON, decoded with the official schema and compared with
// what OpenTelemetry JS's own serializers (@opentelemetry/otlp-transformer) produce for the
// same spans: ids, names, kinds, times, attributes, events, links, status, resource, scope,
// dropped counts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OtlpProtobufSerializer } from '../../../engine/export/otlp/otlp-protobuf.js';
import { OtlpJsonSerializer } from '../../../engine/export/otlp/otlp-json.js';
import { buildResource } from '../../../engine/export/resource.js';
import { writeEpochNanos } from '../../../engine/export/epoch-time.js';
import { EpochNanosText } from '../../../engine/export/otlp/epoch-nanos-text.js';
import { toEpochNanos } from '../../../engine/spans/clock.js';
import type { SpanData } from '../../../engine/spans/span-data.js';
import { decodeProtobufRequest, readJsonRequestStrict } from './otlp-schema.js';
import { event, link, makeSpan, serverSpan, toOtelSpans, type FixtureSpan } from './span-fixture.js';

const silent = { warn: () => undefined };
const resource = buildResource('checkout', { 'deployment.environment.name': 'test', 'service.instance.id': 7 }, {}, silent);

type OtelSerializer = { serializeRequest(spans: unknown[]): Uint8Array | undefined };

function otelProtobuf(spans: SpanData[]): unknown {
  return decodeProtobufRequest((ProtobufTraceSerializer as OtelSerializer).serializeRequest(toOtelSpans(spans, resource))!);
}

function otelJson(spans: SpanData[]): unknown {
  return readJsonRequestStrict((JsonTraceSerializer as OtelSerializer).serializeRequest(toOtelSpans(spans, resource))!, { allowNumericInt64: true });
}

function richSpans(): FixtureSpan[] {
  return [
    serverSpan(1),
    makeSpan({
      name: 'charge-card ✓ “unicode” \u{1F600}',
      kind: 2,
      parentSpanId: '53995c3f42cd8ad8',
      traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
      statusCode: 2,
      statusMessage: 'card declined: insufficient funds',
      startTime: 5.000001,
      endTime: 86_400_000.5,
      attributes: {
        str: 'x'.repeat(300),
        ['long.key.' + 'k'.repeat(130)]: 'v',
        int: 42,
        negative: -7,
        big: 2 ** 40 + 3,
        maxSafe: Number.MAX_SAFE_INTEGER,
        double: 3.25,
        tiny: 1e-9,
        boolTrue: true,
        boolFalse: false,
        strings: ['a', 'b', ''],
        numbers: [1, 2.5, -3],
        bools: [true, false],
        withNull: ['a', null, 'c'],
        empty: [],
        emptyString: '',
      },
      droppedAttributesCount: 3,
      events: [
        event('exception', 1000.5, { 'exception.type': 'Error', 'exception.message': 'boom', 'exception.stacktrace': 'at x\n'.repeat(50) }),
        event('retry', 1001, null, 2),
        event('no attributes', 1002, {}),
      ],
      droppedEventsCount: 1,
      links: [
        link('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', { 'link.reason': 'batch', n: 1 }, 'vendor=value'),
        link('11111111111111111111111111111111', '2222222222222222'),
      ],
      droppedLinksCount: 4,
      scopeName: 'payments',
    }),
    makeSpan({ kind: 0, name: 'internal work', statusCode: 1, attributes: {}, scopeName: 'nestjs-trace-context' }),
    makeSpan({ kind: 3, name: 'publish', parentSpanId: 'aaaaaaaaaaaaaaaa', parentIsRemote: false, traceFlags: 1 }),
    makeSpan({ kind: 4, name: 'consume', parentSpanId: 'bbbbbbbbbbbbbbbb', parentIsRemote: true, scopeName: 'payments' }),
  ];
}

test('protobuf body decodes with the official schema and equals OpenTelemetry JS output for the same spans', () => {
  const spans = richSpans();
  const ours = decodeProtobufRequest(new OtlpProtobufSerializer(resource).serialize(spans, spans.length));
  assert.deepEqual(ours, otelProtobuf(spans));
});

test('JSON body reads strictly against the schema and equals OpenTelemetry JS output for the same spans', () => {
  const spans = richSpans();
  const body = new OtlpJsonSerializer(resource).serialize(spans, spans.length);
  const ours = readJsonRequestStrict(body);
  assert.deepEqual(ours, otelJson(spans));
});

test('protobuf and JSON bodies carry the same content', () => {
  const spans = richSpans();
  assert.deepEqual(
    decodeProtobufRequest(new OtlpProtobufSerializer(resource).serialize(spans, spans.length)),
    readJsonRequestStrict(new OtlpJsonSerializer(resource).serialize(spans, spans.length)),
  );
});

test('JSON follows the OTLP/JSON rules: hex ids, 64-bit integers as strings, enums as integers', () => {
  const span = makeSpan({ kind: 2, statusCode: 2, parentSpanId: '53995c3f42cd8ad8', attributes: { n: 5, big: 2 ** 60 } });
  const json = JSON.parse(new OtlpJsonSerializer(resource).serialize([span], 1).toString('utf8')) as any;
  const s = json.resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(s.traceId, span.traceId);
  assert.equal(s.spanId, span.spanId);
  assert.equal(s.parentSpanId, '53995c3f42cd8ad8');
  assert.equal(s.kind, 3);
  assert.equal(s.status.code, 2);
  assert.equal(typeof s.startTimeUnixNano, 'string');
  assert.equal(s.startTimeUnixNano, toEpochNanos(span.startTime).toString());
  assert.deepEqual(s.attributes[0], { key: 'n', value: { intValue: '5' } });
  assert.deepEqual(s.attributes[1], { key: 'big', value: { intValue: String(2n ** 60n) } });
});

test('spans from several tracers go into one ScopeSpans each, in first-seen order, inside one ResourceSpans', () => {
  const spans = [makeSpan({ scopeName: 'a' }), makeSpan({ scopeName: 'b' }), makeSpan({ scopeName: 'a' })];
  const decoded = decodeProtobufRequest(new OtlpProtobufSerializer(resource).serialize(spans, 3)) as any;
  assert.equal(decoded.resourceSpans.length, 1);
  assert.deepEqual(
    decoded.resourceSpans[0].scopeSpans.map((s: any) => [s.scope.name, s.spans.map((x: any) => x.spanId)]),
    [
      ['a', [spans[0]!.spanId, spans[2]!.spanId]],
      ['b', [spans[1]!.spanId]],
    ],
  );
});

test('only the first `count` spans of the batch array are written', () => {
  const spans = [makeSpan(), makeSpan(), makeSpan()];
  const decoded = decodeProtobufRequest(new OtlpProtobufSerializer(resource).serialize(spans, 2)) as any;
  assert.equal(decoded.resourceSpans[0].scopeSpans[0].spans.length, 2);
  const json = readJsonRequestStrict(new OtlpJsonSerializer(resource).serialize(spans, 2)) as any;
  assert.equal(json.resourceSpans[0].scopeSpans[0].spans.length, 2);
});

test('a 512-span batch (bodies past 16 KiB and 2 MiB length prefixes) round-trips', () => {
  const spans = Array.from({ length: 512 }, (_, i) => serverSpan(i));
  const serializer = new OtlpProtobufSerializer(resource);
  const first = serializer.serialize(spans, spans.length);
  assert.deepEqual(decodeProtobufRequest(first), otelProtobuf(spans));
  // The scratch buffer is reused: a second batch must not corrupt the first payload.
  const again = serializer.serialize(spans.slice(0, 3), 3);
  assert.deepEqual(decodeProtobufRequest(first), otelProtobuf(spans));
  assert.equal((decodeProtobufRequest(again) as any).resourceSpans[0].scopeSpans[0].spans.length, 3);
  const huge = [makeSpan({ attributes: { blob: 'y'.repeat(3 * 1024 * 1024) } })];
  assert.deepEqual(decodeProtobufRequest(serializer.serialize(huge, 1)), otelProtobuf(huge));
});

test('epoch nanoseconds without BigInt equal clock.toEpochNanos for every clock time', () => {
  const times = [0, 0.000001, 1, 1.5, 123.456789, -5.25, -0.000001, 86_400_000.123456, 31_536_000_000.000001, 4294.967296, 4294.967295];
  for (const t of times) {
    let lo = 0;
    let hi = 0;
    writeEpochNanos({ fixed64: (l, h) => ((lo = l), (hi = h)) }, t);
    const expected = toEpochNanos(t);
    assert.equal((BigInt(hi) << 32n) | BigInt(lo), expected, `fixed64 for ${t}`);
  }
});

// The JSON serializer caches quoted keys, KeyValue fragments (last value per key), span-name
// fragments and seconds strings across spans and batches, and copies ASCII text out as latin1.
// Each test below drives one of those caches through a change that a stale entry would get wrong.

function jsonOf(serializer: OtlpJsonSerializer, spans: SpanData[]): unknown {
  return readJsonRequestStrict(serializer.serialize(spans, spans.length));
}

test('JSON and protobuf: one serializer over many batches (cached fragments reused, values changing under the same keys) equals OpenTelemetry JS every time', () => {
  const serializer = new OtlpJsonSerializer(resource);
  const protobuf = new OtlpProtobufSerializer(resource);
  const batches: FixtureSpan[][] = [
    Array.from({ length: 70 }, (_, i) => serverSpan(i)),
    Array.from({ length: 70 }, (_, i) => serverSpan(i % 3)),
    // Same keys, other values, other order (a key first in one span and after a comma in the next).
    Array.from({ length: 40 }, (_, i) =>
      makeSpan({ attributes: i % 2 === 0 ? { 'http.route': '/a', 'server.port': 8080, flag: true } : { flag: false, 'server.port': 8080.5, 'http.route': '/a' } }),
    ),
    // One name with every kind, flags and is-remote bit (the name's cached middle must follow them).
    Array.from({ length: 24 }, (_, i) =>
      makeSpan({ name: 'same', kind: (i % 5) as 0 | 1 | 2 | 3 | 4, traceFlags: i % 4, parentSpanId: 'b7ad6b7169203331', parentIsRemote: i % 3 === 0 }),
    ),
    Array.from({ length: 70 }, (_, i) => serverSpan(i)),
  ];
  for (const spans of batches) {
    assert.deepEqual(jsonOf(serializer, spans), otelJson(spans));
    assert.deepEqual(decodeProtobufRequest(protobuf.serialize(spans, spans.length)), otelProtobuf(spans));
  }
});

test('JSON and protobuf: an array attribute changed in place between batches is written with its new contents', () => {
  const serializer = new OtlpJsonSerializer(resource);
  const protobuf = new OtlpProtobufSerializer(resource);
  const tags = ['a', 'b'];
  const spans = [makeSpan({ attributes: { tags } }), makeSpan({ attributes: { tags } })];
  assert.deepEqual(jsonOf(serializer, spans), otelJson(spans));
  assert.deepEqual(decodeProtobufRequest(protobuf.serialize(spans, 2)), otelProtobuf(spans));
  tags[1] = 'changed';
  tags.push('c');
  assert.deepEqual(decodeProtobufRequest(protobuf.serialize(spans, 2)), otelProtobuf(spans));
  const json = jsonOf(serializer, spans) as any;
  assert.deepEqual(
    json.resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.arrayValue.values.map((v: any) => v.stringValue),
    ['a', 'changed', 'c'],
  );
  assert.deepEqual(json, otelJson(spans));
});

test('JSON: non-ASCII and escaped text anywhere in a chunk of spans (names, cached values, trace state) is valid UTF-8 equal to OpenTelemetry JS', () => {
  const serializer = new OtlpJsonSerializer(resource);
  const texts = ['é', 'snow ☃', 'emoji \u{1F600}', 'lone \ud800 surrogate', 'quote " and \\ and \n newline', 'del \u007f', 'latin1 \u00ff only'];
  const spans = Array.from({ length: 100 }, (_, i) => {
    const t = texts[i % texts.length]!;
    if (i % 9 === 0) return makeSpan({ name: t });
    if (i % 9 === 1) return makeSpan({ attributes: { 'note.text': t, [t]: i } });
    if (i % 9 === 2) return makeSpan({ traceState: 'vendor=' + t, statusCode: 2, statusMessage: t });
    if (i % 9 === 3) return makeSpan({ events: [event(t, 1001, { [t]: t })], links: [link('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', { t }, t)] });
    return serverSpan(i);
  });
  for (let round = 0; round < 2; round++) {
    const body = serializer.serialize(spans, spans.length);
    assert.equal(Buffer.from(body.toString('utf8'), 'utf8').equals(body), true, 'body is well-formed UTF-8');
    assert.deepEqual(readJsonRequestStrict(body), otelJson(spans));
  }
});

test('JSON and protobuf: more distinct keys and span names than the caches hold are still written exactly', () => {
  const serializer = new OtlpJsonSerializer(resource);
  const protobuf = new OtlpProtobufSerializer(resource);
  const spans = Array.from({ length: 1500 }, (_, i) => makeSpan({ name: `op ${i}`, attributes: { [`key.${i}`]: `value ${i}`, [`key.${i + 1}`]: i } }));
  for (const batch of [spans, spans.slice(1400), spans.slice(1400)]) {
    assert.deepEqual(jsonOf(serializer, batch), otelJson(batch));
    assert.deepEqual(decodeProtobufRequest(protobuf.serialize(batch, batch.length)), otelProtobuf(batch));
  }
});

test('JSON epoch nanoseconds (cached seconds, 9-digit remainder) equal clock.toEpochNanos, across second boundaries in one batch', () => {
  const text = new EpochNanosText();
  const times = [0, 0.000001, 1, 999.999999, 1000, 1000.000001, 123.456789, -5.25, -0.000001, 86_400_000.123456, 31_536_000_000.000001, 4294.967296, 0.1, 0.01, 0];
  for (const t of times) assert.equal(text.text(t), toEpochNanos(t).toString(), `time ${t}`);
  const serializer = new OtlpJsonSerializer(resource);
  const spans = times.map((t, i) => makeSpan({ name: i % 2 === 0 ? 'even' : 'odd', startTime: t, endTime: t + 0.5 + i * 300, events: [event('e', t + 1)] }));
  assert.deepEqual(jsonOf(serializer, spans), otelJson(spans));
});
