// Samplers: one decision, ours beside OpenTelemetry JS's samplers on the same trace ids.
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelKind, TraceFlags, trace } from '@opentelemetry/api';
import { AlwaysOnSampler as OtelAlwaysOn, ParentBasedSampler as OtelParentBased, TraceIdRatioBasedSampler as OtelRatio } from '@opentelemetry/sdk-trace-base';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { createSampler } from '../../engine/sampling/sampler-config.js';
import { generateTraceId } from '../../engine/ids/trace-ids.js';
import { defineSuite, runStandalone } from './harness.js';

// 1024 prepared ids, cycled, so the id's content varies and generation is not measured.
const IDS = Array.from({ length: 1024 }, () => generateTraceId());
let i = 0;
const nextId = () => IDS[(i = (i + 1) & 1023)]!;

const ratio = createSampler({ type: 'traceidratio', ratio: 0.1 }, {});
const parentBased = createSampler({ type: 'parentbased_traceidratio', ratio: 0.1 }, {});
const rateLimited = createSampler({ type: 'ratelimiting', perSecond: 100 }, {});
const rules = createSampler(
  {
    type: 'parentbased_traceidratio',
    ratio: 0.1,
    rules: [
      { route: '/health', sampler: { type: 'always_off' } },
      { name: 'GET /internal/*', sampler: { type: 'always_off' } },
    ],
  },
  {},
);
const otelRatio = new OtelRatio(0.1);
const otelParentBased = new OtelParentBased({ root: new OtelRatio(0.1) });
void OtelAlwaysOn;

const parent = new TraceContext(IDS[0]!, '00f067aa0ba902b7', 1, undefined, true, undefined);
const otelParentCtx = trace.setSpanContext(ROOT_CONTEXT, { traceId: IDS[0]!, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
const ATTRS = { 'http.route': '/orders/:id' };

export const suite = defineSuite({
  name: 'sampling',
  cases: [
    { name: 'traceidratio root decision (ntc)', impl: 'ntc', fn: () => ratio.shouldSample(null, nextId(), 'GET', 1, undefined) },
    { name: 'traceidratio root decision (otel)', impl: 'otel', fn: () => otelRatio.shouldSample(ROOT_CONTEXT, nextId()) },
    { name: 'parentbased remote-parent decision (ntc)', impl: 'ntc', fn: () => parentBased.shouldSample(parent, parent.traceId, 'GET', 1, undefined) },
    {
      name: 'parentbased remote-parent decision (otel)',
      impl: 'otel',
      fn: () => otelParentBased.shouldSample(otelParentCtx, IDS[0]!, 'GET', OtelKind.SERVER, {}, []),
    },
    { name: 'ratelimiting root decision (ntc)', impl: 'ntc', fn: () => rateLimited.shouldSample(null, nextId(), 'GET', 1, undefined) },
    { name: 'rules (2, no match) + parentbased root (ntc)', impl: 'ntc', fn: () => rules.shouldSample(null, nextId(), 'GET /orders/:id', 1, ATTRS) },
  ],
  comparisons: [
    { id: 'sampler-speedup', ours: 'traceidratio root decision (ntc)', theirs: 'traceidratio root decision (otel)', metric: 'time' },
    { id: 'parentbased-sampler-speedup', ours: 'parentbased remote-parent decision (ntc)', theirs: 'parentbased remote-parent decision (otel)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
