// The app the tail-sampling tests drive: a real Nest + Fastify service exporting OTLP/protobuf
// to a real HTTP sink, with routes that succeed, fail (thrown, returned 5xx, an error only in a
// child span), run slowly, leave work running after the response, and start jobs. Every route
// records one child span `load` under the server span, so "exported whole" is checkable.

import http from 'node:http';
import { Controller, Get, Module, Param, Res, type DynamicModule } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SpanStatusCode, TraceIdRatioBasedSampler, captureTraceContext, runWithTraceContext } from '../../../engine/index.js';
import { RequestContextModule, RequestContextService, getTracingRuntime, type RequestContextModuleOptions } from '../../../nest/index.js';
import type { Sink } from '../../helpers/sink.js';
import { decodeProtobufRequest } from '../../engine/export/otlp-schema.js';
import { delay, startApp, type StartedApp } from '../helpers.js';

/** Requests parked in /gate until the test opens it (a concurrency a timer could not guarantee). */
export const gate = {
  waiting: 0,
  open: (): void => undefined,
  promise: Promise.resolve(),
  close(): void {
    this.promise = new Promise<void>((resolve) => {
      this.open = resolve;
    });
  },
};

function load(): void {
  RequestContextService.startSpan('load').end();
}

@Controller()
class TailController {
  @Get('ok/:i')
  ok(): string {
    load();
    return 'ok';
  }

  @Get('fail/:i')
  fail(): never {
    load();
    throw new Error('thrown by the handler');
  }

  @Get('unavailable/:i')
  unavailable(@Res({ passthrough: true }) reply: FastifyReply): string {
    load();
    reply.status(503);
    return 'down';
  }

  /** The request succeeds; only a child span failed (and recorded why). */
  @Get('child-error/:i')
  childError(): string {
    const span = RequestContextService.startSpan('load');
    span.recordException(new Error('cache miss storm'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'cache miss storm' });
    span.end();
    return 'ok';
  }

  @Get('slow/:ms')
  async slow(@Param('ms') ms: string): Promise<string> {
    load();
    await delay(Number(ms));
    return 'slow';
  }

  /** Calls the downstream service's `/{what}/1` and answers with its status. */
  @Get('call/:what')
  async call(@Param('what') what: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const res = await fetch(`${downstream.origin}/${what}/1`);
    reply.status(res.status);
    return res.text();
  }

  @Get('gate')
  async parked(): Promise<string> {
    load();
    gate.waiting++;
    await gate.promise;
    gate.waiting--;
    return 'done';
  }

  /**
   * Answers at once and leaves two spans behind: `late-end` started now and ended 30 ms later,
   * `late-start` started (and ended) 30 ms later. Fails with 500 when `outcome` is 'fail'.
   */
  @Get('late/:outcome')
  late(@Param('outcome') outcome: string): string {
    load();
    const lateEnd = RequestContextService.startSpan('late-end');
    const later = RequestContextService.bind(() => {
      lateEnd.end();
      RequestContextService.startSpan('late-start').end();
      lateDone++;
    });
    setTimeout(later, 30);
    if (outcome === 'fail') throw new Error('failed after starting background work');
    return 'ok';
  }

  /** Runs a job (its own local root, continuing this trace); `fail` makes the job or the request fail. */
  @Get('job/:fails')
  async job(@Param('fails') fails: 'job' | 'request' | 'none'): Promise<string> {
    load();
    await runWithTraceContext(captureTraceContext(), 'process job', async () => {
      RequestContextService.startSpan('job-step').end();
      if (fails === 'job') throw new Error('job failed');
    }).catch(() => undefined);
    if (fails === 'request') throw new Error('request failed after the job');
    return 'ok';
  }
}

/** Where /call/:what sends its request (the downstream service of the two-process test). */
export const downstream = { origin: '' };

/** Background spans of /late that have ended. */
export let lateDone = 0;

