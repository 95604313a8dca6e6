// Settings of the OTLP metrics exporter, resolved with the same helpers and rules as the
// trace exporter (engine/export/exporter-options.ts): options in code win, then the
// `_METRICS_` variable, then the generic OTEL_EXPORTER_OTLP_* one, then the default
// (OpenTelemetry protocol/exporter.md). A bad variable is reported and ignored; a bad option
// in code throws invalidOption at startup.

import { invalidOption } from '../errors.js';
import { envFirst, envInteger, type Env } from '../export/env.js';
import { consoleLogger, type ExportLogger } from '../export/export-logger.js';
import { envEnum, envHeaders, envTimeout, envUrl, optionEnum, optionHeaders, optionTimeout, optionUrl } from '../export/exporter-options.js';
import type { Resource } from '../export/resource.js';
import type { Temporality } from './metric-points.js';

export type OtlpMetricsProtocol = 'http/protobuf' | 'http/json';

export interface OtlpMetricsExporterOptions {
  /** Full URL of the metrics endpoint, used as is. Default from the environment, else http://localhost:4318/v1/metrics. */
  readonly url?: string;
  /** Default from OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL, else 'http/protobuf'. */
  readonly protocol?: OtlpMetricsProtocol;
  /** Extra request headers (e.g. `api-key`); merged over the environment's. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per export, including retries. Default OTEL_EXPORTER_OTLP_(METRICS_)TIMEOUT, else 10000 ms. */
  readonly timeoutMs?: number;
  /** Default OTEL_EXPORTER_OTLP_(METRICS_)COMPRESSION, else 'none'. */
  readonly compression?: 'gzip' | 'none';
  /** Default OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, else 'cumulative'. */
  readonly temporality?: Temporality;
  /** Export period; 0 = only on `forceFlush()`/`shutdown()`. Default OTEL_METRIC_EXPORT_INTERVAL, else 60000 ms. */
  readonly intervalMs?: number;
  /** The OTLP resource; pass the trace pipeline's so both signals carry the same one. Default: built from the aggregator's service name and OTEL_RESOURCE_ATTRIBUTES. */
  readonly resource?: Resource;
  /** Where to read OTEL_* from. Default `process.env`. */
  readonly env?: Env;
  /** Where trouble is reported. Default console.warn with a prefix. */
  readonly logger?: ExportLogger;
}

export interface ResolvedOtlpMetricsConfig {
  readonly url: URL;
  readonly protocol: OtlpMetricsProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: 'gzip' | 'none';
  readonly temporality: Temporality;
  readonly intervalMs: number;
  readonly env: Env;
  readonly logger: ExportLogger;
}

const PATH = 'metrics.otlp';
const PROTOCOLS: readonly OtlpMetricsProtocol[] = ['http/protobuf', 'http/json'];
const COMPRESSIONS: readonly ('gzip' | 'none')[] = ['gzip', 'none'];
const TEMPORALITIES: readonly Temporality[] = ['cumulative', 'delta'];
const DEFAULT_URL = 'http://localhost:4318/v1/metrics';

function resolveUrl(options: OtlpMetricsExporterOptions, env: Env, logger: ExportLogger): URL {
  const fromOption = optionUrl(`${PATH}.url`, options.url);
  if (fromOption !== undefined) return fromOption;
  const specific = envFirst(env, ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']);
  const url = specific === undefined ? undefined : envUrl(specific.name, specific.value, logger);
  if (url !== undefined) return url; // used as is
  const generic = envFirst(env, ['OTEL_EXPORTER_OTLP_ENDPOINT']);
  const base = generic === undefined ? undefined : envUrl(generic.name, generic.value, logger);
  if (base === undefined) return new URL(DEFAULT_URL);
  // A base URL: `v1/metrics` is appended after exactly one '/'.
  base.pathname = base.pathname.endsWith('/') ? `${base.pathname}v1/metrics` : `${base.pathname}/v1/metrics`;
  return base;
}

/**
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative, delta, or lowmemory (delta for
 * synchronous counters and histograms, which is all this exporter has: so delta here).
 */
function envTemporality(env: Env, logger: ExportLogger): Temporality | undefined {
  const found = envFirst(env, ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE']);
  if (found !== undefined && found.value.toLowerCase() === 'lowmemory') return 'delta';
  return envEnum(env, ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'], TEMPORALITIES, logger);
}

function resolveProtocol(options: OtlpMetricsExporterOptions, env: Env, logger: ExportLogger): OtlpMetricsProtocol {
  const names = ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'];
  const fromOption = optionEnum(`${PATH}.protocol`, options.protocol, PROTOCOLS);
  if (fromOption !== undefined) return fromOption;
  const found = envFirst(env, names);
  if (found?.value === 'grpc') {
    logger.warn(`${found.name}=grpc is not supported (OTLP/HTTP only); using http/protobuf`);
    return 'http/protobuf';
  }
  return envEnum(env, names, PROTOCOLS, logger) ?? 'http/protobuf';
}

function resolveInterval(options: OtlpMetricsExporterOptions, env: Env, logger: ExportLogger): number {
  if (options.intervalMs !== undefined) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 0) {
      throw invalidOption(`${PATH}.intervalMs`, options.intervalMs, 'an integer >= 0 (milliseconds; 0 = no timer)');
    }
    return options.intervalMs;
  }
  return envInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', 1, logger) ?? 60_000;
}

export function resolveOtlpMetricsConfig(options: OtlpMetricsExporterOptions = {}): ResolvedOtlpMetricsConfig {
  if (typeof options !== 'object' || options === null) throw invalidOption(PATH, options, 'an object');
  const env = options.env ?? process.env;
  const logger = options.logger ?? consoleLogger;
  const headers = {
    ...envHeaders(env, ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS'], logger),
    ...optionHeaders(`${PATH}.headers`, options.headers),
  };
  return Object.freeze({
    url: resolveUrl(options, env, logger),
    protocol: resolveProtocol(options, env, logger),
    headers: Object.freeze(headers),
    timeoutMs:
      optionTimeout(`${PATH}.timeoutMs`, options.timeoutMs) ??
      envTimeout(env, ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], logger) ??
      10_000,
    compression:
      optionEnum(`${PATH}.compression`, options.compression, COMPRESSIONS) ??
      envEnum(env, ['OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'], COMPRESSIONS, logger) ??
      'none',
    temporality: optionEnum(`${PATH}.temporality`, options.temporality, TEMPORALITIES) ?? envTemporality(env, logger) ?? 'cumulative',
    intervalMs: resolveInterval(options, env, logger),
    env,
    logger,
  });
}
