// The demo reads the OTEL_* variables as the library does (exporter choice, service name; the
// sampler and propagators it leaves to the library) and keeps its in-memory store for /traces
// whatever exports.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemorySpanStore } from '../../engine/index.js';
import { demoTracing } from '../../examples/demo/demo-tracing.js';
import { request } from '../nest/helpers.js';
import { startSink } from '../helpers/sink.js';
import { eventually, spawnDemo } from './demo-process.js';

const types = (env: NodeJS.ProcessEnv): unknown[] => (demoTracing('gateway', new InMemorySpanStore(), env).exporters ?? []).map((e) => e['type']);

test('OTEL_TRACES_EXPORTER chooses the demo\'s exporters, the memory store always added; unset keeps console, or otlp with an endpoint', () => {
  assert.deepEqual(types({ OTEL_TRACES_EXPORTER: 'zipkin' }), ['zipkin', 'memory']);
  assert.deepEqual(types({ OTEL_TRACES_EXPORTER: 'none' }), ['memory']);
  assert.deepEqual(types({ OTEL_TRACES_EXPORTER: 'Console, otlp' }), ['console', 'otlp', 'memory']);
  assert.deepEqual(types({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: '' }), ['otlp', 'memory']);
  assert.deepEqual(types({}), ['console', 'memory']);
  assert.deepEqual(types({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), ['otlp', 'memory']);
});

test('OTEL_SERVICE_NAME wins over the demo\'s own service names; the sampler and propagators are left to the variables', () => {
  const named = demoTracing('gateway', new InMemorySpanStore(), { OTEL_SERVICE_NAME: 'shop' });
  assert.equal(named.serviceName, undefined, 'left to the library, which reads OTEL_SERVICE_NAME');
  assert.equal(demoTracing('gateway', new InMemorySpanStore(), {}).serviceName, 'gateway');
  assert.equal(named.sampler, undefined);
  assert.equal(named.format, undefined);
  assert.equal(named.propagation, undefined);
});

test('npm start with OTEL_TRACES_EXPORTER=zipkin sends the trace to Zipkin, prints no spans, and /traces still shows it', async (t) => {
  const zipkin = await startSink();
  t.after(() => zipkin.close());
  const demo = await spawnDemo(
    'launcher.js',
    [],
    { PORT_GATEWAY: '0', PORT_ORDERS: '0', OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.url('/api/v2/spans') },
    [/^Demo running: gateway (http:\/\/\S+) -> orders/],
  );
  t.after(() => demo.stop());
  const gateway = demo.matches[0]![1]!;
  const reply = await request(gateway, '/orders/42');
  assert.equal(reply.status, 200, reply.body);
  const { traceId } = reply.json<{ traceId: string }>();

  const zipkinSpans = await eventually(async () => {
    const spans = zipkin.requests
      .filter((r) => r.path === '/api/v2/spans')
      .flatMap((r) => JSON.parse(r.body.toString('utf8')) as Array<{ traceId: string; localEndpoint?: { serviceName?: string } }>)
      .filter((s) => s.traceId === traceId);
    return spans.length >= 5 ? spans : undefined;
  });
  assert.deepEqual([...new Set(zipkinSpans.map((s) => s.localEndpoint?.serviceName))].sort(), ['gateway', 'orders'], 'both services export to Zipkin');

  const stored = await eventually(async () => {
    const traces = (await request(gateway, '/traces')).json<{ traces: { traceId: string; spans: unknown[] }[] }>().traces;
    const found = traces.find((tr) => tr.traceId === traceId);
    return found !== undefined && found.spans.length >= 5 ? found : undefined;
  });
  assert.equal(stored.spans.length, zipkinSpans.length, 'the memory store holds the same spans');
  assert.equal(demo.lines.filter((line) => line.includes(traceId)).length, 0, 'no console exporter lines');
});
