// This engine as @opentelemetry/api's global TracerProvider, ContextManager and propagator, for
// mode 'native' when no other provider is registered: libraries and app code that call the api
// themselves (`trace.getTracer('x').startActiveSpan(...)`) then make pooled spans of this
// engine's tracer, exported by its exporters and counted by its metrics.
//
// Context is the engine's one store: the api's active context is built from the store's active
// span (an api span inside a request is a child of the server span), and `context.with` runs
// the callback with that context's span as the store's active span (an engine span started
// inside an api span's startActiveSpan is its child). Other api context values (baggage) are
// not carried: the store has no slot for them.

import { currentStore, runWithSpan } from '../context/request-context.js';
import type { Propagator } from '../propagation/propagator.js';
import { TraceContext } from '../propagation/trace-context.js';
import type { Span, StartSpanOptions } from '../spans/span.js';
import type { Tracer } from '../spans/tracer.js';
import { ApiSpan } from './api-span.js';
import { ENGINE_PROVIDER, isTracerProviderRegistered, type OtelApi, type OtelContext, type OtelSpan, type OtelSpanContext } from './otel-api.js';

/** The api's span key: `createContextKey` is `Symbol.for(description)` in api 1.x. */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

interface RegistrableApi extends OtelApi {
  readonly trace: OtelApi['trace'] & { setGlobalTracerProvider(provider: object): boolean; disable(): void };
  readonly context: OtelApi['context'] & { setGlobalContextManager(manager: object): boolean; disable(): void };
  readonly propagation: OtelApi['propagation'] & { setGlobalPropagator(propagator: object): boolean; disable(): void };
}

function isRegistrable(api: OtelApi): api is RegistrableApi {
  const a = api as Partial<RegistrableApi>;
  return typeof a.trace?.setGlobalTracerProvider === 'function' && typeof a.context?.setGlobalContextManager === 'function' && typeof a.propagation?.setGlobalPropagator === 'function';
}

/** The engine TraceContext an api context carries, or null. */
function traceContextOf(ctx: OtelContext | undefined): TraceContext | null {
  const span = ctx?.getValue(SPAN_KEY) as OtelSpan | ApiSpan | undefined;
  if (span === undefined || span === null) return null;
  if (span instanceof ApiSpan) return span.traceContext();
  if (typeof span.spanContext !== 'function') return null;
  const sc: OtelSpanContext = span.spanContext();
  try {
    return TraceContext.from({
      traceId: sc.traceId,
      spanId: sc.spanId,
      traceFlags: sc.traceFlags,
      traceState: sc.traceState?.serialize(),
      isRemote: sc.isRemote ?? true,
    } as Parameters<typeof TraceContext.from>[0]);
  } catch {
    // the api's invalid all-zero context: no parent
    return null;
  }
}

/**
 * Registers the engine globally in the api unless a tracer provider is registered already (the
 * app's own SDK always wins). Returns the unregister function, or null when nothing was
 * registered.
 */
