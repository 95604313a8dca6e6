// The module options both demo services use. The embedded backend is the console exporter
// (one line per span) plus an in-memory store served at GET /traces. Setting
// OTEL_EXPORTER_OTLP_ENDPOINT sends spans to that collector instead of the console (the
// exporter reads the endpoint and the other OTEL_EXPORTER_OTLP_* variables itself); the
// memory store stays so /traces keeps working.

import { InMemorySpanStore } from '../../engine/index.js';
import type { TracingOptions } from '../../nest/index.js';

export function demoTracing(serviceName: string, store: InMemorySpanStore, env: NodeJS.ProcessEnv = process.env): TracingOptions {
  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && env.OTEL_EXPORTER_OTLP_ENDPOINT !== '';
  return {
    serviceName,
    // The store keeps the newest 10,000 spans: the demo can run for days.
    exporters: [otlp ? { type: 'otlp' } : { type: 'console' }, { type: 'memory', store, maxSpans: 10_000 }],
    // A demo wants to see its spans at once; production keeps the 5 s default.
    batch: { scheduledDelayMillis: 100 },
    responseHeaders: { traceparent: true },
    // Reading the traces is not itself traced (and the gateway's merge call stays out of them),
    // nor is the trace view polling /traces/red, nor a Prometheus scrape; all are still counted.
    ignoreRoutes: ['/traces', '/traces/*', '/metrics'],
  };
}

export { InMemorySpanStore };
