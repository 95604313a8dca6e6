// The engine's Tracer API on top of the application's OpenTelemetry SDK ('otel' mode).
// Spans are started through the app's tracer provider (its sampler, processors and exporters
// decide everything) and made active in OTel's context as well as in this library's store, so
// spans of OTel instrumentations (http, pg, redis) started inside ours are their children, and
// ours started inside theirs are theirs. A subclass of Tracer, so setGlobalTracer, the Nest
// runtime seam, @Span and outbound HTTP take it unchanged.

import { invalidArgument, invalidOption } from '../errors.js';
import type { ContextStore } from '../context/context-store.js';
import { currentStore, runWithStore } from '../context/request-context.js';
import { TraceContext } from '../propagation/trace-context.js';
import { SpanKind } from '../spans/span-data.js';
import type { Span, StartSpanOptions } from '../spans/span.js';
import type { SpanEndHook } from '../spans/span-processor.js';
import { Tracer, type TraceSeed } from '../spans/tracer.js';
import type { OtelApi, OtelContext, OtelSpan, OtelSpanOptions, OtelTracer as OtelApiTracer, OtelTracerProvider } from './otel-api.js';
import { otelContextOf, toOtelSpanContext } from './otel-context.js';
import { MeteredOtelSpan } from './metered-otel-span.js';
import { OtelBridgeSpan, toOtelTime } from './otel-span.js';

/**
 * The context key of @opentelemetry/core's RPC metadata (createContextKey is Symbol.for of
 * this description). instrumentation-http sets `{ type: 'http', span }` under it for every
 * incoming request, sampled or not, and reads `route` back when the response ends (for
 * `http.route` on its span and its duration metric): the hook web framework instrumentations use.
 */
const RPC_METADATA_KEY = Symbol.for('OpenTelemetry SDK Context Key RPC_METADATA');

interface RpcMetadata {
  type?: unknown;
  span?: unknown;
  route?: string;
}

export interface OtelTracerOptions {
  /** Instrumentation scope name of the spans. Default `'nestjs-trace-context'`. */
  scopeName?: string;
  scopeVersion?: string;
  /**
   * Called when a SERVER, CLIENT or CONSUMER span this tracer started ends, sampled by the SDK
   * or not (RED metrics), as the native tracer's option of the same name. Default none.
   */
  onSpanEnd?: SpanEndHook | null;
}

function checkKind(kind: unknown): number {
  return typeof kind === 'number' && kind >= 0 && kind <= 4 && Number.isInteger(kind) ? kind : SpanKind.INTERNAL;
}

/** The kinds the native tracer meters (engine/spans/tracer.ts): one span per request or message. */
function isMeteredKind(kind: number): boolean {
  return kind === SpanKind.SERVER || kind === SpanKind.CLIENT || kind === SpanKind.CONSUMER;
}

export class OtelBridgeTracer extends Tracer {
  readonly api: OtelApi;
  private readonly provider: OtelTracerProvider;
  private readonly otelTracer: OtelApiTracer;
  /** The last wrapper made for a span this library did not start (see getTraceContext). */
  private lastForeign: OtelBridgeSpan | null;
  private readonly spanEndHook: SpanEndHook | null;

  constructor(api: OtelApi, options?: OtelTracerOptions) {
    // The base tracer's pool, sampler and processor are never used: every span is the SDK's.
    super({ enabled: true, poolSize: 0, sampler: { type: 'always_off' } });
    this.api = api;
    this.provider = api.trace.getTracerProvider();
    this.otelTracer = this.provider.getTracer(options?.scopeName ?? 'nestjs-trace-context', options?.scopeVersion);
    this.lastForeign = null;
    const onSpanEnd = options?.onSpanEnd ?? null;
    if (onSpanEnd !== null && typeof onSpanEnd !== 'function') {
      throw invalidOption('onSpanEnd', onSpanEnd, 'a function (name, kind, statusCode, durationMs) => void');
    }
    this.spanEndHook = onSpanEnd;
  }

