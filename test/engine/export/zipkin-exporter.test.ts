// Zipkin v2: every body the exporter POSTs validates against the official API's Span schema
// (test/fixtures/zipkin-api/zipkin2-api.yaml, read with `yaml` and checked with ajv, both
// already in the dev tree through @opentelemetry/sdk-node and fastify), with unknown
// properties refused so a misspelled field fails; and the OpenTelemetry mapping holds: kinds,
// microsecond times, tags as strings, status tags, annotations, endpoints.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { ZipkinJsonSerializer } from '../../../engine/export/zipkin/zipkin-json.js';
import { resolveZipkinConfig } from '../../../engine/export/zipkin/zipkin-exporter.js';
import { toEpochMicros } from '../../../engine/spans/clock.js';
import { startSink } from '../../helpers/sink.js';
import { event, makeSpan } from './span-fixture.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, []));

const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

function spanListValidator(): (body: unknown) => string[] {
  const api = YAML.parse(readFileSync(fileURLToPath(new URL('../../../../test/fixtures/zipkin-api/zipkin2-api.yaml', import.meta.url)), 'utf8')) as {
    definitions: Record<string, Record<string, unknown>>;
  };
  const definitions = structuredClone(api.definitions);
  for (const name of ['Span', 'Endpoint', 'Annotation']) definitions[name]!.additionalProperties = false;
  const ajv = new (Ajv as any)({ strict: false, allErrors: true });
  (addFormats as any)(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const validate = ajv.compile({ definitions, $ref: '#/definitions/ListOfSpans' });
  return (body) => (validate(body) ? [] : (validate.errors as Array<{ instancePath: string; message: string }>).map((e) => `${e.instancePath} ${e.message}`));
}

const validate = spanListValidator();

function spans() {
  return [
    makeSpan({ kind: 1, name: 'GET /users/:id', parentSpanId: 'b7ad6b7169203331', statusCode: 1, attributes: { 'http.response.status_code': 200, ok: true, tags: ['a', 'b'] } }),
    makeSpan({
      kind: 2,
      name: 'charge',
      statusCode: 2,
      statusMessage: 'declined',
      attributes: { 'peer.service': 'payments', 'server.address': '10.1.2.3', 'server.port': 8443 },
      events: [event('retry', 1001.5), event('exception', 1002, { 'exception.type': 'Error' })],
    }),
    makeSpan({ kind: 2, name: 'ipv6 call', attributes: { 'server.address': '2001:db8::c001' } }),
    makeSpan({ kind: 2, name: 'dns call', attributes: { 'server.address': 'api.example.com', 'server.port': 443 } }),
    makeSpan({ kind: 0, name: 'internal', startTime: 50, endTime: 50 }),
    makeSpan({ kind: 3, name: 'publish' }),
    makeSpan({ kind: 4, name: 'consume "quoted" ✓' }),
  ];
}

test('every body validates against the Zipkin v2 API Span schema', () => {
  const body = JSON.parse(new ZipkinJsonSerializer('orders').serialize(spans(), 7));
  assert.deepEqual(validate(body), []);
  // The validator itself rejects what Zipkin would: an upper-case id, a misspelled field.
  assert.notDeepEqual(validate([{ traceId: 'ABCDEF0123456789', id: '0123456789abcdef' }]), []);
  assert.notDeepEqual(validate([{ traceId: 'abcdef0123456789', id: '0123456789abcdef', parentID: '0123456789abcdef' }]), []);
});

test('mapping: kinds, µs times, duration >= 1, tags as strings, status tags, annotations, endpoints', () => {
  const input = spans();
  const [server, client, ipv6, dns, internal, producer, consumer] = JSON.parse(new ZipkinJsonSerializer('orders').serialize(input, 7)) as any[];
  assert.equal(server.kind, 'SERVER');
  assert.equal(server.traceId, input[0]!.traceId);
  assert.equal(server.id, input[0]!.spanId);
  assert.equal(server.parentId, 'b7ad6b7169203331');
  assert.equal(server.timestamp, toEpochMicros(input[0]!.startTime));
  assert.equal(server.duration, toEpochMicros(input[0]!.endTime) - toEpochMicros(input[0]!.startTime));
  assert.deepEqual(server.localEndpoint, { serviceName: 'orders' });
  assert.deepEqual(server.tags, { 'http.response.status_code': '200', ok: 'true', tags: '["a","b"]', 'otel.status_code': 'OK', 'otel.scope.name': 'nestjs-trace-context' });
  assert.equal(client.kind, 'CLIENT');
  assert.equal(client.parentId, undefined);
  assert.equal(client.tags['otel.status_code'], 'ERROR');
  assert.equal(client.tags.error, 'declined');
  assert.deepEqual(client.remoteEndpoint, { serviceName: 'payments', ipv4: '10.1.2.3', port: 8443 });
  assert.deepEqual(client.annotations, [
    { timestamp: toEpochMicros(1001.5), value: 'retry' },
    { timestamp: toEpochMicros(1002), value: '{"exception":{"exception.type":"Error"}}' },
  ]);
  assert.deepEqual(ipv6.remoteEndpoint, { ipv6: '2001:db8::c001' });
  assert.deepEqual(dns.remoteEndpoint, { serviceName: 'api.example.com', port: 443 });
  assert.equal(internal.kind, undefined, 'INTERNAL has no kind');
  assert.equal(internal.duration, 1, 'a zero-length span lasts 1 µs');
  assert.equal(producer.kind, 'PRODUCER');
  assert.equal(consumer.kind, 'CONSUMER');
  assert.equal(consumer.name, 'consume "quoted" ✓');
});

test('POSTs JSON to /api/v2/spans; the endpoint comes from options, then OTEL_EXPORTER_ZIPKIN_ENDPOINT', async () => {
  const sink = await startSink(() => ({ status: 202 }));
  try {
    const p = createExportPipeline({ serviceName: 'orders', exporters: [{ type: 'zipkin', endpoint: sink.url('/api/v2/spans') }], logger: { warn: () => undefined } }, {});
    for (const s of spans()) p.processor.onEnd(s);
    await p.shutdown();
    assert.equal(sink.requests.length, 1);
    const req = sink.requests[0]!;
    assert.equal(req.path, '/api/v2/spans');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(validate(JSON.parse(req.body.toString('utf8'))), []);
    assert.deepEqual([p.stats().exported, p.stats().failed], [7, 0]);

    const fromEnv = createExportPipeline({ logger: { warn: () => undefined } }, { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: sink.url('/zipkin/api/v2/spans') });
    fromEnv.processor.onEnd(makeSpan());
    await fromEnv.shutdown();
    assert.equal(sink.requests[1]!.path, '/zipkin/api/v2/spans');
  } finally {
    await sink.close();
  }
  assert.equal(resolveZipkinConfig({ type: 'zipkin' }, {}, { warn: () => undefined }, 'e').url.href, 'http://localhost:9411/api/v2/spans');
  assert.throws(() => resolveZipkinConfig({ type: 'zipkin', endpoint: 'localhost:9411' }, {}, { warn: () => undefined }, 'exporters[1]'), {
    code: 'ERR_INVALID_OPTION',
    message: /exporters\[1\]\.endpoint/,
  });
});
