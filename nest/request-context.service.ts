// The application API, usable injected (`constructor(private ctx: RequestContextService)`) and
// statically (`RequestContextService.getRequestId()`, as the seed calls it). Every instance
// method is the static one: there is one context per async flow, not per instance.

import { Injectable } from '@nestjs/common';
import {
  ContextKey,
  TraceContext,
  context,
  currentStore,
  runWithSpan,
  type SetPolicy,
} from '../engine/index.js';
import { getTracingRuntime } from './tracing/active-runtime.js';
import { NON_RECORDING_SPAN } from './tracing/non-recording-span.js';
import type { RuntimeSpan, RuntimeSpanOptions } from './tracing/tracing-runtime.js';

/** A context key: a typed ContextKey, or a name (shared with `ContextKey.for(name)`). */
export type KeyLike<T> = ContextKey<T> | string;

function keyOf<T>(key: KeyLike<T>): ContextKey<T> {
  return typeof key === 'string' ? ContextKey.for<T>(key) : key;
}

/** The trace context of whatever the store's span slot holds (a span, or a remote parent). */
function traceContextOf(slot: object | null): TraceContext | undefined {
  if (slot === null) return undefined;
  if (slot instanceof TraceContext) return slot;
  return (slot as RuntimeSpan).spanContext();
}

/** Input of `runWithTrace`: the ids of a remote parent (validated). */
export interface TraceInput {
  traceId: string;
  spanId: string;
  sampled?: boolean;
  traceFlags?: number;
  traceState?: string;
}

@Injectable()
export class RequestContextService {
  /** The request id of the active context, or undefined outside one. */
  static getRequestId(): string | undefined {
    return context.getRequestId();
  }

  /** The active span's trace context (ids, flags, tracestate), or undefined. */
  static getTraceContext(): TraceContext | undefined {
    const store = currentStore();
    return store === undefined ? undefined : traceContextOf(store.span);
  }

  /**
   * Starts a span, a child of the active span (or a new root). The caller ends it. Without a
   * tracer (tracing off) it returns a shared non-recording span that does nothing.
   */
  static startSpan(name: string, options?: RuntimeSpanOptions): RuntimeSpan {
    const runtime = getTracingRuntime();
    return runtime === null ? NON_RECORDING_SPAN : runtime.tracer.startSpan(name, options);
  }

  static get<T = unknown>(key: KeyLike<T>): T | undefined {
    return context.get(keyOf(key));
  }

  static set<T>(key: KeyLike<T>, value: T, policy?: SetPolicy): void {
    context.set(keyOf(key), value, policy);
  }

  static has(key: KeyLike<unknown>): boolean {
    return context.has(keyOf(key));
  }

  /**
   * Runs `fn` as a continuation of a remote trace (a job carrying a traceparent, a script):
   * spans started inside are its children. Bad ids throw a TypeError naming the field.
   */
  static runWithTrace<R>(input: TraceInput | TraceContext, fn: () => R): R {
    const parent = input instanceof TraceContext ? input : TraceContext.from({ ...input, isRemote: true });
    return runWithSpan(parent, fn);
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

  startSpan(name: string, options?: RuntimeSpanOptions): RuntimeSpan {
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

  runWithTrace<R>(input: TraceInput | TraceContext, fn: () => R): R {
    return RequestContextService.runWithTrace(input, fn);
  }

  bind<F extends (...args: any[]) => any>(fn: F): F {
    return RequestContextService.bind(fn);
  }
}
