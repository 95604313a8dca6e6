// Scenarios `ntc-context`, `ntc-0`, `ntc-1pct`, `ntc-100`, `ntc-metrics`: this module (nest/) as a user
// configures it, against its documented API:
//   RequestContextModule.forRoot({ tracing: { enabled, sampler: { type, ratio }, exporters } })
//   RequestContextService.getTraceContext()
// `ntc-metrics` is `ntc-1pct` plus RED metrics: `metrics: { prometheus: { route } }`,
// every request counted whether sampled or not; the added CPU per request is its cost.
// The module is loaded by a dynamic import and checked at run time, so a build of the package
// that does not provide it yet makes this scenario fail to start ("skipped: <reason>") instead of
// breaking the bench's compilation.
// Sampler: `traceidratio` (root ratio), for the reason given in otel.ts.
import type { DynamicModule } from '@nestjs/common';
import { serveScenario } from './ipc.js';

interface NtcNestApi {
  readonly RequestContextModule: { forRoot(options: unknown): DynamicModule };
  readonly RequestContextService: { getTraceContext(): { readonly traceId: string } | undefined | null };
}

const NEST_ENTRY = '../../../nest/index.js';

function tracingOptions(mode: string, sinkUrl: string | undefined): unknown {
  if (mode === 'context') return { tracing: { enabled: false } };
  const ratio = mode === '0' ? 0 : mode === '1pct' || mode === 'metrics' ? 0.01 : mode === '100' ? 1 : Number.NaN;
  if (Number.isNaN(ratio)) throw new Error(`unknown BENCH_NTC_MODE ${mode}`);
  if (sinkUrl === undefined) throw new Error('BENCH_SINK_URL is not set');
  return {
    tracing: {
      enabled: true,
      serviceName: 'bench-orders',
      sampler: { type: 'traceidratio', ratio },
      exporters: [{ type: 'otlp', protocol: 'http/protobuf', endpoint: sinkUrl }],
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
