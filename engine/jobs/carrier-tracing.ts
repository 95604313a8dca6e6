// The tracer and propagator that trace carriers (job data, message metadata) are read and
// written with. Taken by shape, like engine/instrumentation and nest/tracing, so this folder
// depends on no construction details of engine/spans or engine/propagation. The Nest layer
// installs a source that returns its running app's runtime (so jobs follow the app's
// configured formats); code without Nest calls `configureTraceCarriers` once.

import type { Baggage } from '../baggage/baggage.js';
import type { ContextStore } from '../context/context-store.js';
import { runWithStore } from '../context/request-context.js';
import { invalidOption } from '../errors.js';
import type { TraceContext } from '../propagation/trace-context.js';
import { w3cPropagator } from '../propagation/w3c.js';
import { getGlobalTracer } from '../spans/global-tracer.js';
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode } from '../spans/span-data.js';

/** Node's incoming-header shape: what a propagator's `extract` reads. */
export type CarrierHeaders = Record<string, string | string[] | undefined>;

export interface CarrierPropagator {
  extract(headers: CarrierHeaders): TraceContext | null;
  inject(ctx: TraceContext, headers: Record<string, string>): void;
  readonly fields: readonly string[];
  /** Present when the propagator carries baggage (see Propagator#extractBaggage). */
  readonly extractBaggage?: (headers: CarrierHeaders) => Baggage | null;
}

export interface CarrierSpan {
  spanContext(): TraceContext;
  isRecording(): boolean;
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: SpanStatusCode; message?: string }): unknown;
  recordException(exception: unknown): unknown;
  end(endTime?: number): void;
}

/** A link to another trace (OpenTelemetry's Link: the linked context plus attributes). */
export interface CarrierLink {
  readonly context: TraceContext;
  readonly attributes?: Attributes;
}

export interface CarrierSpanOptions {
  kind?: SpanKind;
  /** The parent; `null` for a new root. Omitted: the active span. */
  parent?: TraceContext | null;
  attributes?: Attributes;
  links?: CarrierLink[];
}

export interface CarrierTracer {
  startSpan(name: string, options?: CarrierSpanOptions): CarrierSpan;
  /**
   * Opens a job's or message's context: runs `fn(...args)` with `store` active. Optional: a
   * tracer without it gets `runWithStore`. The OpenTelemetry bridge has one, which also makes
   * the store's span active in OpenTelemetry's context (so instrumentation spans inside nest
   * under it); the native tracer has none, so native mode pays nothing for it.
   */
  enterStore?<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R;
}

export interface CarrierTracing {
  readonly tracer: CarrierTracer;
  readonly propagator: CarrierPropagator;
}

type CarrierTracingSource = () => CarrierTracing | null;

/**
 * What applies when nothing else is configured: the engine's global tracer (disabled until
 * `setGlobalTracer`, so spans only carry ids) and W3C Trace Context, the default format
 * everywhere in this package. Ids still propagate: a job continues its producer's trace id.
 */
const DEFAULT_TRACING: CarrierTracing = Object.freeze({
  tracer: Object.freeze({
    startSpan: (name: string, options?: CarrierSpanOptions): CarrierSpan => getGlobalTracer().startSpan(name, options),
    // The global tracer may be an OpenTelemetry bridge (setGlobalTracer without Nest).
    enterStore: <A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R => {
      const tracer = getGlobalTracer() as CarrierTracer;
      return tracer.enterStore === undefined ? runWithStore(store, fn, ...args) : tracer.enterStore(store, fn, ...args);
    },
  }),
  propagator: w3cPropagator,
});

const NONE: CarrierTracingSource = () => null;
let source: CarrierTracingSource = NONE;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Installs the tracer and propagator used by `captureTraceContext`, `runWithTraceContext` and
 * the microservice integration. Validated here, once, so the per-message path has no checks.
 */
export function configureTraceCarriers(tracing: CarrierTracing | null): void {
  if (tracing === null) {
    // Back to the default (the global tracer with W3C).
    source = NONE;
    return;
  }
  if (!isObject(tracing)) throw invalidOption('traceCarriers', tracing, 'an object { tracer, propagator }');
  const { tracer, propagator } = tracing;
  if (!isObject(tracer) || typeof tracer.startSpan !== 'function') {
    throw invalidOption('traceCarriers.tracer', tracer, 'a tracer with startSpan(name, options)');
  }
  if (
    !isObject(propagator) ||
    typeof propagator.extract !== 'function' ||
    typeof propagator.inject !== 'function' ||
    !Array.isArray(propagator.fields)
  ) {
    throw invalidOption('traceCarriers.propagator', propagator, 'a propagator with extract, inject and fields');
  }
  const resolved: CarrierTracing = Object.freeze({ tracer, propagator });
  source = () => resolved;
}

/**
 * Integration surface: where the tracing comes from, read on every capture and message
 * (one call). The Nest layer points it at the running app's runtime.
 */
export function setTraceCarrierSource(next: CarrierTracingSource): void {
  if (typeof next !== 'function') throw invalidOption('traceCarrierSource', next, 'a function returning { tracer, propagator } or null');
  source = next;
}

/** The tracing in effect: the configured source's, else the global tracer with W3C. */
export function carrierTracing(): CarrierTracing {
  return source() ?? DEFAULT_TRACING;
}
