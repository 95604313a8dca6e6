// 'otel' mode across async boundaries: a job run with runWithTraceContext and a microservice
// message handler open their context in OpenTelemetry's context too, so spans that
// OpenTelemetry instrumentations start inside them (here instrumentation-http's client span of
// an http.get, and a span started through the OpenTelemetry API, as pg or redis
// instrumentations do) are children of the job / message span, not of whatever was active
// where the scope opened. Registering a provider and an instrumentation is process-wide: its
// own test file.

import { createRequire } from 'node:module';
import http from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Module } from '@nestjs/common';
import { ClientProxyFactory, MessagePattern, Payload, Transport, type ClientProxy } from '@nestjs/microservices';
import { SpanKind, context as otelContext, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, simpleProcessor, type ReadableSpan, registerProvider } from './sdk.js';
import { firstValueFrom } from 'rxjs';
import { captureTraceContext, runWithTraceContext } from '../../../engine/index.js';
import { TraceContextModule } from '../../../nest/index.js';
import { MicroservicesTracingModule, traceClient } from '../../../nest/microservices/index.js';
import { freePort } from '../../helpers/servers.js';
import { startApp, waitFor } from '../helpers.js';
import { parentOf, startDownstream } from './otel-app.js';

const exporter = new InMemorySpanExporter();
const provider = await registerProvider({ spanProcessors: [simpleProcessor(exporter)] });
registerInstrumentations({
  tracerProvider: provider,
  // Only outgoing calls matter here; the downstream's own server spans would only add noise.
  instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: () => true })],
});
// The instrumentation patches node:http when it is next required (see instrumentation-http.test.ts).
createRequire(import.meta.url)('node:http');

const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** An http.get through the patched node:http (the instrumentation's client span), body ignored. */
function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** What an instrumentation does inside a handler: an outgoing call and a span of its own. */
async function instrumentedWork(origin: string): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  trace.getTracer('instrumentation-like').startSpan('otel-api-inner').end();
  assert.equal(await httpGet(`${origin}/down`), 200);
}

let downstreamOrigin = '';

@Controller()
class PriceController {
  @MessagePattern('price.get')
  async price(@Payload() data: { n: number }): Promise<number> {
    await instrumentedWork(downstreamOrigin);
    return data.n * 2;
  }
}

// outboundHttp off: this module's own client span would otherwise sit between the job span
// and the instrumentation's, and that span is active in OTel's context already.
@Module({ imports: [TraceContextModule.forRoot({ mode: 'otel', outboundHttp: false }), MicroservicesTracingModule.forRoot()], controllers: [PriceController] })
class OtelHybridApp {}

async function setup(t: { after(fn: () => unknown): void }): Promise<{ client: ClientProxy }> {
  const downstream = await startDownstream();
  t.after(() => downstream.close());
  downstreamOrigin = downstream.origin;
  const port = await freePort();
  const transport = { host: '127.0.0.1', port };
  const app = await startApp(OtelHybridApp, {
    configure: async (nest) => {
      nest.connectMicroservice({ transport: Transport.TCP, options: transport });
      await nest.startAllMicroservices();
    },
  });
  t.after(() => app.close());
  const client = traceClient(ClientProxyFactory.create({ transport: Transport.TCP, options: transport }));
  t.after(() => client.close());
  exporter.reset();
  return { client };
}

function finished(): ReadableSpan[] {
  return exporter.getFinishedSpans() as ReadableSpan[];
}

function instrumentationClientSpans(): ReadableSpan[] {
  return finished().filter((s) => s.instrumentationScope.name === HTTP_SCOPE && s.kind === SpanKind.CLIENT);
}

function named(name: string): ReadableSpan[] {
  return finished().filter((s) => s.name === name);
}

