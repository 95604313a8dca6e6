// Scenario `ntc-tail-1pct`: this module with the `tail` sampler at ratio 0.01 and its defaults
// (errors kept, 500 ms slow threshold, 2048 buffered traces), OTLP proto exporter. The load has
// no errors, so it exports about what ntc-1pct exports while recording every request's spans:
// its added CPU over ntc-0 is the price of recording and releasing unkept local traces.
import { RequestContextModule, RequestContextService } from '../../../nest/index.js';
import { serveScenario } from './ipc.js';
import { startNestScenario } from './nest-app.js';

serveScenario(() => {
  const endpoint = process.env.BENCH_SINK_URL;
  if (endpoint === undefined) throw new Error('BENCH_SINK_URL is not set');
  return startNestScenario({
    imports: [
      RequestContextModule.forRoot({
        tracing: {
          enabled: true,
          serviceName: 'bench-orders',
          sampler: { type: 'tail', ratio: 0.01 },
          exporters: [{ type: 'otlp', protocol: 'http/protobuf', endpoint }],
        },
      }),
    ],
    readTraceId: () => RequestContextService.getTraceContext()?.traceId ?? null,
  });
});
