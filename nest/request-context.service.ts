// The application API, usable injected (`constructor(private ctx: RequestContextService)`) and
// statically (`RequestContextService.getRequestId()`, from code without injection). Every instance
// method is the static one: there is one context per async flow, not per instance.

import { Injectable } from '@nestjs/common';
import {
  ContextKey,
  context,
  getBaggage,
  getBaggageEntry,
  getGlobalTracer,
  setBaggage,
  traceLogFields,
  type Baggage,
  type BaggageEntry,
  type TraceLogFields,
  type TraceLogFieldsOptions,
  type SetPolicy,
  type Span,
  type StartSpanOptions,
  type TraceContext,
  type TraceSeed,
} from '../engine/index.js';

/** A context key: a typed ContextKey, or a name (shared with `ContextKey.for(name)`). */
export type KeyLike<T> = ContextKey<T> | string;

function keyOf<T>(key: KeyLike<T>): ContextKey<T> {
  return typeof key === 'string' ? ContextKey.for<T>(key) : key;
}

@Injectable()
export class RequestContextService {
  /** The request id of the active context, or undefined outside one. */
  static getRequestId(): string | undefined {
    return context.getRequestId();
  }

  /** The active span's trace context (ids, flags, tracestate), or undefined. */
  static getTraceContext(): TraceContext | undefined {
    return getGlobalTracer().getTraceContext();
  }

  /**
   * Starts a span, a child of the active span (or a new root); the caller ends it. With
   * tracing off the span records nothing and carries the active ids.
   */
  static startSpan(name: string, options?: StartSpanOptions): Span {
    return getGlobalTracer().startSpan(name, options);
  }

  static get<T = unknown>(key: KeyLike<T>): T | undefined {
    // A name nobody set has no key, and reading it must not make one (names may come from input).
    if (typeof key === 'string') {
      const found = ContextKey.find<T>(key);
      return found === undefined ? undefined : context.get(found);
    }
    return context.get(key);
  }

  static set<T>(key: KeyLike<T>, value: T, policy?: SetPolicy): void {
    context.set(keyOf(key), value, policy);
  }

  static has(key: KeyLike<unknown>): boolean {
    if (typeof key === 'string') {
      const found = ContextKey.find(key);
      return found !== undefined && context.has(found);
    }
    return context.has(key);
  }

  /**
   * Runs `fn` as a continuation of a remote trace (a job carrying a traceparent, a script):
   * spans started inside are its children. Bad ids throw a TypeError naming the field.
   */
  static runWithTrace<R>(seed: TraceSeed, fn: () => R): R {
    return getGlobalTracer().runWithTrace(seed, fn);
  }

  /**
   * `{ trace_id, span_id, trace_flags, request_id }` of the span active here (inside an `@Span`
   * method, that span's), plus the listed baggage entries; `{}` outside any context.
   */
  static traceLogFields(options?: TraceLogFieldsOptions): TraceLogFields {
    return traceLogFields(options);
  }

  /** The request's baggage (W3C Baggage received, plus what setBaggage added); empty outside a context. */
  static getBaggage(): Baggage {
    return getBaggage();
  }

  /** One baggage entry (`.value`, `.properties`), or undefined. */
  static getBaggageEntry(key: string): BaggageEntry | undefined {
    return getBaggageEntry(key);
  }

  /** Adds or replaces a baggage entry for the rest of the request: later outbound calls, messages and jobs carry it. */
  static setBaggage(key: string, value: string, properties?: string): void {
    setBaggage(key, value, properties);
  }

  /** `fn` bound to the active context (for callbacks that lose it: emitters, pooled clients). */
  static bind<F extends (...args: any[]) => any>(fn: F): F {
    return context.bind(fn);
  }

  getRequestId(): string | undefined {
    return RequestContextService.getRequestId();
  }

  getTraceContext(): TraceContext | undefined {
    return RequestContextService.getTraceContext();
  }

  startSpan(name: string, options?: StartSpanOptions): Span {
    return RequestContextService.startSpan(name, options);
  }

  get<T = unknown>(key: KeyLike<T>): T | undefined {
    return RequestContextService.get(key);
  }

  set<T>(key: KeyLike<T>, value: T, policy?: SetPolicy): void {
    RequestContextService.set(key, value, policy);
  }

  has(key: KeyLike<unknown>): boolean {
    return RequestContextService.has(key);
  }

  runWithTrace<R>(seed: TraceSeed, fn: () => R): R {
    return RequestContextService.runWithTrace(seed, fn);
  }

  bind<F extends (...args: any[]) => any>(fn: F): F {
    return RequestContextService.bind(fn);
  }

  traceLogFields(options?: TraceLogFieldsOptions): TraceLogFields {
    return traceLogFields(options);
  }

  getBaggage(): Baggage {
    return getBaggage();
  }

  getBaggageEntry(key: string): BaggageEntry | undefined {
    return getBaggageEntry(key);
  }

  setBaggage(key: string, value: string, properties?: string): void {
    setBaggage(key, value, properties);
  }
}
