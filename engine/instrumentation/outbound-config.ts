// Options of the outbound HTTP instrumentation, validated once into a frozen OutboundConfig.
// The tracer and propagator are taken by their shape (what engine/spans and engine/propagation
// provide), so this folder depends on no construction details of either.

import { invalidOption } from '../errors.js';
import type { TraceContext } from '../propagation/trace-context.js';
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode } from '../spans/span-data.js';
import { OriginCache } from './origin-info.js';
import { resolvePropagateTo, type PropagateTo } from './propagate-to.js';
import { resolveSensitiveQueryParams } from './url-full.js';

/** What the instrumentation needs of a propagator: OpenTelemetry's inject contract. */
export interface OutboundPropagator {
  inject(ctx: TraceContext, carrier: Record<string, string>): void;
}

/** What the instrumentation needs of a span. */
export interface OutboundSpan {
  spanContext(): TraceContext;
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: SpanStatusCode; message?: string }): unknown;
  recordException(exception: unknown): unknown;
  end(): void;
}

/** What the instrumentation needs of a tracer: a span started under the active span. */
export interface OutboundTracer {
  startSpan(name: string, options: { kind: SpanKind; attributes?: Attributes }): OutboundSpan;
}

export interface OutboundHttpOptions {
  /** Makes the client spans (parented on the active span). */
  readonly tracer: OutboundTracer;
  /** Writes the propagation headers. Default: W3C `traceparent` + `tracestate`. */
  readonly propagator?: OutboundPropagator;
  /** Which origins receive propagation headers. Default `true` (all). See PropagateTo. */
  readonly propagateTo?: PropagateTo;
  /**
   * Query parameters whose values `url.full` shows as REDACTED, besides the semantic
   * conventions' AWSAccessKeyId, Signature, sig and X-Goog-Signature (e.g. `['token', 'api_key']`).
   */
  readonly sensitiveQueryParams?: readonly string[];
  /** Clients to instrument. Default: both. */
  readonly fetch?: boolean;
  readonly http?: boolean;
}

export interface OutboundConfig {
  readonly tracer: OutboundTracer;
  readonly inject: (ctx: TraceContext, carrier: Record<string, string>) => void;
  readonly predicate: ((url: string, origin: string) => boolean) | null;
  readonly origins: OriginCache;
  /** Query parameter names whose values url.full redacts. */
  readonly sensitiveQueryParams: ReadonlySet<string>;
  readonly fetch: boolean;
  readonly http: boolean;
}

/** W3C Trace Context (traceparent §3.2, tracestate §3.3): the default when no propagator is given. */
export function injectW3C(ctx: TraceContext, carrier: Record<string, string>): void {
  carrier.traceparent = ctx.toW3CFormat();
  if (ctx.traceState !== undefined && ctx.traceState !== '') carrier.tracestate = ctx.traceState;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function optionalBoolean(options: Record<string, unknown>, key: string, path: string): boolean {
  const value = options[key];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw invalidOption(`${path}.${key}`, value, 'a boolean');
  return value;
}

export function resolveOutboundConfig(options: unknown, path = 'outboundHttp'): OutboundConfig {
  if (!isObject(options)) throw invalidOption(path, options, 'an object { tracer, propagator?, propagateTo? }');
  const tracer = options.tracer;
  if (!isObject(tracer) || typeof tracer.startSpan !== 'function') {
    throw invalidOption(`${path}.tracer`, tracer, 'a tracer with startSpan(name, options)');
  }
  const propagator = options.propagator;
  let inject = injectW3C;
  if (propagator !== undefined) {
    if (!isObject(propagator) || typeof propagator.inject !== 'function') {
      throw invalidOption(`${path}.propagator`, propagator, 'a propagator with inject(context, headers)');
    }
    const p = propagator as unknown as OutboundPropagator;
    inject = (ctx, carrier) => p.inject(ctx, carrier);
  }
  const propagateTo = resolvePropagateTo(options.propagateTo, `${path}.propagateTo`);
  return Object.freeze({
    tracer: tracer as unknown as OutboundTracer,
    inject,
    predicate: propagateTo.predicate,
    origins: new OriginCache(propagateTo.isListed),
    sensitiveQueryParams: resolveSensitiveQueryParams(options.sensitiveQueryParams, `${path}.sensitiveQueryParams`),
    fetch: optionalBoolean(options, 'fetch', path),
    http: optionalBoolean(options, 'http', path),
  });
}
