// Settings of the OTLP metrics exporter. Endpoint, protocol, headers, compression and timeout
// are resolved by the same code as the trace exporter's (engine/otlp/otlp-http-settings.ts):
// options in code win, then the `_METRICS_` variable, then what the trace exporter was given in
// code (`inherit`), then the generic OTEL_EXPORTER_OTLP_* one, then the default. A bad variable
// is reported and ignored; a bad option in code throws invalidOption at startup.

import { invalidOption } from '../errors.js';
import { envFirst, envInteger, type Env } from '../config/env.js';
import { consoleLogger, type ExportLogger } from '../config/logger.js';
import { checkOptionKeys, envEnum, optionEnum } from '../config/option-checks.js';
import type { Resource } from '../export/resource.js';
import { resolveOtlpHttpSettings, type InheritedOtlpOptions, type OtlpHttpOptions, type OtlpHttpSettings } from '../otlp/otlp-http-settings.js';
import type { Temporality } from './metric-points.js';

export type OtlpMetricsProtocol = 'http/protobuf' | 'http/json';

export interface OtlpMetricsExporterOptions extends OtlpHttpOptions {
  /** Default OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, else 'cumulative'. */
  readonly temporality?: Temporality;
  /** Export period; 0 = only on `forceFlush()`/`shutdown()`. Default OTEL_METRIC_EXPORT_INTERVAL, else 60000 ms. */
  readonly intervalMs?: number;
  /** The OTLP resource; pass the trace pipeline's so both signals carry the same one. Default: built from the aggregator's service name and OTEL_RESOURCE_ATTRIBUTES. */
  readonly resource?: Resource;
  /** The trace exporter's options in code, used where neither this object nor a `_METRICS_` variable says otherwise. */
  readonly inherit?: InheritedOtlpOptions;
  /** Where to read OTEL_* from. Default `process.env`. */
  readonly env?: Env;
  /** Where trouble is reported. Default console.warn with a prefix. */
  readonly logger?: ExportLogger;
}

export interface ResolvedOtlpMetricsConfig extends OtlpHttpSettings {
  readonly temporality: Temporality;
  readonly intervalMs: number;
  readonly env: Env;
  readonly logger: ExportLogger;
}

const PATH = 'metrics.otlp';
const KEYS: readonly string[] = ['endpoint', 'protocol', 'headers', 'compression', 'timeoutMs', 'temporality', 'intervalMs', 'resource', 'inherit', 'env', 'logger'];
const TEMPORALITIES: readonly Temporality[] = ['cumulative', 'delta'];
/**
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: cumulative, delta, or lowmemory (delta for
 * synchronous counters and histograms, which is all this exporter has: so delta here).
 */
function envTemporality(env: Env, logger: ExportLogger): Temporality | undefined {
  const found = envFirst(env, ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE']);
  if (found !== undefined && found.value.toLowerCase() === 'lowmemory') return 'delta';
  return envEnum(env, ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'], TEMPORALITIES, logger);
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
  checkOptionKeys(PATH, options, KEYS);
  const env = options.env ?? process.env;
  const logger = options.logger ?? consoleLogger;
  return Object.freeze({
    ...resolveOtlpHttpSettings('metrics', options, env, logger, PATH, options.inherit),
    temporality: optionEnum(`${PATH}.temporality`, options.temporality, TEMPORALITIES) ?? envTemporality(env, logger) ?? 'cumulative',
    intervalMs: resolveInterval(options, env, logger),
    env,
    logger,
  });
}