  /**
   * The OTel context new spans start in: OTel's active one when it has a span (an
   * instrumentation's, or ours activated there), else the OTel context of this library's active
   * span (a callback where OTel's context was lost but the store was re-entered).
   */
  private activeParentContext(): OtelContext {
    const api = this.api;
    const active = api.context.active();
    if (api.trace.getSpan(active) !== undefined) return active;
    const slot = currentStore()?.span;
    return slot instanceof TraceContext ? otelContextOf(api, slot, active) : active;
  }

  /**
   * The server span instrumentation-http already started for this request, given the route
   * and name this library knows, or null when no such instrumentation ran (OTel's SERVER span
   * must not be duplicated: semconv has one server span per request).
   */
  private borrowServerSpan(name: string): OtelBridgeSpan | null {
    const api = this.api;
    const active = api.context.active();
    const meta = active.getValue(RPC_METADATA_KEY) as RpcMetadata | undefined;
    if (meta === undefined || meta === null || meta.type !== 'http') return null;
    const span = meta.span as OtelSpan | undefined;
    if (typeof span !== 'object' || span === null || typeof span.spanContext !== 'function') return null;
    const space = name.indexOf(' ');
    if (space !== -1) meta.route = name.slice(space + 1);
    if (span.isRecording()) span.updateName(name);
    // Usually the active span already. Under @fastify/otel the active one is instead the span
    // of the hook that is running now (it wraps route hooks, ours included), which ends with the
    // hook: the request continues under the server span, not under that.
    const activeContext = api.trace.getSpan(active) === span ? active : api.trace.setSpan(active, span);
    return new OtelBridgeSpan(api, span, span.spanContext(), active, activeContext, false, undefined);
  }

  override startSpan(name: string, options?: StartSpanOptions): Span {
    const api = this.api;
    if (typeof name !== 'string') name = String(name);
    let parentContext: OtelContext;
    const otelOptions: OtelSpanOptions = {};
    if (options === undefined) parentContext = this.activeParentContext();
    else {
      const kind = checkKind(options.kind);
      if (kind === SpanKind.SERVER) {
        const borrowed = this.borrowServerSpan(name);
        if (borrowed !== null) return borrowed;
      }
      const explicit = options.parent;
      if (options.root === true || explicit === null) {
        parentContext = api.context.active();
        otelOptions.root = true;
      } else if (explicit instanceof TraceContext) parentContext = otelContextOf(api, explicit, api.context.active());
      else parentContext = this.activeParentContext();
      otelOptions.kind = kind;
      if (options.attributes !== undefined) otelOptions.attributes = options.attributes as OtelSpanOptions['attributes'];
      if (options.startTime !== undefined) otelOptions.startTime = toOtelTime(options.startTime);
      if (Array.isArray(options.links)) {
        otelOptions.links = [];
        for (const link of options.links) {
          if (link?.context instanceof TraceContext) {
            otelOptions.links.push({
              context: toOtelSpanContext(api, link.context),
              attributes: link.attributes as OtelSpanOptions['attributes'],
            });
          }
        }
      }
    }
    const span = this.otelTracer.startSpan(name, otelOptions, parentContext);
    const parent = otelOptions.root === true ? undefined : api.trace.getSpan(parentContext);
    const parentSpanId = parent === undefined ? undefined : parent.spanContext().spanId;
    const hook = this.spanEndHook;
    if (hook !== null && otelOptions.kind !== undefined && isMeteredKind(otelOptions.kind)) {
      return new MeteredOtelSpan(api, span, parentContext, parentSpanId, hook, name, otelOptions.kind, options?.startTime);
    }
    return new OtelBridgeSpan(api, span, span.spanContext(), parentContext, null, true, parentSpanId);
  }

