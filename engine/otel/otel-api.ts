// The part of @opentelemetry/api the bridge uses, described structurally. engine/ imports only
// node:* and the api is an optional peer dependency, so its types cannot be imported here: a
// type import would put `@opentelemetry/api` into the published .d.ts files and break type
// checking for users who do not have it. These shapes are those of api 1.x (1.9 checked).

import { createRequire } from 'node:module';

export interface OtelContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): OtelContext;
  deleteValue(key: symbol): OtelContext;
}

interface OtelTraceState {
  serialize(): string;
}

export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: OtelTraceState;
}

export type OtelAttributeValue = string | number | boolean | ReadonlyArray<string | number | boolean | null | undefined>;
export type OtelAttributes = Record<string, OtelAttributeValue | undefined>;

export interface OtelSpan {
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: OtelAttributeValue): unknown;
  setAttributes(attributes: OtelAttributes): unknown;
  addEvent(name: string, attributes?: OtelAttributes, time?: number | Date): unknown;
  recordException(exception: unknown, time?: number | Date): void;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  end(endTime?: number | Date): void;
  isRecording(): boolean;
}

export interface OtelSpanOptions {
  kind?: number;
  attributes?: OtelAttributes;
  links?: { context: OtelSpanContext; attributes?: OtelAttributes }[];
  startTime?: number | Date;
  root?: boolean;
}

export interface OtelTracer {
  startSpan(name: string, options?: OtelSpanOptions, context?: OtelContext): OtelSpan;
}

export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer;
  /** ProxyTracerProvider (what `trace.getTracerProvider()` returns) exposes the registered SDK. */
  getDelegate?(): unknown;
  forceFlush?(): Promise<void>;
}

interface OtelTextMapGetter {
  keys(carrier: Record<string, unknown>): string[];
  get(carrier: Record<string, unknown>, key: string): undefined | string | string[];
}

export interface OtelApi {
  readonly trace: {
    getTracerProvider(): OtelTracerProvider;
    getSpan(context: OtelContext): OtelSpan | undefined;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
    wrapSpanContext(spanContext: OtelSpanContext): OtelSpan;
    isSpanContextValid(spanContext: OtelSpanContext): boolean;
  };
  readonly context: {
    active(): OtelContext;
    with<A extends unknown[], R>(context: OtelContext, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
  };
  readonly propagation: {
    inject(context: OtelContext, carrier: Record<string, string>): void;
    extract(context: OtelContext, carrier: Record<string, unknown>, getter?: OtelTextMapGetter): OtelContext;
    fields(): string[];
  };
  readonly ROOT_CONTEXT: OtelContext;
  createTraceState?(raw?: string): OtelTraceState;
}

/**
 * @opentelemetry/api as the application resolves it, or null when it is not installed.
 * `require` and not `import()`: the Nest module builds its providers synchronously, and the api
 * keeps its registered provider, context manager and propagator on a globalThis symbol, so
 * the CJS copy loaded here sees what the app registered through the ESM one.
 */
export function loadOtelApi(from: string | URL = import.meta.url): OtelApi | null {
  try {
    const api = createRequire(from)('@opentelemetry/api') as Partial<OtelApi>;
    return typeof api.trace?.getTracerProvider === 'function' && typeof api.context?.with === 'function' ? (api as OtelApi) : null;
  } catch {
    return null;
  }
}

/**
 * Whether an SDK registered a tracer provider (trace.setGlobalTracerProvider). Until then the
 * api's ProxyTracerProvider delegates to its NoopTracerProvider, whose spans carry the invalid
 * all-zero context. The api exports no Noop class to compare with, so the delegate's class
 * name is checked (the same name since api 1.0).
 */
export function isTracerProviderRegistered(api: OtelApi): boolean {
  const provider = api.trace.getTracerProvider();
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider;
  if (typeof delegate !== 'object' || delegate === null) return false;
  // This engine registered by another app of the process (api-global.ts) is not an SDK to bridge to.
  if ((delegate as Record<symbol, unknown>)[ENGINE_PROVIDER] === true) return false;
  return (delegate as { constructor?: { name?: string } }).constructor?.name !== 'NoopTracerProvider';
}

/** Marks the provider this engine registers in the api (engine/otel/api-global.ts). */
export const ENGINE_PROVIDER = Symbol.for('nestjs-trace-context.engine-provider');