@Module({})
class TailModule {
  static with(options: RequestContextModuleOptions): DynamicModule {
    return { module: TailModule, imports: [RequestContextModule.forRoot(options)], controllers: [TailController] };
  }
}

/** Starts the app with `sampler`, exporting OTLP/protobuf to `sink`, `traceparent` response headers on. */
export function startTailApp(sink: Sink, sampler: Record<string, unknown>, extra: Partial<RequestContextModuleOptions> = {}): Promise<StartedApp> {
  return startApp(
    TailModule.with({
      ...extra,
      tracing: {
        serviceName: process.env['TAIL_SERVICE'] ?? 'tail-app',
        sampler,
        exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces'), protocol: 'http/protobuf' }],
        batch: { scheduledDelayMillis: 50, maxQueueSize: 20_000 },
        responseHeaders: { traceparent: true },
      },
    }),
  );
}

/** What a test reads of one exported span. */
export interface ExportedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly name: string;
  readonly flags: number;
  readonly statusCode: number;
  readonly eventNames: string[];
  readonly attributes: Record<string, unknown>;
}

/** Every span the sink received, decoded with the official OTLP protos. */
export function exportedSpans(sink: Sink): ExportedSpan[] {
  const out: ExportedSpan[] = [];
  for (const request of sink.requests) {
    const body = decodeProtobufRequest(request.body) as any;
    for (const rs of body.resourceSpans) {
      const service = rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) {
          const attributes: Record<string, unknown> = {};
          for (const a of s.attributes) attributes[a.key] = Object.values(a.value)[0];
          out.push({
            service,
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId,
            traceState: s.traceState,
            name: s.name,
            flags: s.flags,
            statusCode: s.status?.code ?? 0,
            eventNames: s.events.map((e: any) => e.name),
            attributes,
          });
        }
      }
    }
  }
  return out;
}

/** Spans grouped by trace id. */
export function byTrace(spans: readonly ExportedSpan[]): Map<string, ExportedSpan[]> {
  const map = new Map<string, ExportedSpan[]>();
  for (const s of spans) {
    let list = map.get(s.traceId);
    if (list === undefined) map.set(s.traceId, (list = []));
    list.push(s);
  }
  return map;
}

/** Whether traceidratio at `ratio` keeps `traceId` (the tail samplers' base ratio decision). */
export function ratioKeeps(ratio: number, traceId: string): boolean {
  return new TraceIdRatioBasedSampler(ratio).shouldSample(null, traceId).decision === 2;
}

/** Flushes the app's export pipeline and waits until the sink holds `spans` spans (or the flush settled). */
export async function flush(): Promise<void> {
  await getTracingRuntime()!.forceFlush();
}

/** The trace id of a response, from its `traceparent` header. */
export function traceIdOf(headers: http.IncomingHttpHeaders): string {
  return String(headers.traceparent).slice(3, 35);
}

export interface Answer {
  readonly status: number;
  readonly traceId: string;
  /** The sampled flag of the response's traceparent: the head decision sent downstream. */
  readonly sampled: boolean;
}

/** GETs `paths` with at most `concurrency` in flight over keep-alive connections; answers in order. */
export async function getAll(
  origin: string,
  paths: readonly string[],
  concurrency: number,
  headers: Record<string, string> = {},
  shared?: http.Agent,
): Promise<Answer[]> {
  const agent = shared ?? new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const answers: Answer[] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      answers[i] = await new Promise<Answer>((resolve, reject) => {
        const req = http.get(origin + paths[i], { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, traceId: traceIdOf(res.headers), sampled: (parseInt(String(res.headers.traceparent).slice(53, 55), 16) & 1) === 1 }));
          res.on('error', reject);
        });
        req.setTimeout(60_000, () => req.destroy(new Error(`GET ${paths[i]} timed out`)));
        req.on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  if (shared === undefined) agent.destroy();
  return answers;
}
