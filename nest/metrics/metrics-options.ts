// The `metrics` option of RequestContextModule / TraceContextModule. Every field documents its
// default; resolve-metrics.ts validates them once at startup.

import type { OtlpMetricsProtocol, Temporality } from '../../engine/index.js';

export interface PrometheusRouteOptions {
  /** Path of the scrape route, registered on the app's Fastify instance (no global prefix). Default `'/metrics'`. */
  route?: string;
  /**
   * Serve the route on its own listener on this port instead of the app's.
   * The route on the app's port is a plain Fastify route: Nest guards, interceptors and
   * middleware do not run for it. Default: the app's port.
   */
  port?: number;
  /** With `port`: the address to listen on. Default: every interface (as `server.listen(port)`). */
  host?: string;
}

export interface OtlpMetricsOptions {
  /** Full URL of the metrics endpoint, used as is. Default `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`, else `http://localhost:4318/v1/metrics`. */
  endpoint?: string;
  /** Default `OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL`, else `'http/protobuf'`. */
  protocol?: OtlpMetricsProtocol;
  /** Extra request headers (e.g. `{ 'api-key': '…' }`), merged over `OTEL_EXPORTER_OTLP_(METRICS_)HEADERS`. */
  headers?: Readonly<Record<string, string>>;
  /** Default `OTEL_EXPORTER_OTLP_(METRICS_)COMPRESSION`, else `'none'`. */
  compression?: 'gzip' | 'none';
  /** Per export, retries included. Default `OTEL_EXPORTER_OTLP_(METRICS_)TIMEOUT`, else 10000 ms. */
  timeoutMs?: number;
  /** Default `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, else `'cumulative'`. */
  temporality?: Temporality;
  /** Export period in ms (0: only at shutdown). Default `OTEL_METRIC_EXPORT_INTERVAL`, else 60000. */
  intervalMs?: number;
}

export interface MetricsOptions {
  /** Default `true` once `metrics` is given. */
  enabled?: boolean;
  /** `service_name` label and OTLP `service.name`. Default `tracing.serviceName`, else `OTEL_SERVICE_NAME`, else `'unknown_service:node'`. */
  serviceName?: string;
  /** Histogram upper bounds in ms, strictly increasing. Default OpenTelemetry's (0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000). */
  boundaries?: readonly number[];
  /** Distinct series before records overflow into the one `other` series. Default 1000. */
  maxSeries?: number;
  /** The Prometheus scrape route. Default `{ route: '/metrics' }`; `false` registers none. */
  prometheus?: PrometheusRouteOptions | false;
  /**
   * OTLP/HTTP push to `/v1/metrics`. Default `false`, or `true` when `OTEL_METRICS_EXPORTER` names
   * `otlp`. What is not set here (or in `OTEL_EXPORTER_OTLP_METRICS_*`) comes from the first
   * `{ type: 'otlp' }` trace exporter in `tracing.exporters`: the same base URL with `/v1/metrics`
   * in place of `/v1/traces`, its headers, protocol, compression and timeout; then from
   * `OTEL_EXPORTER_OTLP_*`, then the defaults.
   */
  otlp?: OtlpMetricsOptions | boolean;
  /**
   * Also count CLIENT (outbound HTTP, microservice sends) and CONSUMER (jobs, events) spans,
   * sampled or not, through the tracer's span-end hook. Needs tracing on. Default `true`.
   */
  spans?: boolean;
}
