// Options are validated once, at startup, into a frozen object. Every "off" becomes `null` and
// every choice a picked function, so the request hooks never branch on raw options
// (pattern of fastify/lib/req-id-gen-factory.js). A bad option throws `invalidOption`, which
// fails NestFactory.create with the option's path, the value and what is allowed.

import {
  createCounterRequestIdGenerator,
  createPropagator,
  createRandomRequestIdGenerator,
  invalidOption,
  resolveBaggageKeys,
  type LibraryInstrumentationConfig,
  type OtelApi,
  type PropagationFormat,
  type Propagator,
  type RequestIdGenerator,
} from '../../engine/index.js';
import {
  parsePropagatorsEnv,
  resolvePropagationFormat,
  resolvePropagationFormats,
  resolveLibraryInstrumentations,
} from '../../engine/internal.js';
import { combineObservers, type MetricsRuntime } from '../metrics/metrics-runtime.js';
import { resolveMetrics } from '../metrics/resolve-metrics.js';
import type { RequestObserver } from '../request-observer.js';
import type { RequestContextModuleOptions, TracingOptions } from './request-context-options.js';
import { compileRouteMatcher, type RouteMatcher } from './route-matcher.js';

export interface ResolvedTracing {
  readonly serviceName: string;
  /** Formats read (first valid wins) and written, canonical names (`zipkin` is `b3multi`). */
  readonly extract: readonly PropagationFormat[];
  readonly inject: readonly PropagationFormat[];
  /** The one propagator for those formats (built once, here). */
  readonly propagator: Propagator;
  /** Response header carrying this service's span id (`headers.spanId` with a non-custom format), or null. */
  readonly spanIdResponseHeader: string | null;
  readonly sampler: Readonly<Record<string, unknown>> | undefined;
  readonly exporters: readonly Readonly<Record<string, unknown>>[] | undefined;
  readonly batch: Readonly<Record<string, unknown>> | undefined;
  /** Validated (with its option path) by the export pipeline. */
  readonly shutdownTimeoutMillis: unknown;
  readonly resource: Readonly<Record<string, string | number | boolean>> | undefined;
  readonly traceparentHeader: boolean;
  readonly serverTimingHeader: boolean;
  /** Whether a route gets no server span; null when nothing is ignored. */
  readonly ignore: RouteMatcher | null;
  /** Outbound HTTP instrumentation settings (propagateTo is validated by enableOutboundHttp), or null when off. */
  readonly outboundHttp: { readonly propagateTo: unknown; readonly sensitiveQueryParams: unknown; readonly path: string } | null;
  /** Baggage keys copied onto the request's spans (`baggage.toSpanAttributes`), or null. */
  readonly baggageAttributes: readonly string[] | null;
  /** Library spans from TracingChannels (ioredis, node-redis, mysql2, GraphQL); a library that is off is null. */
  readonly instrumentations: LibraryInstrumentationConfig;
  /** Register the native engine as @opentelemetry/api's global provider when none is registered. */
  readonly otelApi: boolean;
  /** TraceContextModule in 'otel' mode (or 'auto' that found an SDK): the api to trace through, else null. */
  readonly otel: OtelApi | null;
  /**
   * Where the tracing options sit in what the user wrote ('tracing', or '' for TraceContextModule),
   * so the errors of the sampler and exporters, built later, name the option as written.
   */
  readonly optionPath: string;
}

export interface ResolvedOptions {
  /** Lower-case inbound/outbound request id header. */
  readonly requestIdHeader: string;
  readonly generateRequestId: RequestIdGenerator;
  readonly echoRequestId: boolean;
  /** null when tracing is off. */
  readonly tracing: ResolvedTracing | null;
  readonly observer: RequestObserver | null;
  /** RED metrics (its observer is already in `observer`), or null when off. */
  readonly metrics: MetricsRuntime | null;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The header each non-custom format carries its trace in (what `headers.traceId` must name with that format). */
const PRIMARY_HEADER: Readonly<Record<Exclude<PropagationFormat, 'custom' | 'baggage'>, string>> = {
  w3c: 'traceparent',
  b3: 'b3',
  b3multi: 'x-b3-traceid',
  zipkin: 'x-b3-traceid',
  jaeger: 'uber-trace-id',
  datadog: 'x-datadog-trace-id',
  newrelic: 'newrelic',
};

/** RFC 9110 §5.1 field-name = token. */
function isToken(value: string): boolean {
  if (value.length === 0 || value.length > 256) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d ||
      c === 0x2e || c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e;
    if (!ok) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function checkObject(path: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalidOption(path, value, 'an object');
  return value;
}

function checkBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(path, value, 'true or false');
  return value;
}

function checkHeaderName(path: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isToken(value)) {
    throw invalidOption(path, value, 'an HTTP header name (1 to 256 token characters)');
  }
  return value.toLowerCase();
}

function checkKeys(path: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw invalidOption(`${path}.${key}`, object[key], `no such option; ${path} takes ${allowed.join(', ')}`);
    }
  }
}

