// The options users pass to RequestContextModule.forRoot / TraceContextModule.forRoot.
// Every field documents its default; resolve-options.ts validates them once at startup.

import type { PropagationFormat } from '../../engine/index.js';
import type { LibraryInstrumentationOptions, PropagateTo } from '../../engine/index.js';
import type { RequestObserver } from '../request-observer.js';
import type { MetricsOptions } from '../metrics/metrics-options.js';

export interface RequestIdOptions {
  /** Inbound (and echoed) header name. Default `'x-request-id'`. */
  header?: string;
  /**
   * How new ids are made when the inbound one is missing or invalid: `'counter'` (default,
   * prefix + counter), `'random'` (16 random hex digits) or your own function returning a string.
   */
  generator?: 'counter' | 'random' | (() => string);
  /** Send the request id back in the response header. Default `true`. */
  echo?: boolean;
}

export interface ResponseHeaderOptions {
  /** The request id header (same switch as `requestId.echo`). Default `true`. */
  requestId?: boolean;
  /** `traceparent` of this service's server span. Default `false`. */
  traceparent?: boolean;
  /** `server-timing: traceparent;desc="…"` (readable by browsers' Resource Timing). Default `false`. */
  serverTiming?: boolean;
}

export interface TracingOptions {
  /** Default `true`, unless `OTEL_SDK_DISABLED=true`. `false` costs one property check per request. */
  enabled?: boolean;
  /** `service.name` of exported spans. Default `OTEL_SERVICE_NAME`, else `'unknown_service:node'`. */
  serviceName?: string;
  /** Shorthand for `propagation: { extract: [format], inject: [format] }`. Default `'w3c'`. */
  format?: PropagationFormat;
  /**
   * Formats read (in order, first valid wins) and written. Default from `format`, else
   * `OTEL_PROPAGATORS`, else `['w3c']`.
   */
  propagation?: { extract?: readonly PropagationFormat[]; inject?: readonly PropagationFormat[] };
  /**
   * With `format: 'custom'`: the headers carrying plain hex ids. With any other format,
   * `traceId` must name that format's own header (`traceId: 'traceparent'` with
   * `'w3c'`) and `spanId` names a response header that carries this service's span id.
   */
  headers?: { traceId?: string; spanId?: string };
  /** Sampler config for the engine (`{ type, ratio?, ... }`). Default from `OTEL_TRACES_SAMPLER[_ARG]`, else parent-based always-on. */
  sampler?: Record<string, unknown>;
  /** Exporter configs for the engine (`[{ type: 'otlp' | 'zipkin' | 'console' | 'memory', ... }]`). Default from `OTEL_TRACES_EXPORTER`. */
  exporters?: readonly Record<string, unknown>[];
  /** Batch processor settings. Defaults from `OTEL_BSP_*`, else 2048 / 512 / 5000 ms / 30000 ms. */
  batch?: Record<string, unknown>;
  /**
   * Bound on the whole export shutdown (the flush as the app begins to close, then the last
   * flush and exporter shutdown), ms. Spans not sent by then are dropped and counted
   * (`getExportStats().shutdownDropped`). Keep it under the platform's grace period (Kubernetes:
   * 30 s). Default 5000.
   */
  shutdownTimeoutMillis?: number;
  /** Resource attributes added to `service.name`. */
  resource?: Record<string, string | number | boolean>;
  /** Which response headers to set. */
  responseHeaders?: ResponseHeaderOptions;
  /**
   * Requests that get no server span (still a context and a request id): exact paths
   * (`'/health'`), prefixes ending in `*` (`'/internal/*'`) or RegExps, matched against the
   * route template when the route is known, else the path. Default `[]`.
   */
  ignoreRoutes?: ReadonlyArray<string | RegExp>;
  /**
   * Outbound HTTP (global `fetch` and `node:http`/`https`): calls made inside a request get a
   * client span and the propagation headers. `propagateTo`: the origins (list, or a predicate
   * `(url, origin) => boolean`) that receive the headers; default all. `sensitiveQueryParams`:
   * query parameters whose values the span's `url.full` shows as REDACTED, besides the semantic
   * conventions' AWSAccessKeyId, Signature, sig and X-Goog-Signature. `false` turns it off.
   * Default `true`.
   */
  outboundHttp?: boolean | { propagateTo?: PropagateTo; sensitiveQueryParams?: readonly string[] };
  /**
   * W3C baggage (propagated when `baggage` is among the formats, as in the default
   * `OTEL_PROPAGATORS=tracecontext,baggage`). `toSpanAttributes`: baggage keys copied onto the
   * spans of the request (server, client, internal) under the key itself. Default none:
   * nothing from baggage is copied anywhere unless listed.
   */
  baggage?: { toSpanAttributes?: readonly string[] };
  /**
   * Spans for the calls a request makes through ioredis, node-redis (`redis`), mysql2 and
   * GraphQL 17, from the TracingChannels those libraries publish (no patching). Each library
   * `true` (default), `false`, or options: `{ dbStatement: 'sanitized' | 'raw' | 'off' }` for
   * the databases, `{ resolvers: boolean }` for GraphQL. `false` turns all off. See
   * docs/instrumentation.md.
   */
  instrumentations?: boolean | LibraryInstrumentationOptions;
  /**
   * With this library's own engine (mode 'native', or 'auto' that found no SDK): when
   * `@opentelemetry/api` is installed and no tracer provider is registered, register the engine
   * as the api's global TracerProvider, ContextManager and propagator, so code and libraries
   * that call the api make spans of this tracer. An app's own provider is never replaced.
   * Default `true`.
   */
  otelApi?: boolean;
}

export interface RequestContextModuleOptions {
  requestId?: RequestIdOptions;
  /** Tracing; `false` turns it off (same as `{ enabled: false }`). */
  tracing?: TracingOptions | false;
  /**
   * Called once per finished request, sampled or not, with (route template or '' for 404,
   * method, status code, duration in ms). For metrics. Default none.
   */
  onRequestEnd?: RequestObserver;
  /** RED metrics of every request, sampled or not (Prometheus route, OTLP push). Default off. */
  metrics?: MetricsOptions | boolean;
}

/**
 * Modes of TraceContextModule: `'native'` uses this library's engine; `'otel'` traces through
 * the app's registered OpenTelemetry SDK (its sampler and exporters); `'auto'` is `'otel'` when
 * an SDK is registered at startup, else `'native'`.
 */
export type TraceContextMode = 'native' | 'auto' | 'otel';

export interface TraceContextModuleOptions extends TracingOptions {
  /**
   * Default `'native'`. `'otel'` fails at startup (ERR_OTEL_NOT_REGISTERED) without a registered
   * OpenTelemetry SDK; in it `sampler`, `exporters`, `batch`, `resource` and the propagation
   * formats are the SDK's own and these options are not used.
   */
  mode?: TraceContextMode;
  requestId?: RequestIdOptions;
  onRequestEnd?: RequestObserver;
  metrics?: MetricsOptions | boolean;
}
