// Scenarios `ladder-*`: the lower rungs of the cost ladder of a traced request, built on the
// engine's own API in one callback-style Fastify onRequest hook (the shape of `nest-als`), so
// each rung adds exactly one part of what the module does per request:
//   context     a request store (request id) entered with runWithStore
//   ids         + W3C extract and a started server span that the sampler drops (ids only)
//   span        + every span sampled: a pooled record started and ended at once, released by
//                 the tracer itself (no processor)
//   attributes  + the module's own server-span attributes (nest/fastify/server-span.ts)
//   listener    + the span ended from a 'close' listener on the response, as the module does
// The upper rungs are the module itself configured one part richer each time (bench/http/
// scenarios.ts: ntc-release, ntc-discard, ntc-serialize, ntc-100); `ladder-listener` against
// `ntc-release` is what the module's Nest/Fastify plumbing costs on top of the same work.
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  SpanKind,
  Tracer,
  createCounterRequestIdGenerator,
  createPropagator,
  resolveRequestId,
  type Span,
} from '../../../engine/index.js';
import { createStore, currentStore, runWithStore } from '../../../engine/internal.js';
import { EndReason, endServerSpan, startServerSpan } from '../../../nest/fastify/server-span.js';
import { serveScenario } from './ipc.js';
import { startNestScenario } from './nest-app.js';

const RUNGS = ['context', 'ids', 'span', 'attributes', 'listener'] as const;
type Rung = (typeof RUNGS)[number];

const rung = process.env.BENCH_LADDER as Rung;
if (!RUNGS.includes(rung)) throw new Error(`BENCH_LADDER must be one of ${RUNGS.join(', ')}, got ${process.env.BENCH_LADDER}`);

const ROUTE = '/orders/:id';
const NAME = 'GET ' + ROUTE;
const generate = createCounterRequestIdGenerator();
const propagator = createPropagator({ extract: ['w3c'], inject: ['w3c'] });
// processor null: the tracer releases each record when the span ends (nothing exported).
const tracer = new Tracer({ sampler: rung === 'ids' ? new AlwaysOffSampler() : new AlwaysOnSampler(), processor: null });
const spanOptions: { kind: SpanKind; parent: ReturnType<typeof propagator.extract>; startTime: number } = { kind: SpanKind.SERVER, parent: null, startTime: 0 };

const kSpan: unique symbol = Symbol('ladder.span');
type WatchedResponse = ServerResponse & { [kSpan]?: Span };

function onClose(this: WatchedResponse): void {
  endServerSpan(this[kSpan]!, this.statusCode, EndReason.RESPONSE, performance.now());
}

// A span handle keeps its ids after its record is released (it is the TraceContext itself).
function readTraceId(): string | null {
  const span = currentStore()?.span as Span | null | undefined;
  return span == null ? null : span.spanContext().traceId;
}

serveScenario(() =>
  startNestScenario({
    readTraceId,
    configureFastify: (fastify) => {
      fastify.addHook('onRequest', (request, reply, done) => {
        const headers = request.raw.headers;
        const requestId = resolveRequestId(headers['x-request-id'], generate);
        if (rung === 'context') {
          runWithStore(createStore(requestId, null, null), done);
          return;
        }
        const startTime = performance.now();
        if (rung === 'ids' || rung === 'span') {
          spanOptions.parent = propagator.extract(headers);
          spanOptions.startTime = startTime;
          const span = tracer.startSpan(NAME, spanOptions);
          spanOptions.parent = null;
          if (rung === 'ids') {
            runWithStore(createStore(requestId, span, null), done);
            return;
          }
          span.end(startTime);
          runWithStore(createStore(requestId, span, null), done);
          return;
        }
        const span = startServerSpan(tracer, propagator, request, headers, request.method, ROUTE, NAME, startTime);
        if (rung === 'attributes') {
          endServerSpan(span, 200, EndReason.RESPONSE, startTime);
          runWithStore(createStore(requestId, span, null), done);
          return;
        }
        const res = reply.raw as WatchedResponse;
        res[kSpan] = span;
        res.on('close', onClose);
        runWithStore(createStore(requestId, span, null), done);
      });
    },
  }),
);
