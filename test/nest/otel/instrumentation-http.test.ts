// 'otel' mode beside @opentelemetry/instrumentation-http: the instrumentation makes the server
// span, and this library reuses it (route name and attributes) instead of starting a second
// one; spans of its API and the outgoing fetch are that span's children, in one trace.
// On Fastify and on Express (without instrumentation-express: express-otel.test.ts has it).
// Registering a global provider and instrumentation is process-wide: its own test file.

import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, simpleProcessor, registerProvider } from './sdk.js';
import { PLATFORMS, request, startApp } from '../helpers.js';
import { byName, otelAppModule, parentOf, startDownstream, type WorkReply } from './otel-app.js';

const exporter = new InMemorySpanExporter();
const provider = await registerProvider({ spanProcessors: [simpleProcessor(exporter)] });
registerInstrumentations({
  tracerProvider: provider,
  // The test's own requests (node:http) are not part of what is checked.
  instrumentations: [new HttpInstrumentation({ ignoreOutgoingRequestHook: () => true })],
});
// The instrumentation patches node:http (Server.prototype.emit) when it is next required:
// fastify required it before the hook was installed, so require it once more here.
createRequire(import.meta.url)('node:http');

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

for (const platform of PLATFORMS) {
  test(`on ${platform}: the server span of instrumentation-http is reused, not duplicated, and gets the route`, async (t) => {
    const downstream = await startDownstream();
    t.after(() => downstream.close());
    const app = await startApp(otelAppModule({ mode: 'otel', responseHeaders: { traceparent: true } }, downstream.origin), { platform });
    t.after(() => app.close());
    exporter.reset();

    const res = await request(app.origin, '/work', { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
    assert.equal(res.status, 200);
    const reply = res.json<WorkReply>();
    // instrumentation-http ends its span when the response closes, after the client has it.
    await provider.forceFlush();
    for (let i = 0; i < 100 && !exporter.getFinishedSpans().some((s) => s.kind === SpanKind.SERVER); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const finished = exporter.getFinishedSpans();
    const list = finished.map((s) => `${s.name}(${s.instrumentationScope.name})`).join(', ');
    // The downstream is a node:http server in this process, so it has a server span of its own.
    const servers = finished.filter((s) => s.kind === SpanKind.SERVER && s.name !== 'GET');
    assert.equal(servers.length, 1, `one server span for /work; got ${list}`);
    const server = servers[0]!;
    assert.equal(server.instrumentationScope.name, '@opentelemetry/instrumentation-http');
    assert.ok(!finished.some((s) => s.kind === SpanKind.SERVER && s.instrumentationScope.name === 'nestjs-trace-context'), list);
    assert.equal(server.name, 'GET /work');
    assert.equal(server.attributes['http.route'], '/work');
    assert.equal(server.spanContext().traceId, CALLER_TRACE);
    assert.equal(parentOf(server), CALLER_SPAN);
    const serverId = server.spanContext().spanId;

    const spans = byName(finished.filter((s) => s.name !== 'GET'));
    for (const name of ['manual-child', 'decorated-step', 'active-step']) {
      assert.equal(parentOf(spans.get(name)!), serverId, `${name} is a child of the instrumentation's server span`);
      assert.equal(spans.get(name)!.spanContext().traceId, CALLER_TRACE);
    }
    assert.equal(parentOf(spans.get('otel-api-inner')!), spans.get('active-step')!.spanContext().spanId);
    assert.deepEqual(reply.handler, { traceId: CALLER_TRACE, spanId: serverId });

    const client = finished.find((s) => s.kind === SpanKind.CLIENT)!;
    assert.equal(client.name, 'GET');
    assert.equal(client.instrumentationScope.name, 'nestjs-trace-context');
    const downstreamServer = finished.find((s) => s.kind === SpanKind.SERVER && s.name === 'GET')!;
    assert.equal(parentOf(downstreamServer), client.spanContext().spanId, 'the downstream continued the fetch span');
    assert.equal(parentOf(client), serverId);
    assert.equal(reply.downstream, `00-${CALLER_TRACE}-${client.spanContext().spanId}-01`);
    assert.equal(res.headers['traceparent'], `00-${CALLER_TRACE}-${serverId}-01`);
  });
}
