// The OTLP/HTTP settings one signal's exporter sends with (protocol, endpoint, headers,
// compression, timeout), resolved in one place for traces and metrics. Precedence, as in
// OpenTelemetry's SDKs (specification/protocol/exporter.md): the option in code, then the
// signal's OTEL_EXPORTER_OTLP_<SIGNAL>_* variable, then the generic OTEL_EXPORTER_OTLP_* one,
// then the default. One step is added between the signal's variable and the generic one: what
// another signal's exporter was given in code (`inherit`), so an app that set up OTLP for traces
// in code does not repeat it for metrics, and both signals go where the code said even when the
// deployment sets a generic variable.
//
// Endpoints: a signal's own endpoint (option or `_<SIGNAL>_ENDPOINT`) is used as is; the generic
// OTEL_EXPORTER_OTLP_ENDPOINT is a base URL to which `v1/<signal>` is appended. An inherited
// endpoint is another signal's full URL: when its path ends in `/v1/<other signal>`, the same
// base with `/v1/<signal>` is used; any other path says nothing about where this signal goes,
// so the next step applies.

import { envFirst, type Env } from '../config/env.js';
import type { ExportLogger } from '../config/logger.js';
import { envEnum, envHeaders, envTimeout, envUrl, optionEnum, optionHeaders, optionTimeout, optionUrl } from '../config/option-checks.js';

type OtlpSignal = 'traces' | 'metrics';
export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';

/** The OTLP/HTTP options an exporter of any signal takes in code. */
export interface OtlpHttpOptions {
  /** This signal's full URL, used as is. Default from the environment, else `http://localhost:4318/v1/<signal>`. */
  endpoint?: string;
  /** Default `OTEL_EXPORTER_OTLP_[<SIGNAL>_]PROTOCOL`, else 'http/protobuf'. */
  protocol?: OtlpProtocol;
  /** Extra request headers, e.g. `{ 'api-key': '…' }`, merged over `OTEL_EXPORTER_OTLP_[<SIGNAL>_]HEADERS`. */
  headers?: Record<string, string>;
  /** Default `OTEL_EXPORTER_OTLP_[<SIGNAL>_]COMPRESSION`, else 'none'. */
  compression?: OtlpCompression;
  /** Bound on one export including retries, ms. Default `OTEL_EXPORTER_OTLP_[<SIGNAL>_]TIMEOUT`, else 10000. */
  timeoutMs?: number;
}

export interface OtlpHttpSettings {
  readonly protocol: OtlpProtocol;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: OtlpCompression;
  readonly timeoutMs: number;
}

/** Another signal's options in code, to fall back on: which signal they were written for. */
export interface InheritedOtlpOptions {
  readonly signal: OtlpSignal;
  readonly options: OtlpHttpOptions;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const COMPRESSIONS: readonly OtlpCompression[] = ['gzip', 'none'];
const DEFAULT_BASE = 'http://localhost:4318/';

function upper(signal: OtlpSignal): string {
  return signal === 'traces' ? 'TRACES' : 'METRICS';
}

/** `base` with `v1/<signal>` appended after exactly one '/'. */
function signalUrl(base: URL, signal: OtlpSignal): URL {
  const url = new URL(base.href);
  url.pathname = url.pathname.endsWith('/') ? `${url.pathname}v1/${signal}` : `${url.pathname}/v1/${signal}`;
  return url;
}

function inheritedUrl(inherit: InheritedOtlpOptions, signal: OtlpSignal): URL | undefined {
  const endpoint = inherit.options.endpoint;
  if (endpoint === undefined || !URL.canParse(endpoint)) return undefined;
  const url = new URL(endpoint);
  const suffix = `/v1/${inherit.signal}`;
  if (!url.pathname.endsWith(suffix)) return undefined;
  url.pathname = `${url.pathname.slice(0, -suffix.length)}/v1/${signal}`;
  return url;
}

function envProtocol(name: string, env: Env, logger: ExportLogger): OtlpProtocol | undefined {
  const found = envFirst(env, [name]);
  if (found !== undefined && found.value === 'grpc') {
    logger.warn(`${found.name}=grpc is not supported (OTLP/HTTP only); using http/protobuf`);
    return 'http/protobuf';
  }
  return envEnum(env, [name], PROTOCOLS, logger);
}

function envBaseUrl(env: Env, logger: ExportLogger, signal: OtlpSignal): URL | undefined {
  const generic = envFirst(env, ['OTEL_EXPORTER_OTLP_ENDPOINT']);
  const base = generic === undefined ? undefined : envUrl(generic.name, generic.value, logger);
  return base === undefined ? undefined : signalUrl(base, signal);
}

function envSignalUrl(env: Env, logger: ExportLogger, signal: OtlpSignal): URL | undefined {
  const specific = envFirst(env, [`OTEL_EXPORTER_OTLP_${upper(signal)}_ENDPOINT`]);
  return specific === undefined ? undefined : envUrl(specific.name, specific.value, logger);
}

/**
 * The settings of `signal`'s exporter. `options` were validated for unknown keys by the caller
 * (each exporter takes a few more); bad values in code throw invalidOption under `path`, bad
 * variables are reported to `logger` and ignored.
 */
export function resolveOtlpHttpSettings(
  signal: OtlpSignal,
  options: OtlpHttpOptions,
  env: Env,
  logger: ExportLogger,
  path: string,
  inherit?: InheritedOtlpOptions,
): OtlpHttpSettings {
  const S = upper(signal);
  const from = inherit?.options;
  const headers = {
    ...envHeaders(env, ['OTEL_EXPORTER_OTLP_HEADERS'], logger),
    ...(from === undefined ? {} : optionHeaders(`${path}.headers`, from.headers)),
    ...envHeaders(env, [`OTEL_EXPORTER_OTLP_${S}_HEADERS`], logger),
    ...optionHeaders(`${path}.headers`, options.headers),
  };
  return Object.freeze({
    protocol:
      optionEnum(`${path}.protocol`, options.protocol, PROTOCOLS) ??
      envProtocol(`OTEL_EXPORTER_OTLP_${S}_PROTOCOL`, env, logger) ??
      from?.protocol ??
      envProtocol('OTEL_EXPORTER_OTLP_PROTOCOL', env, logger) ??
      'http/protobuf',
    url:
      optionUrl(`${path}.endpoint`, options.endpoint) ??
      envSignalUrl(env, logger, signal) ??
      (inherit === undefined ? undefined : inheritedUrl(inherit, signal)) ??
      envBaseUrl(env, logger, signal) ??
      signalUrl(new URL(DEFAULT_BASE), signal),
    headers: Object.freeze(headers),
    compression:
      optionEnum(`${path}.compression`, options.compression, COMPRESSIONS) ??
      envEnum(env, [`OTEL_EXPORTER_OTLP_${S}_COMPRESSION`], COMPRESSIONS, logger) ??
      from?.compression ??
      envEnum(env, ['OTEL_EXPORTER_OTLP_COMPRESSION'], COMPRESSIONS, logger) ??
      'none',
    timeoutMs:
      optionTimeout(`${path}.timeoutMs`, options.timeoutMs) ??
      envTimeout(env, [`OTEL_EXPORTER_OTLP_${S}_TIMEOUT`], logger) ??
      from?.timeoutMs ??
      envTimeout(env, ['OTEL_EXPORTER_OTLP_TIMEOUT'], logger) ??
      10_000,
  });
}
