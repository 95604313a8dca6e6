// createExportPipeline: the entry the Nest module calls. Exporter choice from options or
// OTEL_TRACES_EXPORTER, resource from options and OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES,
// bad options failing at startup, several exporters at once, the memory exporter's plain
// copies, the console exporter's lines, and a real tracer feeding a real collector.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { ConsoleSpanExporter } from '../../../engine/export/console-exporter.js';
import { InMemorySpanStore, MemorySpanExporter } from '../../../engine/export/memory-exporter.js';
import { OtlpTraceExporter } from '../../../engine/export/otlp/otlp-exporter.js';
import { ZipkinExporter } from '../../../engine/export/zipkin/zipkin-exporter.js';
import { isExportAgent } from '../../../engine/export/transport/http-transport.js';
import { toEpochMs } from '../../../engine/spans/clock.js';
import { Tracer } from '../../../engine/spans/tracer.js';
import { startSink } from '../../helpers/sink.js';
import { decodeProtobufRequest } from './otlp-schema.js';
import { event, link, makeSpan } from './span-fixture.js';

const quiet = { warn: () => undefined };

test('OTEL_TRACES_EXPORTER picks the exporters when the options name none (default otlp; none; comma lists)', () => {
  const kinds = (env: Record<string, string>) => createExportPipeline({ logger: quiet }, env).exporters.map((e) => e.constructor.name);
  assert.deepEqual(kinds({}), ['OtlpTraceExporter']);
  assert.deepEqual(kinds({ OTEL_TRACES_EXPORTER: 'zipkin, console' }), ['ZipkinExporter', 'ConsoleSpanExporter']);
  assert.deepEqual(kinds({ OTEL_TRACES_EXPORTER: 'none' }), []);
  const warnings: string[] = [];
  assert.deepEqual(createExportPipeline({ logger: { warn: (m) => warnings.push(m) } }, { OTEL_TRACES_EXPORTER: 'jaeger,otlp' }).exporters.length, 1);
  assert.ok(warnings.some((w) => w.includes('"jaeger"')));
  // Options win over the environment.
  assert.deepEqual(createExportPipeline({ exporters: [{ type: 'memory' }], logger: quiet }, { OTEL_TRACES_EXPORTER: 'zipkin' }).exporters.map((e) => e.constructor.name), ['MemorySpanExporter']);
  void [ConsoleSpanExporter, OtlpTraceExporter, ZipkinExporter];
});

test('no exporter: spans are released at once and nothing is queued', async () => {
  const p = createExportPipeline({ exporters: [] }, {});
  const span = makeSpan();
  p.processor.onEnd(span);
  assert.equal(span.releases, 1);
  assert.equal(p.stats().queueLength, 0);
  await p.shutdown();
});

test('resource: options > OTEL_SERVICE_NAME > OTEL_RESOURCE_ATTRIBUTES > defaults, with telemetry.sdk.*', () => {
  const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment.name=prod%20eu,team=core', OTEL_SERVICE_NAME: 'from-env' };
  const a = createExportPipeline({ exporters: [], logger: quiet }, env).resource.attributes;
  assert.equal(a['service.name'], 'from-env');
  assert.equal(a['deployment.environment.name'], 'prod eu');
  assert.equal(a['telemetry.sdk.language'], 'nodejs');
  assert.equal(a['telemetry.sdk.name'], 'nestjs-trace-context');
  const b = createExportPipeline({ exporters: [], serviceName: 'from-options', resource: { team: 'payments', 'service.version': '2.0.0' }, logger: quiet }, env).resource.attributes;
  assert.deepEqual([b['service.name'], b.team, b['service.version']], ['from-options', 'payments', '2.0.0']);
  assert.match(String(createExportPipeline({ exporters: [], logger: quiet }, {}).resource.attributes['service.name']), /^unknown_service:/);
});

test('bad pipeline options fail at startup with the option path and the allowed values', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ exporters: 'otlp' }, /exporters: got "otlp", expected an array/],
    [{ exporters: [{ type: 'jaeger' }] }, /exporters\[0\]\.type: got "jaeger", expected 'otlp' \| 'zipkin' \| 'console' \| 'memory' \| 'custom'/],
    [{ exporters: [null] }, /exporters\[0\]: got null/],
    [{ exporters: [{ type: 'memory', store: [] }] }, /exporters\[0\]\.store/],
    [{ exporters: [{ type: 'custom', exporter: {} }] }, /exporters\[0\]\.exporter/],
    [{ serviceName: '' }, /serviceName/],
    [{ resource: { bad: { nested: true } } }, /resource\.bad/],
    [{ batch: { maxExportBatchSize: 'big' } }, /batch\.maxExportBatchSize/],
    [{ logger: 'console' }, /logger/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => createExportPipeline(options as never, {}), { code: 'ERR_INVALID_OPTION', name: 'TraceContextTypeError', message }, JSON.stringify(options));
  }
});

