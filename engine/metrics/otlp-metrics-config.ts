// Settings of the OTLP metrics exporter: options in code win, then the `_METRICS_` variable,
// then the generic OTEL_EXPORTER_OTLP_* one, then the default (OpenTelemetry spec,
// protocol/exporter.md). As in engine/export/env.ts: an empty variable is unset, a bad
// variable is reported and ignored (a typo in the environment must not stop the process),
// while a bad option in code throws invalidOption at startup.
// Dedup note: engine/export/env.ts (in progress when this was written) parses the same
// header list; fold `parseHeaderList` into it once it is committed.

import { invalidOption } from '../errors.js';
import type { Temporality } from './metric-points.js';

export type Env = Readonly<Record<string, string | undefined>>;
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
  /** Attempts per export for 429/502/503/504 and dropped connections. Default 5. */
  readonly maxAttempts?: number;
  /** First retry delay when the server sends no Retry-After; grows x1.5, capped at 5 s, ±20% jitter. Default 1000 ms. */
  readonly initialBackoffMs?: number;
  /** Where to read OTEL_* from. Default `process.env`. */
  readonly env?: Env;
  /** Where trouble is reported. Default console.warn with a prefix. */
  readonly logger?: { warn(message: string): void };
}

export interface ResolvedOtlpMetricsConfig {
  readonly url: URL;
  readonly protocol: OtlpMetricsProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: 'gzip' | 'none';
  readonly temporality: Temporality;
  readonly intervalMs: number;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly logger: { warn(message: string): void };
}

const DEFAULT_BASE = 'http://localhost:4318';
const consoleLogger = { warn: (m: string): void => console.warn(`[nestjs-trace-context] ${m}`) };

function envValue(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `k1=v1,k2=v2` (baggage syntax without properties, values percent-decoded); bad members skipped with a warning. */
export function parseHeaderList(value: string, variable: string, logger: { warn(message: string): void }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of value.split(',')) {
    if (member.trim() === '') continue;
    const eq = member.indexOf('=');
    const key = eq < 1 ? '' : member.slice(0, eq).trim();
    try {
      if (key === '') throw new Error('no key');
      out[key.toLowerCase()] = decodeURIComponent(member.slice(eq + 1).trim());
    } catch {
      logger.warn(`ignoring a malformed member of ${variable}: ${JSON.stringify(member.trim())}`);
    }
  }
  return out;
}

function resolveUrl(options: OtlpMetricsExporterOptions, env: Env, logger: { warn(m: string): void }): URL {
  if (options.url !== undefined) {
    const url = typeof options.url === 'string' ? httpUrl(options.url) : undefined;
    if (url === undefined) throw invalidOption('metrics.otlp.url', options.url, 'an http:// or https:// URL');
    return url;
  }
  const signal = envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (signal !== undefined) {
    const url = httpUrl(signal.value);
    if (url !== undefined) return url; // used as is (spec: an empty path stays '/')
    logger.warn(`ignoring ${signal.name}=${JSON.stringify(signal.value)}: not an http(s) URL`);
  }
  const base = envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base !== undefined) {
    const url = httpUrl(base.value);
    if (url !== undefined) {
      // Spec: the base gets `v1/metrics` appended, joined with exactly one '/'.
      url.pathname = url.pathname.endsWith('/') ? `${url.pathname}v1/metrics` : `${url.pathname}/v1/metrics`;
      return url;
    }
    logger.warn(`ignoring ${base.name}=${JSON.stringify(base.value)}: not an http(s) URL`);
  }
  return new URL(`${DEFAULT_BASE}/v1/metrics`);
}

function pick<T extends string>(
  option: T | undefined,
  optionPath: string,
  allowed: readonly T[],
  env: Env,
  names: string[],
  fallback: T,
  logger: { warn(m: string): void },
): T {
  if (option !== undefined) {
    if (!allowed.includes(option)) throw invalidOption(optionPath, option, allowed.map((a) => `'${a}'`).join(' or '));
    return option;
  }
  const found = envValue(env, ...names);
  if (found === undefined) return fallback;
  const value = found.value.toLowerCase() as T;
  if (allowed.includes(value)) return value;
  logger.warn(`ignoring ${found.name}=${JSON.stringify(found.value)}: expected ${allowed.join(' or ')}; using ${fallback}`);
  return fallback;
}