export function registerOtelApiGlobals(api: OtelApi, tracer: Tracer, propagator: Propagator): (() => void) | null {
  if (!isRegistrable(api) || isTracerProviderRegistered(api)) return null;
  // Another app of this process registered its engine already: the api keeps that one.
  const current = api.trace.getTracerProvider();
  const delegate = typeof current.getDelegate === 'function' ? current.getDelegate() : current;
  if ((delegate as Record<symbol, unknown> | null)?.[ENGINE_PROVIDER] === true) return null;
  const spans = new WeakMap<object, ApiSpan>();
  const apiSpanOf = (span: Span): ApiSpan => {
    let adapted = spans.get(span);
    if (adapted === undefined) {
      adapted = new ApiSpan(api, span);
      spans.set(span, adapted);
    }
    return adapted;
  };

  const start = (name: string, options: Record<string, unknown> | undefined, ctx: OtelContext | undefined): ApiSpan => {
    const o: StartSpanOptions = {};
    if (options !== undefined && options !== null) {
      if (typeof options['kind'] === 'number') o.kind = options['kind'] as StartSpanOptions['kind'];
      if (typeof options['attributes'] === 'object') o.attributes = options['attributes'] as StartSpanOptions['attributes'];
      if (options['startTime'] !== undefined) o.startTime = options['startTime'] as StartSpanOptions['startTime'];
      if (options['root'] === true) o.root = true;
    }
    if (ctx !== undefined && o.root !== true) o.parent = traceContextOf(ctx);
    return apiSpanOf(tracer.startSpan(name, o));
  };

  const apiTracer = {
    startSpan(name: string, options?: Record<string, unknown>, ctx?: OtelContext): ApiSpan {
      return start(name, options, ctx);
    },
    startActiveSpan(name: string, ...rest: unknown[]): unknown {
      const fn = rest[rest.length - 1] as (span: ApiSpan) => unknown;
      const options = rest.length >= 2 ? (rest[0] as Record<string, unknown> | undefined) : undefined;
      const ctx = rest.length >= 3 ? (rest[1] as OtelContext | undefined) : undefined;
      const span = start(name, options, ctx);
      return runWithSpan(span.inner, fn, span);
    },
  };
  const provider = {
    [ENGINE_PROVIDER]: true,
    getTracer(): typeof apiTracer {
      return apiTracer;
    },
  };

  interface ContextManager {
    active(): OtelContext;
    with<A extends unknown[], R>(ctx: OtelContext, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
    bind<T>(ctx: OtelContext, target: T): T;
    enable(): ContextManager;
    disable(): ContextManager;
  }
  const contextManager: ContextManager = {
    active(): OtelContext {
      const slot = currentStore()?.span;
      if (slot === undefined || slot === null) return api.ROOT_CONTEXT;
      if (slot instanceof TraceContext && typeof (slot as Partial<Span>).end === 'function') {
        return api.ROOT_CONTEXT.setValue(SPAN_KEY, apiSpanOf(slot as unknown as Span));
      }
      return slot instanceof TraceContext
        ? api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId: slot.traceId, spanId: slot.spanId, traceFlags: slot.traceFlags, isRemote: slot.isRemote })
        : api.ROOT_CONTEXT;
    },
    with<A extends unknown[], R>(ctx: OtelContext, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R {
      const span = ctx?.getValue(SPAN_KEY);
      const slot = span instanceof ApiSpan ? span.inner : traceContextOf(ctx);
      return runWithSpan(slot, () => fn.apply(thisArg, args));
    },
    bind<T>(ctx: OtelContext, target: T): T {
      if (typeof target !== 'function') return target;
      return function (this: unknown, ...args: unknown[]) {
        return contextManager.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
      } as T;
    },
    enable(): ContextManager {
      return contextManager;
    },
    disable(): ContextManager {
      return contextManager;
    },
  };

  const apiPropagator = {
    inject(ctx: OtelContext, carrier: unknown, setter?: { set(carrier: unknown, key: string, value: string): void }): void {
      const tc = traceContextOf(ctx);
      if (tc === null || carrier === null || typeof carrier !== 'object') return;
      const headers: Record<string, string> = {};
      propagator.inject(tc, headers);
      for (const key in headers) {
        if (setter !== undefined) setter.set(carrier, key, headers[key]!);
        else (carrier as Record<string, string>)[key] = headers[key]!;
      }
    },
    extract(ctx: OtelContext, carrier: unknown, getter?: { keys(c: unknown): string[]; get(c: unknown, k: string): unknown }): OtelContext {
      if (carrier === null || typeof carrier !== 'object') return ctx;
      const headers: Record<string, string | string[] | undefined> = {};
      const keys = getter !== undefined ? getter.keys(carrier) : Object.keys(carrier);
      for (const key of keys) {
        const value = getter !== undefined ? getter.get(carrier, key) : (carrier as Record<string, unknown>)[key];
        if (typeof value === 'string' || Array.isArray(value)) headers[key.toLowerCase()] = value as string | string[];
      }
      const tc = propagator.extract(headers);
      if (tc === null) return ctx;
      return api.trace.setSpanContext(ctx, { traceId: tc.traceId, spanId: tc.spanId, traceFlags: tc.traceFlags, isRemote: true, traceState: tc.traceState === undefined || api.createTraceState === undefined ? undefined : api.createTraceState(tc.traceState) });
    },
    fields(): string[] {
      return [...propagator.fields];
    },
  };

  if (!api.trace.setGlobalTracerProvider(provider)) return null;
  if (!api.context.setGlobalContextManager(contextManager)) {
    // The app registered a context manager of its own: its context is not ours, so a provider
    // without it would parent api spans wrongly. Leave the api as it was.
    api.trace.disable();
    return null;
  }
  api.propagation.setGlobalPropagator(apiPropagator);
  let registered = true;
  return () => {
    if (!registered) return;
    registered = false;
    const current = api.trace.getTracerProvider();
    if ((typeof current.getDelegate === 'function' ? current.getDelegate() : current) !== provider) return;
    api.trace.disable();
    api.context.disable();
    api.propagation.disable();
  };
}
