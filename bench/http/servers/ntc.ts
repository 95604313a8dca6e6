// Scenarios `ntc-context`, `ntc-0`, `ntc-1pct`, `ntc-100`, `ntc-metrics`: this module (nest/) as a user
// configures it, against its documented API:
//   RequestContextModule.forRoot({ tracing: { enabled, sampler: { type, ratio }, exporters } })
//   RequestContextService.getTraceContext()
// `ntc-metrics` is `ntc-1pct` plus RED metrics: `metrics: { prometheus: { route } }`,
// every request counted whether sampled or not; the added CPU per request is its cost.
// The upper rungs of the cost ladder (ladder.ts has the lower ones) are `ntc-100` with one part
// of the export path left out each: `ntc-ids` samples nothing and exports nothing (extract +
// ids), `ntc-release` samples every request and releases each span at its end (no exporter),
// `ntc-discard` adds the batch processor with an exporter that discards each batch unread,
// `ntc-serialize` one that serializes OTLP protobuf (the real serializer) and sends nothing.
// The module is loaded by a dynamic import and checked at run time, so a build of the package
// that does not provide it yet makes this scenario fail to start ("skipped: <reason>") instead of
// breaking the bench's compilation.
// Sampler: `traceidratio` (root ratio), for the reason given in otel.ts.
import type { DynamicModule } from '@nestjs/common';
import { OtlpTraceExporter, buildResource, resolveOtlpConfig, type SendOutcome, type SpanData, type SpanExporter } from '../../../engine/index.js';
import { serveScenario } from './ipc.js';

interface NtcNestApi {
  readonly RequestContextModule: { forRoot(options: unknown): DynamicModule };
  readonly RequestContextService: { getTraceContext(): { readonly traceId: string } | undefined | null };
}

const NEST_ENTRY = '../../../nest/index.js';

const ACCEPTED = (count: number): Promise<SendOutcome> => Promise.resolve({ accepted: count, rejected: 0, failed: 0, retries: 0, error: null });

/** The batch processor's exporter for `ntc-discard`: reads nothing, sends nothing. */
const discardingExporter: SpanExporter<number> = {
  name: 'discard',
  serialize: (_spans: readonly SpanData[], count: number) => count,
  send: (_payload: number, count: number) => ACCEPTED(count),
  shutdown: () => Promise.resolve(),
};

/** `ntc-serialize`: the OTLP exporter's own protobuf serializer, and no send. */
function serializingExporter(sinkUrl: string): SpanExporter<unknown> {
  const env = {};
  const otlp = new OtlpTraceExporter(
    resolveOtlpConfig({ type: 'otlp', protocol: 'http/protobuf', endpoint: sinkUrl }, env, console, 'bench'),
    buildResource('bench-orders', undefined, env, console, 'bench'),
  );
  return {
    name: 'serialize-only',
    serialize: (spans, count) => otlp.serialize(spans, count),
    send: (_payload, count) => ACCEPTED(count),
    shutdown: () => otlp.shutdown(),
  };
}

const RATIOS: Readonly<Record<string, number>> = { '0': 0, ids: 0, '1pct': 0.01, metrics: 0.01, '100': 1, release: 1, discard: 1, serialize: 1 };

function tracingOptions(mode: string, sinkUrl: string | undefined): unknown {
  if (mode === 'context') return { tracing: { enabled: false } };
  const ratio = RATIOS[mode];
  if (ratio === undefined) throw new Error(`unknown BENCH_NTC_MODE ${mode}`);
  if (sinkUrl === undefined) throw new Error('BENCH_SINK_URL is not set');
  const exporters =
    mode === 'ids' || mode === 'release'
      ? []
      : mode === 'discard'
        ? [{ type: 'custom', exporter: discardingExporter }]
        : mode === 'serialize'
          ? [{ type: 'custom', exporter: serializingExporter(sinkUrl) }]
          : [{ type: 'otlp', protocol: 'http/protobuf', endpoint: sinkUrl }];
  return {
    tracing: {
      enabled: true,
      serviceName: 'bench-orders',
      sampler: { type: 'traceidratio', ratio },
      exporters,
    },
    metrics: mode === 'metrics' ? { serviceName: 'bench-orders', prometheus: { route: '/metrics' } } : undefined,
  };
}

serveScenario(async () => {
  const api = (await import(NEST_ENTRY)) as Partial<NtcNestApi>;
  const { RequestContextModule, RequestContextService } = api;
  if (typeof RequestContextModule?.forRoot !== 'function') throw new Error('nest/index.ts does not export RequestContextModule.forRoot yet');
  if (typeof RequestContextService?.getTraceContext !== 'function') {
    throw new Error('nest/index.ts does not export a static RequestContextService.getTraceContext yet');
  }
  const options = tracingOptions(process.env.BENCH_NTC_MODE ?? '100', process.env.BENCH_SINK_URL);
  const { startNestScenario } = await import('./nest-app.js');
  return startNestScenario({
    imports: [RequestContextModule.forRoot(options)],
    readTraceId: () => RequestContextService.getTraceContext()?.traceId ?? null,
  });
});