function integer(option: number | undefined, optionPath: string, min: number, env: Env, names: string[], fallback: number, logger: { warn(m: string): void }): number {
  if (option !== undefined) {
    if (!Number.isSafeInteger(option) || option < min) throw invalidOption(optionPath, option, `an integer >= ${min}`);
    return option;
  }
  const found = envValue(env, ...names);
  if (found === undefined) return fallback;
  const n = Number(found.value);
  if (Number.isSafeInteger(n) && n >= min) return n;
  logger.warn(`ignoring ${found.name}=${JSON.stringify(found.value)}: expected an integer >= ${min}; using ${fallback}`);
  return fallback;
}

/**
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'cumulative', 'delta', or 'lowmemory'
 * (delta for synchronous counters and histograms, which is all this exporter has: so delta).
 */
function envTemporality(env: Env, logger: { warn(m: string): void }): Temporality {
  const found = envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE');
  if (found === undefined) return 'cumulative';
  const value = found.value.toLowerCase();
  if (value === 'cumulative') return 'cumulative';
  if (value === 'delta' || value === 'lowmemory') return 'delta';
  logger.warn(`ignoring ${found.name}=${JSON.stringify(found.value)}: expected cumulative, delta or lowmemory; using cumulative`);
  return 'cumulative';
}

export function resolveOtlpMetricsConfig(options: OtlpMetricsExporterOptions = {}): ResolvedOtlpMetricsConfig {
  if (typeof options !== 'object' || options === null) throw invalidOption('metrics.otlp', options, 'an object');
  const env = options.env ?? process.env;
  const logger = options.logger ?? consoleLogger;
  const url = resolveUrl(options, env, logger);
  const protocol = pick(options.protocol, 'metrics.otlp.protocol', ['http/protobuf', 'http/json'], env, ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'], 'http/protobuf', logger);
  const compression = pick(options.compression, 'metrics.otlp.compression', ['gzip', 'none'], env, ['OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'], 'none', logger);
  const temporality = options.temporality !== undefined
    ? pick(options.temporality, 'metrics.otlp.temporality', ['cumulative', 'delta'], {}, [], 'cumulative', logger)
    : envTemporality(env, logger);
  const timeoutMs = integer(options.timeoutMs, 'metrics.otlp.timeoutMs', 1, env, ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000, logger);
  const intervalMs = integer(options.intervalMs, 'metrics.otlp.intervalMs', 0, env, ['OTEL_METRIC_EXPORT_INTERVAL'], 60_000, logger);
  const maxAttempts = integer(options.maxAttempts, 'metrics.otlp.maxAttempts', 1, {}, [], 5, logger);
  const initialBackoffMs = integer(options.initialBackoffMs, 'metrics.otlp.initialBackoffMs', 0, {}, [], 1000, logger);

  const headers: Record<string, string> = {};
  const envHeaders = envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  if (envHeaders !== undefined) Object.assign(headers, parseHeaderList(envHeaders.value, envHeaders.name, logger));
  const signalHeaders = envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS');
  if (signalHeaders !== undefined) Object.assign(headers, parseHeaderList(signalHeaders.value, signalHeaders.name, logger));
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null) throw invalidOption('metrics.otlp.headers', options.headers, 'an object of header name to string value');
    for (const [key, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key) || /[\r\n\0]/.test(value)) {
        throw invalidOption(`metrics.otlp.headers.${key}`, value, 'a token header name with a string value without CR, LF or NUL');
      }
      headers[key.toLowerCase()] = value;
    }
  }
  return Object.freeze({ url, protocol, headers: Object.freeze(headers), timeoutMs, compression, temporality, intervalMs, maxAttempts, initialBackoffMs, logger });
}