/** The option path an ERR_INVALID_OPTION names: `Invalid option <path>: got …`. */
function failedOption(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.equal((err as { code?: string }).code, 'ERR_INVALID_OPTION', String(err));
    const path = /^Invalid option (.+?): got /.exec((err as Error).message)?.[1];
    assert.ok(path !== undefined, (err as Error).message);
    return path;
  }
  assert.fail('no error');
}

test('a misspelt exporter option fails at startup naming the key and the keys each exporter type takes', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ type: 'otlp', endpont: 'http://127.0.0.1:4318/v1/traces' }, 'exporters[0].endpont', /expected no such option; exporters\[0\] takes type, protocol, endpoint, headers, compression, timeoutMs\.$/],
    [{ type: 'otlp', timeout: 5000 }, 'exporters[0].timeout', /takes type, protocol, endpoint, headers, compression, timeoutMs/],
    [{ type: 'zipkin', url: 'http://127.0.0.1:9411/api/v2/spans' }, 'exporters[0].url', /expected no such option; exporters\[0\] takes type, endpoint, headers, timeoutMs\.$/],
    [{ type: 'console', pretty: true }, 'exporters[0].pretty', /expected no such option; exporters\[0\] takes type\.$/],
    [{ type: 'memory', stor: new InMemorySpanStore() }, 'exporters[0].stor', /expected no such option; exporters\[0\] takes type, store, maxSpans\.$/],
    [{ type: 'custom', exporter: new MemorySpanExporter(), name: 'x' }, 'exporters[0].name', /takes type, exporter\.$/],
  ];
  for (const [config, path, message] of cases) {
    assert.equal(failedOption(() => createExportPipeline({ exporters: [config as never] }, {})), path, JSON.stringify(config));
    assert.throws(() => createExportPipeline({ exporters: [config as never] }, {}), { code: 'ERR_INVALID_OPTION', message });
  }
  // The second entry is named by its own index.
  assert.equal(failedOption(() => createExportPipeline({ exporters: [{ type: 'console' }, { type: 'otlp', endpont: 'x' } as never] }, {})), 'exporters[1].endpont');
  // A misspelt pipeline option (`exporter` for `exporters`) would otherwise export to the OTEL_TRACES_EXPORTER default.
  assert.equal(failedOption(() => createExportPipeline({ exporter: [] } as never, {})), 'exporter');
  assert.throws(() => createExportPipeline({ exporter: [] } as never, {}), /no such option; the options object takes exporters, batch, serviceName, resource, logger/);
});

test('the path argument prefixes every option error, so a caller nesting the options (the Nest module: "tracing") gets the path its user wrote', () => {
  const cases: Array<[unknown, string]> = [
    [{ exporters: 'otlp' }, 'tracing.exporters'],
    [{ exporters: [{ type: 'jaeger' }] }, 'tracing.exporters[0].type'],
    [{ exporters: [null] }, 'tracing.exporters[0]'],
    [{ exporters: [{ type: 'otlp', endpont: 'http://x' }] }, 'tracing.exporters[0].endpont'],
    [{ exporters: [{ type: 'otlp', endpoint: 'ftp://x' }] }, 'tracing.exporters[0].endpoint'],
    [{ exporters: [{ type: 'zipkin', headers: { 'bad header': 'v' } }] }, 'tracing.exporters[0].headers["bad header"]'],
    [{ exporters: [{ type: 'memory', store: [] }] }, 'tracing.exporters[0].store'],
    [{ serviceName: '' }, 'tracing.serviceName'],
    [{ resource: 'svc' }, 'tracing.resource'],
    [{ resource: { bad: { nested: true } } }, 'tracing.resource.bad'],
    [{ batch: { maxQueue: 5 } }, 'tracing.batch.maxQueue'],
    [{ batch: { maxExportBatchSize: 'big' } }, 'tracing.batch.maxExportBatchSize'],
    [{ logger: 'console' }, 'tracing.logger'],
    [{ exportrs: [] }, 'tracing.exportrs'],
  ];
  for (const [options, path] of cases) {
    assert.equal(failedOption(() => createExportPipeline(options as never, {}, 'tracing')), path, JSON.stringify(options));
  }
  // Without the argument the paths are top level, as before.
  assert.equal(failedOption(() => createExportPipeline({ batch: { maxQueue: 5 } } as never, {})), 'batch.maxQueue');
  assert.equal(failedOption(() => createExportPipeline({ resource: { bad: {} } } as never, {})), 'resource.bad');
});

