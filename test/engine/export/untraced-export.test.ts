// An exporter's own requests are never traced: with the outbound-HTTP instrumentation on and
// a span active where the batch was scheduled, the export POST gets no client span and no
// traceparent (it runs outside any context, through an agent carrying EXPORT_AGENT), while
// an application request in the same place does (the control that proves the instrumentation
// is live).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { enableOutboundHttp } from '../../../engine/instrumentation/index.js';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { Tracer } from '../../../engine/spans/tracer.js';
import { startSink } from '../../helpers/sink.js';

test('export requests make no client span and carry no traceparent; an app request in the same context does', async () => {
  const sink = await startSink(() => ({ status: 200 }));
  const traced = createExportPipeline({ exporters: [{ type: 'memory' }], batch: { scheduledDelayMillis: 60_000 } }, {});
  const appTracer = new Tracer({ processor: traced.processor });
  const exportPipeline = createExportPipeline(
    { exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces') }], batch: { scheduledDelayMillis: 1 }, logger: { warn: () => undefined } },
    {},
  );
  const exportTracer = new Tracer({ processor: exportPipeline.processor });
  const undo = enableOutboundHttp({ tracer: appTracer });
  try {
    await appTracer.startActiveSpan('GET /checkout', { kind: 1 }, async (server) => {
      // A span ended inside the request schedules the export from inside this context.
      exportTracer.startSpan('work').end();
      await sink.waitForRequests(1);
      await new Promise<void>((resolve, reject) => {
        const req = http.request(sink.url('/app'), { method: 'POST' }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end('{}');
      });
      server.end();
    });
    await traced.forceFlush();
    const exportRequest = sink.requests.find((r) => r.path === '/v1/traces')!;
    const appRequest = sink.requests.find((r) => r.path === '/app')!;
    assert.equal(exportRequest.headers.traceparent, undefined);
    assert.match(String(appRequest.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]$/);
    const clientSpans = traced.memory!.getFinishedSpans().filter((s) => s.kind === 2);
    assert.equal(clientSpans.length, 1, 'only the application request has a client span');
    assert.match(String(clientSpans[0]!.attributes['url.full'] ?? clientSpans[0]!.attributes['url.path'] ?? clientSpans[0]!.name), /app|POST/);
  } finally {
    undo();
    await exportPipeline.shutdown();
    await traced.shutdown();
    await sink.close();
  }
});
