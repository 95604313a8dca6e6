// Validates the `metrics` option once, at startup, and builds the app's MetricsRuntime. A bad
// value throws invalidOption naming `metrics.<field>`, so NestFactory.create fails with it.
// `metrics` absent, `false` or `{ enabled: false }` is null: no observer, no hook, no cost.

import { invalidOption, type InheritedOtlpOptions, type OtlpHttpOptions, type OtlpMetricsExporterOptions } from '../../engine/index.js';
import type { MetricsOptions } from './metrics-options.js';
import { MetricsRuntime, type PrometheusSettings } from './metrics-runtime.js';

type Env = Readonly<Record<string, string | undefined>>;

const METRICS_KEYS = ['enabled', 'serviceName', 'boundaries', 'maxSeries', 'prometheus', 'otlp', 'spans'];
const OTLP_KEYS = ['endpoint', 'protocol', 'headers', 'compression', 'timeoutMs', 'temporality', 'intervalMs'];
const MAX_ROUTE = 256;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(path: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw invalidOption(`${path}.${key}`, object[key], `no such option; ${path} takes ${allowed.join(', ')}`);
  }
}

function checkBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(path, value, 'true or false');
  return value;
}

/** A path Fastify can route: starts with '/', printable ASCII without spaces, at most 256 characters. */
function checkRoute(value: unknown): string {
  const ok = typeof value === 'string' && value.length > 0 && value.length <= MAX_ROUTE && value.charCodeAt(0) === 0x2f;
  if (ok) {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c <= 0x20 || c >= 0x7f || c === 0x3f || c === 0x23) throw invalidOption('metrics.prometheus.route', value, 'a path like "/metrics" (no spaces, "?" or "#")');
    }
    return value;
  }
  throw invalidOption('metrics.prometheus.route', value, 'a path like "/metrics" (starting with "/", at most 256 characters)');
}

function resolvePrometheus(raw: unknown): PrometheusSettings | null {
  if (raw === false) return null;
  if (raw === undefined || raw === true) return { route: '/metrics', port: null, host: undefined };
  if (!isPlainObject(raw)) throw invalidOption('metrics.prometheus', raw, '{ route?: "/metrics", port?, host? } or false');
  checkKeys('metrics.prometheus', raw, ['route', 'port', 'host']);
  const route = raw['route'] === undefined ? '/metrics' : checkRoute(raw['route']);
  const port = raw['port'];
  if (port !== undefined && !(typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw invalidOption('metrics.prometheus.port', port, 'a port number from 0 to 65535');
  }
  const host = raw['host'];
  if (host !== undefined && (typeof host !== 'string' || host === '')) throw invalidOption('metrics.prometheus.host', host, 'a host name or address');
  if (host !== undefined && port === undefined) throw invalidOption('metrics.prometheus.host', host, 'no host without metrics.prometheus.port');
  return { route, port: port === undefined ? null : port, host };
}


/** OTEL_METRICS_EXPORTER (OpenTelemetry SDK environment variables): a comma-separated list; `otlp` turns the push on. */
function otlpFromEnv(env: Env): boolean {
  const value = env['OTEL_METRICS_EXPORTER'];
  if (value === undefined) return false;
  return value.split(',').some((name) => name.trim().toLowerCase() === 'otlp');
}

/**
 * The first OTLP trace exporter configured in code, whose endpoint (as `/v1/metrics` beside its
 * `/v1/traces`), headers, protocol, compression and timeout the metrics push falls back on.
 */
function tracesOtlp(exporters: readonly Readonly<Record<string, unknown>>[] | undefined): InheritedOtlpOptions | undefined {
  const found = exporters?.find((e) => e['type'] === 'otlp');
  return found === undefined ? undefined : { signal: 'traces', options: found as OtlpHttpOptions };
}

/** The exporter options in the engine's shape; the engine validates each value (invalidOption `metrics.otlp.*`). */
function resolveOtlp(raw: unknown, env: Env, inherit: InheritedOtlpOptions | undefined): OtlpMetricsExporterOptions | null {
  if (raw === false) return null;
  if (raw === undefined) return otlpFromEnv(env) ? { env, inherit } : null;
  if (raw === true) return { env, inherit };
  if (!isPlainObject(raw)) throw invalidOption('metrics.otlp', raw, '{ endpoint?, protocol?, headers?, compression?, timeoutMs?, temporality?, intervalMs? } or false');
  checkKeys('metrics.otlp', raw, OTLP_KEYS);
  return { ...(raw as OtlpMetricsExporterOptions), env, inherit };
}

/**
 * @param tracingServiceName the resolved `tracing.serviceName`, or null when tracing is off
 * @param resource the tracing resource attributes, so both signals describe the same service
 */
export function resolveMetrics(
  raw: unknown,
  tracingServiceName: string | null,
  resource: Readonly<Record<string, string | number | boolean>> | undefined,
  env: Env,
  traceExporters?: readonly Readonly<Record<string, unknown>>[],
): MetricsRuntime | null {
  if (raw === undefined || raw === false) return null;
  const o: Record<string, unknown> = raw === true ? {} : (raw as Record<string, unknown>);
  if (!isPlainObject(o)) throw invalidOption('metrics', raw, 'an object ({ prometheus?, otlp?, ... }), true or false');
  checkKeys('metrics', o, METRICS_KEYS);
  const options = o as MetricsOptions;
  if (!checkBoolean('metrics.enabled', options.enabled, true)) return null;
  const serviceName = options.serviceName ?? tracingServiceName ?? (env['OTEL_SERVICE_NAME'] || 'unknown_service:node');
  return new MetricsRuntime({
    red: { serviceName, boundaries: options.boundaries, maxSeries: options.maxSeries },
    prometheus: resolvePrometheus(options.prometheus),
    otlp: resolveOtlp(options.otlp, env, tracesOtlp(traceExporters)),
    resource,
    countSpans: checkBoolean('metrics.spans', options.spans, true),
  });
}
