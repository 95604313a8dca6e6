// Spans: start+end per span, ours beside OpenTelemetry JS's BasicTracerProvider in the same run.
// Both sides: always-on (or parent-based always-off for the unsampled cases) sampler, and a
// processor that does nothing but what the export pipeline must (ours releases the record, as
// the batch processor does after serializing; OTel's has no processor at all, its cheapest).
// "Under an active span" includes entering the parent's scope on both sides (withSpan vs
// context.with) because that is how a child is found in real code.
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, TraceFlags, context as otelContext, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '../../engine/spans/span-data.js';
import { Tracer } from '../../engine/spans/tracer.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { median } from '../stats.js';
import { defineSuite, runStandalone } from './harness.js';
import { releasingProcessor } from './releasing-processor.js';

otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const ours = new Tracer({ sampler: { type: 'always_on' }, processor: releasingProcessor });
const oursUnsampled = new Tracer({ sampler: { type: 'parentbased_always_off' }, processor: releasingProcessor });
const oursDisabled = new Tracer({ enabled: false });
const otel = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench');
const otelUnsampled = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }).getTracer('bench');

const ATTRS = { 'http.request.method': 'GET', 'http.route': '/orders/:id' };
const SERVER = { kind: SpanKind.SERVER, attributes: ATTRS };

const oursParent = ours.startSpan('parent');
const otelParent = otel.startSpan('parent');
const otelParentCtx = trace.setSpan(ROOT_CONTEXT, otelParent);
// An unsampled request's server span: the parent of every unsampled child below.
const remoteUnsampled = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 0, undefined, true, undefined);
const oursUnsampledServer = oursUnsampled.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, parent: remoteUnsampled });
const oursUnsampledChildOptions = { parent: oursUnsampledServer.spanContext() };
const otelUnsampledCtx = trace.setSpan(
  ROOT_CONTEXT,
  otelUnsampled.startSpan('GET /orders/:id', {}, trace.setSpanContext(ROOT_CONTEXT, { traceId: remoteUnsampled.traceId, spanId: remoteUnsampled.spanId, traceFlags: TraceFlags.NONE, isRemote: true })),
);


/** One start+end; the span is returned so the work is not optimised away. Same wrapper for both sides. */
const startEnd = (start: () => { end(): void }) => () => {
  const span = start();
  span.end();
  return span;
};

const oursChild = startEnd(() => ours.startSpan('child'));
const otelChild = startEnd(() => otel.startSpan('child'));

export const suite = defineSuite({
  name: 'spans',
  cases: [
    { name: 'root start+end sampled (ntc)', impl: 'ntc', fn: startEnd(() => ours.startSpan('root')) },
    { name: 'root start+end sampled (otel)', impl: 'otel', fn: startEnd(() => otel.startSpan('root')) },
    { name: 'server start+2 attrs+end sampled (ntc)', impl: 'ntc', fn: startEnd(() => ours.startSpan('GET /orders/:id', SERVER)) },
    { name: 'server start+2 attrs+end sampled (otel)', impl: 'otel', fn: startEnd(() => otel.startSpan('GET /orders/:id', SERVER)) },
    { name: 'child start+end in active span (ntc)', impl: 'ntc', fn: () => ours.withSpan(oursParent, oursChild) },
    { name: 'child start+end in active span (otel)', impl: 'otel', fn: () => otelContext.with(otelParentCtx, otelChild) },
    { name: 'unsampled child start+end (ntc)', impl: 'ntc', fn: startEnd(() => oursUnsampled.startSpan('child', oursUnsampledChildOptions)) },
    { name: 'unsampled child start+end (otel)', impl: 'otel', fn: startEnd(() => otelUnsampled.startSpan('child', undefined, otelUnsampledCtx)) },
    { name: 'unsampled root start+end (ntc)', impl: 'ntc', fn: startEnd(() => oursUnsampled.startSpan('root')) },
    { name: 'unsampled root start+end (otel)', impl: 'otel', fn: startEnd(() => otelUnsampled.startSpan('root')) },
    { name: 'tracing disabled child start+end (ntc)', impl: 'ntc', fn: startEnd(() => oursDisabled.startSpan('child', oursUnsampledChildOptions)) },
  ],
  comparisons: [
    { id: 'span-start-end-speedup', ours: 'root start+end sampled (ntc)', theirs: 'root start+end sampled (otel)', metric: 'time' },
    { id: 'span-start-end-bytes', ours: 'root start+end sampled (ntc)', theirs: 'root start+end sampled (otel)', metric: 'bytes' },
    { id: 'server-span-speedup', ours: 'server start+2 attrs+end sampled (ntc)', theirs: 'server start+2 attrs+end sampled (otel)', metric: 'time' },
    { id: 'child-span-speedup', ours: 'child start+end in active span (ntc)', theirs: 'child start+end in active span (otel)', metric: 'time' },
    { id: 'child-span-bytes', ours: 'child start+end in active span (ntc)', theirs: 'child start+end in active span (otel)', metric: 'bytes' },
    { id: 'unsampled-span-speedup', ours: 'unsampled child start+end (ntc)', theirs: 'unsampled child start+end (otel)', metric: 'time' },
    { id: 'unsampled-root-speedup', ours: 'unsampled root start+end (ntc)', theirs: 'unsampled root start+end (otel)', metric: 'time' },
  ],
});

/**
 * CPU-time mode (`BENCH_CPU=1`): the shared 2-core machine runs other work, so wall-clock
 * samples mostly measure the scheduler. Here each case runs a fixed loop between two
 * process.cpuUsage() reads, median of 9 rounds; bytes/op is heap growth over 1,000 ops right
 * after a full GC (median of 5 batches; 1,000 ops of OTel fit in the 1 MiB young generation
 * Node starts with, so no scavenge hides allocation).
 */
function cpuMode(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const N = Number(process.env.BENCH_CPU_ITERATIONS ?? 200_000);
  let sink: unknown;
  const rows = new Map<string, { ns: number; bytes: number }>();
  for (const c of suite.cases) {
    for (let i = 0; i < N; i++) sink = c.fn();
    const ns: number[] = [];
    for (let r = 0; r < 9; r++) {
      const start = process.cpuUsage();
      for (let i = 0; i < N; i++) sink = c.fn();
      const used = process.cpuUsage(start);
      ns.push(((used.user + used.system) * 1000) / N);
    }
    const bytes: number[] = [];
    for (let r = 0; r < 5 && gc !== undefined; r++) {
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1_000; i++) sink = c.fn();
      const grown = process.memoryUsage().heapUsed - before;
      if (grown >= 0) bytes.push(grown / 1_000);
    }
    const row = { ns: median(ns), bytes: median(bytes) };
    rows.set(c.name, row);
    console.log(`spans(cpu)   ${c.name.padEnd(44)} ${row.ns.toFixed(1).padStart(10)} ns/op  ${row.bytes.toFixed(0).padStart(6)} B/op`);
  }
  for (const cmp of suite.comparisons) {
    const ours = rows.get(cmp.ours)!;
    const theirs = rows.get(cmp.theirs)!;
    const ratio = cmp.metric === 'time' ? theirs.ns / ours.ns : theirs.bytes / Math.max(ours.bytes, 1);
    console.log(`spans(cpu)   ${cmp.id.padEnd(44)} ${ratio.toFixed(2)}x (${cmp.metric})`);
  }
  void sink;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.env.BENCH_CPU === '1') cpuMode();
  else await runStandalone(suite);
}