function resolveGenerator(value: unknown): RequestIdGenerator {
  if (value === undefined || value === 'counter') return createCounterRequestIdGenerator();
  if (value === 'random') return createRandomRequestIdGenerator();
  if (typeof value === 'function') return value as RequestIdGenerator;
  throw invalidOption('requestId.generator', value, '"counter", "random" or a function returning a string');
}

/**
 * @param base where the tracing options sit in what the user wrote: 'tracing' for
 *   RequestContextModule, '' for TraceContextModule (its tracing options are top level), so
 *   every error names the option as written (`tracing.format` or `format`).
 * @param siblings the other keys allowed beside the tracing options at that level (for the
 *   unknown-key error of TraceContextModule, whose tracing options share the top level).
 */
function resolveTracing(raw: unknown, env: Env, base: string, siblings: readonly string[]): ResolvedTracing | null {
  if (raw === false) return null;
  const at = (key: string): string => (base === '' ? key : `${base}.${key}`);
  const t = checkObject(base === '' ? 'options' : base, raw) ?? {};
  checkKeys(base === '' ? 'options' : base, t, [
    'enabled', 'serviceName', 'format', 'propagation', 'headers', 'sampler', 'exporters', 'batch',
    'shutdownTimeoutMillis', 'resource', 'responseHeaders', 'ignoreRoutes', 'outboundHttp', 'baggage', 'instrumentations', 'otelApi', ...siblings,
  ]);
  const options = t as TracingOptions;
  const sdkDisabled = (env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true';
  if (!checkBoolean(at('enabled'), options.enabled, !sdkDisabled)) return null;

  let serviceName = env['OTEL_SERVICE_NAME'] || 'unknown_service:node';
  if (options.serviceName !== undefined) {
    if (typeof options.serviceName !== 'string' || options.serviceName === '') {
      throw invalidOption(at('serviceName'), options.serviceName, 'a non-empty string');
    }
    serviceName = options.serviceName;
  }

  const propagation = checkObject(at('propagation'), options.propagation);
  if (propagation !== undefined) checkKeys(at('propagation'), propagation, ['extract', 'inject']);
  // Where neither side is configured: `format`, else OTEL_PROPAGATORS (OpenTelemetry's
  // default `tracecontext,baggage` when unset, i.e. W3C).
  // `format` is one name, so its error names `format`, not `format[0]`; 'none' leaves no format.
  const single = options.format === undefined ? undefined : resolvePropagationFormat(options.format, at('format'));
  const fallback =
    single !== undefined
      ? single === 'none' ? [] : [single]
      : resolvePropagationFormats(parsePropagatorsEnv(env['OTEL_PROPAGATORS']), 'OTEL_PROPAGATORS');
  const extractList = propagation?.['extract'];
  const injectList = propagation?.['inject'];
  const extract = Object.freeze(extractList === undefined ? fallback : resolvePropagationFormats(extractList, at('propagation.extract')));
  const inject = Object.freeze(injectList === undefined ? fallback : resolvePropagationFormats(injectList, at('propagation.inject')));

  const headers = checkObject(at('headers'), options.headers);
  if (headers !== undefined) checkKeys(at('headers'), headers, ['traceId', 'spanId']);
  const usesCustom = extract.includes('custom') || inject.includes('custom');
  let spanIdResponseHeader: string | null = null;
  let customHeaders: { traceId: string; spanId: string } | undefined;
  if (usesCustom) {
    customHeaders = {
      traceId: checkHeaderName(at('headers.traceId'), headers?.['traceId'], 'x-trace-id'),
      spanId: checkHeaderName(at('headers.spanId'), headers?.['spanId'], 'x-span-id'),
    };
  } else if (headers !== undefined) {
    // The accepted shape: `format: 'w3c', headers: { traceId: 'traceparent', spanId: 'span-id' }`.
    // traceId restates the format's own header; anything else is a mistake worth failing on.
    const traceId = checkHeaderName(at('headers.traceId'), headers['traceId'], '');
    const primaries = extract.filter((f) => f !== 'baggage').map((f) => PRIMARY_HEADER[f as Exclude<PropagationFormat, 'custom' | 'baggage'>]);
    if (traceId !== '' && !primaries.includes(traceId)) {
      throw invalidOption(
        at('headers.traceId'),
        headers['traceId'],
        `the header of the configured format (${primaries.map((p) => `"${p}"`).join(', ')}), or format: "custom" to read plain hex ids from any header`,
      );
    }
    const spanId = checkHeaderName(at('headers.spanId'), headers['spanId'], '');
    spanIdResponseHeader = spanId === '' ? null : spanId;
  }
  const propagator = createPropagator({ extract, inject, headers: customHeaders }, at('propagation'));

  const responseHeaders = checkObject(at('responseHeaders'), options.responseHeaders) ?? {};
  checkKeys(at('responseHeaders'), responseHeaders, ['requestId', 'traceparent', 'serverTiming']);

  const sampler = checkObject(at('sampler'), options.sampler);
  if (options.exporters !== undefined) {
    if (!Array.isArray(options.exporters)) throw invalidOption(at('exporters'), options.exporters, 'an array of exporter configs');
    options.exporters.forEach((e, i) => checkObject(at(`exporters[${i}]`), e));
  }
  const batch = checkObject(at('batch'), options.batch);
  const resource = checkObject(at('resource'), options.resource) as ResolvedTracing['resource'];

  let ignore: RouteMatcher | null = null;
  if (options.ignoreRoutes !== undefined) {
    if (!Array.isArray(options.ignoreRoutes)) {
      throw invalidOption(at('ignoreRoutes'), options.ignoreRoutes, 'an array of paths, "prefix/*" patterns or RegExps');
    }
    ignore = compileRouteMatcher(at('ignoreRoutes'), options.ignoreRoutes);
  }

  let outboundHttp: ResolvedTracing['outboundHttp'] = { propagateTo: undefined, sensitiveQueryParams: undefined, path: at('outboundHttp') };
  if (options.outboundHttp === false) outboundHttp = null;
  else if (options.outboundHttp !== undefined && options.outboundHttp !== true) {
    const o = checkObject(at('outboundHttp'), options.outboundHttp);
    if (o === undefined) throw invalidOption(at('outboundHttp'), options.outboundHttp, 'true, false or { propagateTo?, sensitiveQueryParams? }');
    checkKeys(at('outboundHttp'), o, ['propagateTo', 'sensitiveQueryParams']);
    outboundHttp = Object.freeze({ propagateTo: o['propagateTo'], sensitiveQueryParams: o['sensitiveQueryParams'], path: at('outboundHttp') });
  }

  const baggage = checkObject(at('baggage'), options.baggage);
  if (baggage !== undefined) checkKeys(at('baggage'), baggage, ['toSpanAttributes']);
  const baggageAttributes = resolveBaggageKeys(baggage?.['toSpanAttributes'], at('baggage.toSpanAttributes'));

  return Object.freeze({
    serviceName,
    extract,
    inject,
    propagator,
    spanIdResponseHeader,
    sampler,
    exporters: options.exporters,
    batch,
    shutdownTimeoutMillis: options.shutdownTimeoutMillis,
    resource,
    traceparentHeader: checkBoolean(at('responseHeaders.traceparent'), responseHeaders['traceparent'], false),
    serverTimingHeader: checkBoolean(at('responseHeaders.serverTiming'), responseHeaders['serverTiming'], false),
    ignore,
    outboundHttp,
    baggageAttributes,
    instrumentations: resolveLibraryInstrumentations(options.instrumentations, at('instrumentations')),
    otelApi: checkBoolean(at('otelApi'), options.otelApi, true),
    otel: null,
    optionPath: base,
  });
}

/** TraceContextModule's options: the tracing options at top level beside these. */
export const TRACE_CONTEXT_TOP_LEVEL_PATH = '';
const TOP_LEVEL_KEYS: readonly string[] = ['mode', 'requestId', 'onRequestEnd', 'metrics'];

/**
 * Validates `options` and returns the frozen settings the hooks run on.
 * @param tracingPath where the user wrote the tracing options: 'tracing', or
 *   TRACE_CONTEXT_TOP_LEVEL_PATH when they are top-level options (TraceContextModule).
 */
export function resolveOptions(options: RequestContextModuleOptions | undefined, env: Env = process.env, tracingPath = 'tracing'): ResolvedOptions {
  const o = checkObject('options', options ?? {}) ?? {};
  checkKeys('options', o, ['requestId', 'tracing', 'onRequestEnd', 'metrics']);
  const requestId = checkObject('requestId', o['requestId']) ?? {};
  checkKeys('requestId', requestId, ['header', 'generator', 'echo']);
  const tracing = resolveTracing(o['tracing'], env, tracingPath, tracingPath === '' ? TOP_LEVEL_KEYS : []);
  const metrics = resolveMetrics(o['metrics'], tracing?.serviceName ?? null, tracing?.resource, env, tracing?.exporters);

  let echo = checkBoolean('requestId.echo', requestId['echo'], true);
  const rawTracing = o['tracing'];
  const headerSwitch = isPlainObject(rawTracing) && isPlainObject(rawTracing['responseHeaders'])
    ? rawTracing['responseHeaders']['requestId']
    : undefined;
  if (headerSwitch !== undefined) {
    const switchPath = tracingPath === '' ? 'responseHeaders.requestId' : `${tracingPath}.responseHeaders.requestId`;
    const value = checkBoolean(switchPath, headerSwitch, true);
    if (requestId['echo'] !== undefined && value !== echo) {
      throw invalidOption(switchPath, headerSwitch, `the same value as requestId.echo (${echo}), or leave one of them out`);
    }
    echo = value;
  }

  const observer = o['onRequestEnd'];
  if (observer !== undefined && typeof observer !== 'function') {
    throw invalidOption('onRequestEnd', observer, 'a function (route, method, statusCode, durationMs) => void');
  }

  return Object.freeze({
    requestIdHeader: checkHeaderName('requestId.header', requestId['header'], 'x-request-id'),
    generateRequestId: resolveGenerator(requestId['generator']),
    echoRequestId: echo,
    tracing,
    observer: combineObservers((observer as RequestObserver | undefined) ?? null, metrics),
    metrics,
  });
}
