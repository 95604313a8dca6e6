// The module options both demo services use. The embedded backend is an in-memory store served
// at GET /traces, kept whatever else exports. The OTEL_* variables choose the rest as the library
// reads them: OTEL_TRACES_EXPORTER the exporters (otlp, zipkin, console, none, each reading its
// own OTEL_EXPORTER_* variables), OTEL_SERVICE_NAME the service name, OTEL_TRACES_SAMPLER[_ARG]
// and OTEL_PROPAGATORS the sampler and propagators (the demo sets neither). Without
// OTEL_TRACES_EXPORTER the demo prints one line per span, or sends to OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set.

import { InMemorySpanStore, exportersFromEnv } from '../../engine/index.js';
import type { TracingOptions } from '../../nest/index.js';

export function demoTracing(serviceName: string, store: InMemorySpanStore, env: NodeJS.ProcessEnv = process.env): TracingOptions {
  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && env.OTEL_EXPORTER_OTLP_ENDPOINT !== '';
  const chosen: Array<Record<string, unknown>> =
    env.OTEL_TRACES_EXPORTER !== undefined && env.OTEL_TRACES_EXPORTER.trim() !== ''
      ? exportersFromEnv(env).map((config) => ({ ...config }))
      : [otlp ? { type: 'otlp' } : { type: 'console' }];
  return {
    // Absent when OTEL_SERVICE_NAME is set, so the variable wins as it does for any app.
    serviceName: env.OTEL_SERVICE_NAME ? undefined : serviceName,
    // The store keeps the newest 10,000 spans: the demo can run for days.
    exporters: [...chosen, { type: 'memory', store, maxSpans: 10_000 }],
    // A demo wants to see its spans at once; production keeps the 5 s default.
    batch: { scheduledDelayMillis: 100 },
    responseHeaders: { traceparent: true },
    // Reading the traces is not itself traced (and the gateway's merge call stays out of them),
    // nor is the trace view polling /traces/red, nor a Prometheus scrape; all are still counted.
    ignoreRoutes: ['/traces', '/traces/*', '/metrics'],
  };
}

export { InMemorySpanStore };
