// The vocabulary of the RED metrics: one place that names every metric, unit and label, so
// the Prometheus text, the OTLP bodies and the README cannot drift apart.
//
// OTLP names follow OpenTelemetry's dotted style; the Prometheus names are what
// OpenTelemetry's own Prometheus translation (specification/compatibility/prometheus_and_openmetrics.md)
// makes of them: dots become underscores, a monotonic sum gains `_total`, unit `ms` becomes
// the `_milliseconds` suffix, and the `service.name` resource attribute becomes `service_name`.

import { SpanKind } from '../spans/span-data.js';

export const RED_METRIC = {
  requests: {
    otlpName: 'ntc.requests',
    promName: 'ntc_requests_total',
    unit: '{request}',
    description: 'Requests and calls (server, client and consumer spans), sampled or not.',
  },
  errors: {
    otlpName: 'ntc.request.errors',
    promName: 'ntc_request_errors_total',
    unit: '{request}',
    description: 'Requests and calls that ended in error, sampled or not.',
  },
  duration: {
    otlpName: 'ntc.request.duration',
    promName: 'ntc_request_duration_milliseconds',
    unit: 'ms',
    description: 'Duration of requests and calls in milliseconds, sampled or not.',
  },
} as const;

/** Label (Prometheus) and attribute (OTLP) keys of a series. */
export const RED_LABEL = {
  service: 'service_name',
  route: 'route',
  kind: 'span_kind',
  statusClass: 'status_class',
  /** OpenTelemetry SDK spec, "Cardinality limits": the overflow point carries this attribute. */
  overflowOtlp: 'otel.metric.overflow',
  overflowProm: 'otel_metric_overflow',
} as const;

/** The value of every label of the one series that collects records past the cardinality cap. */
export const OVERFLOW_LABEL_VALUE = 'other';

/** `span_kind` label values by SpanKind number (the OpenTelemetry API's numbering). */
export const KIND_LABELS: readonly string[] = (() => {
  const labels: string[] = [];
  labels[SpanKind.INTERNAL] = 'internal';
  labels[SpanKind.SERVER] = 'server';
  labels[SpanKind.CLIENT] = 'client';
  labels[SpanKind.PRODUCER] = 'producer';
  labels[SpanKind.CONSUMER] = 'consumer';
  return labels;
})();

export const KIND_COUNT = 5;

/**
 * `status_class` label values by class index: 0 is "no HTTP status" (a consumer span, a
 * failed connection, or a code outside RFC 9110's 100-599), 1..5 are the HTTP classes.
 */
export const STATUS_CLASS_LABELS: readonly string[] = ['none', '1xx', '2xx', '3xx', '4xx', '5xx'];

export const STATUS_CLASS_COUNT = 6;

/** Class index of an HTTP status code; 0 for 0 and anything outside 100-599. Hot path: no branches beyond the range check. */
export function statusClassOf(statusCode: number): number {
  return statusCode >= 100 && statusCode < 600 ? (statusCode / 100) | 0 : 0;
}
