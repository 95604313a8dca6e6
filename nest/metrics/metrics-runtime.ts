// The RED metrics of one running app: the aggregator, the request observer and span-end hook
// that feed it, the Prometheus scrape route and the OTLP push exporter. Built once at startup
// (resolve-metrics.ts); the lifecycle registers the route, starts the exporter and shuts it
// down with the app.
//
// Server requests are counted by the Fastify hooks' request observer, not by the span-end
// hook: the observer sees every request (sampled, unsampled, ignoreRoutes, tracing off) with
// its route template and HTTP status, while the hook only has the span status. So the hook
// counts CLIENT and CONSUMER spans and skips SERVER ones (counting both would double every
// request). Microservice request handlers, SERVER spans without HTTP, report themselves
// (recordMessageRequest in active-metrics.ts).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  OtlpMetricsExporter,
  PROMETHEUS_CONTENT_TYPE,
  RedMetrics,
  SpanKind,
  SpanStatusCode,
  buildResource,
  renderPrometheusText,
  type OtlpMetricsExporterOptions,
  type RedMetricsOptions,
  type SpanEndHook,
} from '../../engine/index.js';
import type { RequestObserver } from '../request-observer.js';
import { setRedMetrics, getRedMetrics } from './active-metrics.js';
import { PrometheusListener } from './prometheus-listener.js';

export interface PrometheusSettings {
  readonly route: string;
  /** A listener of its own on this port, or null for the app's Fastify instance. */
  readonly port: number | null;
  readonly host: string | undefined;
}

interface MetricsSettings {
  readonly red: RedMetricsOptions;
  /** The scrape route, or null for none. */
  readonly prometheus: PrometheusSettings | null;
  /** OTLP exporter options, or null when the push is off. */
  readonly otlp: OtlpMetricsExporterOptions | null;
  /** Tracing resource attributes, carried by the OTLP metrics resource too. */
  readonly resource: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Count CLIENT and CONSUMER spans through the tracer's span-end hook. */
  readonly countSpans: boolean;
}

export class MetricsRuntime {
  readonly red: RedMetrics;
  readonly prometheus: PrometheusSettings | null;
  /** The scrape route's own listener (`prometheus.port`), or null when it is on the app's port or off. */
  readonly prometheusListener: PrometheusListener | null;
  /** Created now (so its options fail at startup), started in start(). */
  readonly exporter: OtlpMetricsExporter | null;
  /** For the Fastify hooks: one call per finished request. */
  readonly observer: RequestObserver;
  /** For the tracer (onSpanEnd), or null when spans are not counted. */
  readonly spanEndHook: SpanEndHook | null;
  private stopping: Promise<void> | null;

  constructor(settings: MetricsSettings) {
    const red = new RedMetrics(settings.red);
    this.red = red;
    this.prometheus = settings.prometheus;
    this.prometheusListener =
      settings.prometheus === null || settings.prometheus.port === null ? null : new PrometheusListener(red, settings.prometheus.route);
    const otlp = settings.otlp;
    this.exporter =
      otlp === null
        ? null
        : new OtlpMetricsExporter(red, {
            ...otlp,
            resource:
              settings.resource === undefined
                ? undefined
                : buildResource(red.serviceName, settings.resource, otlp.env ?? process.env, { warn: (m) => console.warn(`[nestjs-trace-context] ${m}`) }),
          });
    // Hot path, once per request: four arguments straight into the aggregator. A 404 has no
    // route template; its label is the method, as its span name is (HTTP semantic conventions:
    // `{method}` when there is no route), so unknown paths cannot grow the series.
    // Status 0 (client gone, socket timeout) and 5xx are errors, as on the server span.
    this.observer = function recordRequest(route: string, method: string, statusCode: number, durationMs: number): void {
      red.record(route === '' ? method : route, SpanKind.SERVER, statusCode, statusCode >= 500 || statusCode === 0, durationMs);
    };
    // Span status only (no HTTP status reaches the hook): these series have status_class "none".
    this.spanEndHook = settings.countSpans
      ? function recordSpan(name: string, kind: number, statusCode: number, durationMs: number): void {
          if (kind !== SpanKind.SERVER) red.record(name, kind as SpanKind, 0, statusCode === SpanStatusCode.ERROR, durationMs);
        }
      : null;
    this.stopping = null;
  }

  /** The scrape route served on the app's own port, or null (off, or on its own listener). */
  get appRoute(): string | null {
    return this.prometheus === null || this.prometheusListener !== null ? null : this.prometheus.route;
  }

  /** Registers the scrape route on the app's Fastify instance (before it listens). */
  registerRoute(fastify: FastifyInstance): void {
    if (this.prometheus === null || this.prometheusListener !== null) return;
    const route = this.prometheus.route;
    const red = this.red;
    fastify.get(route, function scrapeMetrics(_req: FastifyRequest, reply: FastifyReply): void {
      void reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(renderPrometheusText(red));
    });
  }

  /** Publishes the aggregator (getRedMetrics), starts the periodic OTLP export and the scrape route's own listener. */
  async start(): Promise<void> {
    setRedMetrics(this.red, this.spanEndHook !== null);
    this.exporter?.start();
    const prometheus = this.prometheus;
    if (this.prometheusListener !== null && prometheus !== null) await this.prometheusListener.listen(prometheus.port!, prometheus.host);
  }

  /** Exports once more and stops the exporter; idempotent. */
  shutdown(): Promise<void> {
    if (this.stopping === null) {
      if (getRedMetrics() === this.red) setRedMetrics(null);
      this.stopping = Promise.all([this.exporter?.shutdown(), this.prometheusListener?.close()]).then(() => undefined);
    }
    return this.stopping;
  }
}

/** The request observer the hooks call: the user's `onRequestEnd`, the metrics one, both, or none. */
export function combineObservers(user: RequestObserver | null, metrics: MetricsRuntime | null): RequestObserver | null {
  if (metrics === null) return user;
  if (user === null) return metrics.observer;
  const record = metrics.observer;
  return function observeRequest(route, method, statusCode, durationMs): void {
    record(route, method, statusCode, durationMs);
    user(route, method, statusCode, durationMs);
  };
}