test('memory exporter: plain frozen copies that survive the record being released and reused', async () => {
  const store = new InMemorySpanStore();
  const p = createExportPipeline({ exporters: [{ type: 'memory', store }], batch: { scheduledDelayMillis: 60_000 } }, {});
  assert.equal(p.memory, store);
  const span = makeSpan({
    name: 'charge',
    kind: 2,
    parentSpanId: 'b7ad6b7169203331',
    statusCode: 2,
    statusMessage: 'declined',
    attributes: { amount: 12.5, tags: ['a'] },
    events: [event('retry', 1001, { attempt: 2 })],
    links: [link('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', { why: 'batch' })],
  });
  const { traceId, spanId, startTime, endTime } = span;
  p.processor.onEnd(span);
  await p.forceFlush();
  assert.equal(span.releases, 1);
  const [finished] = store.getFinishedSpans();
  assert.deepEqual(finished, {
    name: 'charge',
    kind: 2,
    traceId,
    spanId,
    parentSpanId: 'b7ad6b7169203331',
    parentIsRemote: false,
    traceFlags: 1,
    traceState: undefined,
    attributes: { amount: 12.5, tags: ['a'] },
    events: [{ name: 'retry', time: toEpochMs(1001), attributes: { attempt: 2 } }],
    links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: { why: 'batch' } }],
    status: { code: 2, message: 'declined' },
    startTime: toEpochMs(startTime),
    endTime: toEpochMs(endTime),
    duration: toEpochMs(endTime) - toEpochMs(startTime),
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    scopeName: 'nestjs-trace-context',
  });
  assert.ok(Object.isFrozen(finished) && Object.isFrozen(finished!.attributes));
  const copy = store.getFinishedSpans();
  copy.length = 0;
  assert.equal(store.getFinishedSpans().length, 1, 'getFinishedSpans returns a copy of the list');
  store.reset();
  assert.equal(store.getFinishedSpans().length, 0);
  await p.shutdown();
  assert.ok(new MemorySpanExporter().store instanceof InMemorySpanStore);
});

test('console exporter: one readable line per span', async () => {
  const out: string[] = [];
  const exporter = new ConsoleSpanExporter('orders', { write: (chunk: string) => out.push(chunk) });
  const p = createExportPipeline({ exporters: [{ type: 'custom', exporter }], batch: { scheduledDelayMillis: 60_000 } }, {});
  const span = makeSpan({ name: 'GET /users/:id', kind: 1, startTime: 10, endTime: 22.5, statusCode: 2, statusMessage: 'boom', attributes: { 'http.route': '/users/:id', n: 3 } });
  const { traceId, spanId } = span;
  p.processor.onEnd(span);
  await p.shutdown();
  assert.deepEqual(out.join('').split('\n'), [`orders ${traceId} ${spanId} <- root SERVER "GET /users/:id" 12.500 ms ERROR "boom" {http.route=/users/:id n=3}`, '']);
});

test('several exporters at once: each gets every span; exporter agents carry the mark HTTP instrumentation skips', async () => {
  const sink = await startSink(() => ({ status: 200 }));
  try {
    const p = createExportPipeline(
      {
        exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces') }, { type: 'zipkin', endpoint: sink.url('/api/v2/spans') }, { type: 'memory' }],
        batch: { scheduledDelayMillis: 60_000 },
        logger: quiet,
      },
      {},
    );
    for (let i = 0; i < 5; i++) p.processor.onEnd(makeSpan());
    await p.shutdown();
    assert.deepEqual(sink.requests.map((r) => r.path).sort(), ['/api/v2/spans', '/v1/traces']);
    assert.equal(p.memory!.getFinishedSpans().length, 5);
    assert.deepEqual(p.stats().exporters.map((e) => e.exported), [5, 5, 5]);
    assert.equal(p.stats().exported, 15);
    const agent = (p.exporters[0] as unknown as { transport: { agent: unknown } }).transport.agent;
    assert.equal(isExportAgent(agent), true);
    assert.equal(isExportAgent({}), false);
  } finally {
    await sink.close();
  }
});

test('a real tracer ends spans into the pipeline and a real collector receives them', async () => {
  const sink = await startSink(() => ({ status: 200 }));
  try {
    const p = createExportPipeline({ serviceName: 'orders', exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces') }], batch: { scheduledDelayMillis: 60_000 }, logger: quiet }, {});
    const tracer = new Tracer({ processor: p.processor, scopeName: 'orders-tracer' });
    const root = tracer.startSpan('GET /orders/:id', { kind: 1, attributes: { 'http.route': '/orders/:id' } });
    const child = tracer.startSpan('load order', { parent: root } as never);
    child.end();
    root.end();
    await p.forceFlush();
    assert.equal(sink.requests.length, 1);
    const decoded = decodeProtobufRequest(sink.requests[0]!.body) as any;
    const exported = decoded.resourceSpans[0].scopeSpans.flatMap((s: any) => s.spans);
    assert.deepEqual(exported.map((s: any) => s.name).sort(), ['GET /orders/:id', 'load order']);
    const r = exported.find((s: any) => s.name === 'GET /orders/:id');
    const c = exported.find((s: any) => s.name === 'load order');
    assert.equal(c.traceId, r.traceId);
    assert.equal(c.parentSpanId, r.spanId);
    assert.equal(r.kind, 2);
    assert.deepEqual(r.attributes.find((a: any) => a.key === 'http.route').value, { stringValue: '/orders/:id' });
    assert.ok(BigInt(r.endTimeUnixNano) >= BigInt(r.startTimeUnixNano));
    assert.equal(decoded.resourceSpans[0].scopeSpans[0].scope.name, 'orders-tracer');
    await p.shutdown();
  } finally {
    await sink.close();
  }
});