test("mode 'otel': instrumentation spans inside runWithTraceContext are children of the job span", async (t) => {
  await setup(t);
  const carrier = { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` };
  // An unrelated OTel span active where the job is started: without entering OTel's context,
  // the job's inner spans would become its children.
  const outer = trace.getTracer('test').startSpan('outer');
  const seen = await otelContext.with(trace.setSpan(otelContext.active(), outer), () =>
    runWithTraceContext(carrier, 'price-job', async () => {
      await instrumentedWork(downstreamOrigin);
      return trace.getSpan(otelContext.active())?.spanContext().spanId;
    }),
  );
  outer.end();

  const [job] = named('price-job');
  assert.ok(job, 'the job span was exported');
  assert.equal(job.kind, SpanKind.CONSUMER);
  assert.equal(job.spanContext().traceId, CALLER_TRACE);
  assert.equal(parentOf(job), CALLER_SPAN, 'the job continues the carrier');
  const jobId = job.spanContext().spanId;
  assert.equal(seen, jobId, "the job span is OpenTelemetry's active span inside the job");

  const [inner] = named('otel-api-inner');
  assert.equal(parentOf(inner!), jobId, 'a span of the OpenTelemetry API nests under the job span');
  assert.equal(inner!.spanContext().traceId, CALLER_TRACE);
  const clients = instrumentationClientSpans();
  assert.equal(clients.length, 1, 'instrumentation-http made one client span');
  assert.equal(parentOf(clients[0]!), jobId, "instrumentation-http's client span is a child of the job span");
  assert.equal(clients[0]!.spanContext().traceId, CALLER_TRACE);
});

test("mode 'otel': a linked job (new root) is OpenTelemetry's active span too; a carrier captured inside names it", async (t) => {
  await setup(t);
  const carrier = { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` };
  const inside = await runWithTraceContext(carrier, 'linked-job', async () => {
    await instrumentedWork(downstreamOrigin);
    return captureTraceContext();
  }, { link: true });
  const [job] = named('linked-job');
  assert.ok(job);
  assert.notEqual(job.spanContext().traceId, CALLER_TRACE, 'a new trace');
  assert.equal(parentOf(job), undefined);
  assert.equal(job.links[0]?.context.spanId, CALLER_SPAN, 'linked to the carrier');
  assert.equal(parentOf(instrumentationClientSpans()[0]!), job.spanContext().spanId);
  assert.equal(inside.traceparent, `00-${job.spanContext().traceId}-${job.spanContext().spanId}-01`);
});

test("mode 'otel': instrumentation spans inside a microservice handler are children of the message span", async (t) => {
  const { client } = await setup(t);
  // Sent from inside an OTel span: the TCP client carries its context to the handler.
  const caller = trace.getTracer('test').startSpan('caller');
  const reply = await otelContext.with(trace.setSpan(otelContext.active(), caller), () => firstValueFrom(client.send<number>('price.get', { n: 21 })));
  caller.end();
  assert.equal(reply, 42);
  await waitFor(() => named('process price.get').length === 1, undefined, 'the message span');

  const [message] = named('process price.get');
  const messageId = message!.spanContext().spanId;
  assert.equal(message!.kind, SpanKind.SERVER);
  assert.equal(message!.spanContext().traceId, caller.spanContext().traceId, "the message continues the sender's trace");
  assert.equal(parentOf(named('otel-api-inner')[0]!), messageId, 'a span of the OpenTelemetry API nests under the message span');
  const clients = instrumentationClientSpans();
  assert.equal(clients.length, 1);
  assert.equal(parentOf(clients[0]!), messageId, "instrumentation-http's client span is a child of the message span");
});

test("mode 'otel': 20 interleaved jobs each keep their own instrumentation spans", async (t) => {
  await setup(t);
  const carriers = Array.from({ length: 20 }, (_, i) => ({ traceparent: `00-${CALLER_TRACE.slice(0, 30)}${(i + 16).toString(16)}-${CALLER_SPAN}-01` }));
  await Promise.all(carriers.map((carrier, i) => runWithTraceContext(carrier, `job-${i}`, () => instrumentedWork(downstreamOrigin))));
  const clients = instrumentationClientSpans();
  assert.equal(clients.length, 20);
  for (const client of clients) {
    const traceId = client.spanContext().traceId;
    const job = finished().find((s) => s.name.startsWith('job-') && s.spanContext().traceId === traceId);
    assert.ok(job, `a job span in trace ${traceId}`);
    assert.equal(parentOf(client), job.spanContext().spanId);
  }
});