  /** OTel's context with `span` active (a span of this tracer), else OTel's active context. */
  private contextOf(span: Span): OtelContext {
    const api = this.api;
    return span instanceof TraceContext ? otelContextOf(api, span, api.context.active()) : api.context.active();
  }

  override startActiveSpan<R>(name: string, fn: (span: Span) => R): R;
  override startActiveSpan<R>(name: string, options: StartSpanOptions | undefined, fn: (span: Span) => R): R;
  override startActiveSpan<R>(name: string, optionsOrFn: StartSpanOptions | undefined | ((span: Span) => R), maybeFn?: (span: Span) => R): R {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function (span) => result');
    // The base runs fn with the span active in the store and ends it when fn settles; this
    // wrapper makes it active in OTel's context for the same extent.
    const inOtel = (span: Span): R => this.api.context.with(this.contextOf(span), fn, undefined, span);
    return typeof optionsOrFn === 'function' ? super.startActiveSpan(name, inOtel) : super.startActiveSpan(name, optionsOrFn, inOtel);
  }

  override withSpan<R>(span: Span, fn: () => R): R {
    if (!(span instanceof TraceContext)) throw invalidArgument('span', span, 'a span returned by startSpan');
    return this.api.context.with(this.contextOf(span), () => super.withSpan(span, fn));
  }

  /**
   * Runs `fn(...args)` with `store` as this library's context and the store's span active in
   * OTel's context too: what a request, a job or a message handler opens. Without it, spans that
   * OTel instrumentations start inside (an http or pg call in a job) would parent to whatever
   * OTel had active when the scope opened, not to the job's span.
   */
  enterStore<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R {
    const api = this.api;
    const span = store.span;
    if (!(span instanceof TraceContext)) return runWithStore(store, fn, ...args);
    return api.context.with(otelContextOf(api, span, api.context.active()), runWithStore, undefined, store, fn, ...args) as R;
  }

  override runWithTrace<R>(seed: TraceSeed, fn: () => R): R {
    if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function');
    // The base validates the TraceSeed and activates it in the store; OTel gets the same remote parent.
    return super.runWithTrace(seed, () => {
      const api = this.api;
      const remote = currentStore()?.span;
      return remote instanceof TraceContext ? api.context.with(otelContextOf(api, remote, api.context.active()), fn) : fn();
    });
  }

  /**
   * The active span's context as OpenTelemetry sees it: ours when OTel's active span is one of
   * ours, a wrapper of an instrumentation's span otherwise, else this library's store.
   */
  override getTraceContext(): TraceContext | undefined {
    const api = this.api;
    const active = api.context.active();
    const span = api.trace.getSpan(active);
    const slot = currentStore()?.span;
    if (span === undefined) return slot instanceof TraceContext ? slot : undefined;
    if (slot instanceof OtelBridgeSpan && slot.otelSpan === span) return slot;
    // A span only OTel knows (an instrumentation's): wrapped once and reused while it stays
    // active, since code that reads the context tends to read it repeatedly.
    const last = this.lastForeign;
    if (last !== null && last.otelSpan === span) return last;
    const sc = span.spanContext();
    if (!api.trace.isSpanContextValid(sc)) return undefined;
    const wrapped = new OtelBridgeSpan(api, span, sc, active, active, false, undefined);
    this.lastForeign = wrapped;
    return wrapped;
  }

  override getActiveSpan(): Span | undefined {
    const ctx = this.getTraceContext();
    return ctx !== undefined && typeof (ctx as Partial<Span>).end === 'function' ? (ctx as unknown as Span) : undefined;
  }

  /** Flushes the SDK's processors when its provider can (sdk-trace-base's can). */
  override forceFlush(): Promise<void> {
    const provider = this.provider;
    const delegate = (typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider) as OtelTracerProvider;
    return typeof delegate.forceFlush === 'function' ? delegate.forceFlush() : Promise.resolve();
  }

  /** The SDK belongs to the application, which shuts it down; nothing of ours to stop. */
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
