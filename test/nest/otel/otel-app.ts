// The app both OpenTelemetry-mode test files run: one route that uses every part of this
// library's tracing API (startSpan, @Span, startActiveSpan, getTraceContext), starts a span
// through the OpenTelemetry API inside ours (as an instrumentation such as pg would), and
// calls a downstream server with fetch. Plus the downstream and a span-tree reader.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from './sdk.js';
import { startActiveSpan } from '../../../engine/index.js';
import { RequestContextService, Span, TraceContextModule, type TraceContextModuleOptions } from '../../../nest/index.js';

export interface WorkReply {
  /** getTraceContext() in the handler, in @Span and in startActiveSpan. */
  handler: { traceId: string; spanId: string } | null;
  decorated: { traceId: string; spanId: string } | null;
  active: { traceId: string; spanId: string } | null;
  /** The traceparent the downstream received. */
  downstream: string | null;
  requestId: string | undefined;
}

function ids(): { traceId: string; spanId: string } | null {
  const ctx = RequestContextService.getTraceContext();
  return ctx === undefined ? null : { traceId: ctx.traceId, spanId: ctx.spanId };
}

@Injectable()
class WorkService {
  @Span('decorated-step')
  async decorated(): Promise<{ traceId: string; spanId: string } | null> {
    await new Promise((resolve) => setImmediate(resolve));
    return ids();
  }
}

/** A node:http server that answers every request with the traceparent it received. */
export async function startDownstream(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ traceparent: req.headers['traceparent'] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function otelAppModule(options: TraceContextModuleOptions, downstreamOrigin: string): new () => unknown {
  @Controller()
  class WorkController {
    constructor(private readonly work: WorkService) {}

    @Get('work')
    async run(): Promise<WorkReply> {
      const handler = ids();
      const child = RequestContextService.startSpan('manual-child', { attributes: { step: 1 } });
      child.end();
      const decorated = await this.work.decorated();
      const active = await activeStep();
      const res = await fetch(`${downstreamOrigin}/down`);
      const body = (await res.json()) as { traceparent: string | null };
      return { handler, decorated, active, downstream: body.traceparent, requestId: RequestContextService.getRequestId() };
    }
  }

  @Module({ imports: [TraceContextModule.forRoot(options) as DynamicModule], controllers: [WorkController], providers: [WorkService] })
  class OtelApp {}
  return OtelApp;
}

/** startActiveSpan, with a span started through the OpenTelemetry API inside it. */
async function activeStep(): Promise<{ traceId: string; spanId: string } | null> {
  return startActiveSpan('active-step', async () => {
    const inner = trace.getTracer('instrumentation-like').startSpan('otel-api-inner');
    inner.end();
    await new Promise((resolve) => setTimeout(resolve, 1));
    return ids();
  });
}

/** Exported spans by name (each name must occur once). */
export function byName(spans: readonly ReadableSpan[]): Map<string, ReadableSpan> {
  const map = new Map<string, ReadableSpan>();
  for (const span of spans) {
    if (map.has(span.name)) throw new Error(`span "${span.name}" was exported twice`);
    map.set(span.name, span);
  }
  return map;
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
