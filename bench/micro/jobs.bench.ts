// Jobs and messages: what carrying a trace through a queue costs per job, ours beside
// OpenTelemetry JS doing the same with its API in the same run.
// - capture: inside the producer's active span, write the carrier (ours captureTraceContext;
//   OTel propagator.inject of context.active() into a fresh object). Entering the span's scope is
//   included on both sides, as in the spans bench.
// - continue: the worker side for one job: extract the carrier, start a consumer span (child of
//   the carrier, or a new root linked to it), run the job with it active, end it. OTel: extract,
//   startActiveSpan(kind consumer, parent context or links), end. Both sampled, both processors
//   do no export work (ours releases the pooled record, as the batch processor does).
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelSpanKind, context as otelContext, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { runWithTraceContext } from '../../engine/jobs/run-with-trace-context.js';
import { captureTraceContext } from '../../engine/jobs/trace-carrier.js';
import { otel, otelPropagator, ours } from './carrier-tracers.js';
import { defineSuite, runStandalone } from './harness.js';


// What a queue hands the worker: the carrier after a JSON round trip.
const CARRIER = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=opaque' };
const ATTRS = { 'messaging.system': 'bullmq', 'messaging.destination.name': 'emails' };
const job = (): number => 1;

const oursParent = ours.startSpan('producer');
const otelParentCtx = trace.setSpan(ROOT_CONTEXT, otel.startSpan('producer'));

const otelCapture = (): Record<string, string> => {
  const carrier: Record<string, string> = {};
  otelPropagator.inject(otelContext.active(), carrier, defaultTextMapSetter);
  return carrier;
};

const otelContinue = (link: boolean) => (): number => {
  const parent = otelPropagator.extract(ROOT_CONTEXT, CARRIER, defaultTextMapGetter);
  const remote = trace.getSpanContext(parent);
  const options = link && remote !== undefined
    ? { kind: OtelSpanKind.CONSUMER, attributes: ATTRS, links: [{ context: remote }], root: true }
    : { kind: OtelSpanKind.CONSUMER, attributes: ATTRS };
  return otel.startActiveSpan('process emails', options, link ? ROOT_CONTEXT : parent, (span) => {
    try {
      return job();
    } finally {
      span.end();
    }
  });
};

const CHILD = { attributes: ATTRS };
const LINKED = { attributes: ATTRS, link: true };

export const suite = defineSuite({
  name: 'jobs',
  cases: [
    { name: 'capture carrier in active span (ntc)', impl: 'ntc', fn: () => ours.withSpan(oursParent, captureTraceContext) },
    { name: 'capture carrier in active span (otel)', impl: 'otel', fn: () => otelContext.with(otelParentCtx, otelCapture) },
    { name: 'continue job as child (ntc)', impl: 'ntc', fn: () => runWithTraceContext(CARRIER, 'process emails', job, CHILD) },
    { name: 'continue job as child (otel)', impl: 'otel', fn: otelContinue(false) },
    { name: 'continue job linked (ntc)', impl: 'ntc', fn: () => runWithTraceContext(CARRIER, 'process emails', job, LINKED) },
    { name: 'continue job linked (otel)', impl: 'otel', fn: otelContinue(true) },
  ],
  comparisons: [
    { id: 'job-capture-speedup', ours: 'capture carrier in active span (ntc)', theirs: 'capture carrier in active span (otel)', metric: 'time' },
    { id: 'job-continue-speedup', ours: 'continue job as child (ntc)', theirs: 'continue job as child (otel)', metric: 'time' },
    { id: 'job-continue-bytes', ours: 'continue job as child (ntc)', theirs: 'continue job as child (otel)', metric: 'bytes' },
    { id: 'job-linked-speedup', ours: 'continue job linked (ntc)', theirs: 'continue job linked (otel)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
