// The tracer: starts spans as children of the active span (or of an explicit parent), asks the
// sampler, and hands ended records to the processor.
//
// Cost model (bench/micro/spans.bench.ts): a sampled span is one pooled record (reused) plus one
// handle that is its own TraceContext; its ids stay raw bytes until read (span-ids.ts), and
// the two clock reads box one number each. An unsampled span with an
// unsampled local parent is the parent's own NonRecordingSpan: no allocation at all. An
// unsampled root or remote child is one NonRecordingSpan plus its ids.

import { storeBaggage } from '../baggage/active-baggage.js';
import { copyBaggageAttributes } from '../baggage/baggage-attributes.js';
import { invalidArgument } from '../errors.js';
import { generateSpanId, generateTraceId } from '../ids/trace-ids.js';
import { currentStore, runInSpan, runWithSpan } from '../context/request-context.js';
import { checkTraceState, FLAG_RANDOM, FLAG_SAMPLED, KNOWN_FLAGS_MASK, TraceContext } from '../propagation/trace-context.js';
import { SamplingDecision } from '../sampling/sampling-result.js';
import type { Sampler } from '../sampling/sampler.js';
import { AlwaysOffSampler } from '../sampling/always-off.js';
import { AlwaysOnSampler } from '../sampling/always-on.js';
import { ParentBasedSampler } from '../sampling/parent-based.js';
import { TailSampler } from '../sampling/tail-sampler.js';
import { TailSamplingProcessor } from '../sampling/tail-processor.js';
import { now } from './clock.js';
import { NonRecordingSpan } from './non-recording-span.js';
import { drawSpanId, drawTraceAndSpanId, hex16, idBlock } from './span-ids.js';
import { RecordingSpan } from './recording-span.js';
import type { Span, StartSpanOptions } from './span.js';
import { SpanKind, SpanStatusCode, type Attributes } from './span-data.js';
import { errorMessage } from './exception.js';
import { SpanPool, type SpanPoolStats } from './span-pool.js';
import type { SpanEndHook, SpanProcessor } from './span-processor.js';
import { ENDED, type SpanRecord, type SpanSink } from './span-record.js';
import { toClockTime } from './time-input.js';
import { resolveTracerOptions, type TracerOptions } from './tracer-options.js';

/** Ids for runWithTrace: manual propagation (a job carrying a trace from a message). */
export interface TraceSeed {
  traceId: string;
  spanId: string;
  /** Default true. */
  sampled?: boolean;
  traceState?: string;
}

function isMeteredKind(kind: SpanKind): boolean {
  return kind === SpanKind.SERVER || kind === SpanKind.CLIENT || kind === SpanKind.CONSUMER;
}

const KIND_BY_NAME: Readonly<Record<string, SpanKind>> = Object.freeze({
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
});

/**
 * A numeric SpanKind or its lower-case name ('server'); anything else is INTERNAL, as
 * OpenTelemetry's tracer treats an unknown kind.
 */
function checkKind(kind: unknown): SpanKind {
  if (typeof kind === 'number') return kind >= 0 && kind <= 4 && Number.isInteger(kind) ? (kind as SpanKind) : SpanKind.INTERNAL;
  return typeof kind === 'string' && Object.hasOwn(KIND_BY_NAME, kind) ? KIND_BY_NAME[kind]! : SpanKind.INTERNAL;
}

/** The TraceContext of the active scope, or null. Every span object is its own TraceContext. */
function activeContext(): TraceContext | null {
  const store = currentStore();
  if (store === undefined) return null;
  const span = store.span;
  return span instanceof TraceContext ? span : null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function failed(span: Span, err: unknown): void {
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
}

/** Runs `fn(span)` and ends the span when it returns, throws, or its promise settles. */
function runActive<R>(span: Span, fn: (span: Span) => R): R {
  let result: R;
  try {
    result = fn(span);
  } catch (err) {
    failed(span, err);
    span.end();
    throw err;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        failed(span, err);
        span.end();
        throw err;
      },
    ) as R;
  }
  span.end();
  return result;
}

export class Tracer implements SpanSink {
  readonly sampler: Sampler;
  readonly processor: SpanProcessor | null;
  readonly enabled: boolean;
  readonly debug: boolean;
  private readonly onSpanEnd: SpanEndHook | null;
  /** Told of every recording span's start: only the tail samplers' processor, else null. */
  private readonly startObserver: TailSamplingProcessor | null;
  /** `baggageAttributes`: allow-listed baggage keys copied onto recording spans, or null. */
  private readonly baggageKeys: readonly string[] | null;
  private readonly pool: SpanPool;
  /** The sampler is parent-based with always_off for unsampled local parents (resolved once). */
  private readonly dropsUnsampledLocalChildren: boolean;
  /** Roots are decided by always_on, which ignores the trace id: roots draw raw id bytes and the sampler gets ''. */
  private readonly rootIdsAsBytes: boolean;
  private staleWarned: boolean;
  private processorWarned: boolean;

  constructor(options?: TracerOptions) {
    const o = resolveTracerOptions(options);
    this.sampler = o.sampler;
    // A tail sampler holds each local trace in its processor until the local root ends, in
    // front of the configured one (which then sees kept traces only).
    const tail = o.sampler instanceof TailSampler ? new TailSamplingProcessor(o.sampler, o.processor) : null;
    this.processor = tail ?? o.processor;
    this.startObserver = tail;
    this.enabled = o.enabled;
    this.debug = o.debug;
    this.onSpanEnd = o.onSpanEnd;
    this.baggageKeys = o.baggageAttributes;
    this.pool = new SpanPool(o.poolSize, o.maxPoolSize, o.limits, o.scopeName, this);
    this.dropsUnsampledLocalChildren =
      o.sampler instanceof ParentBasedSampler && o.sampler.localParentNotSampled instanceof AlwaysOffSampler;
    const root = o.sampler instanceof ParentBasedSampler ? o.sampler.root : o.sampler;
    // The exact class: a subclass may read the trace id or drop roots.
    this.rootIdsAsBytes = root.constructor === AlwaysOnSampler;
    this.staleWarned = false;
    this.processorWarned = false;
  }

  /**
   * Starts a span: a child of `options.parent` when given, else of the active span, else a
   * new root (`root: true` or `parent: null` force a root). Hot path.
   */
  startSpan(name: string, options?: StartSpanOptions): Span {
    let parent: TraceContext | null;
    let kind: SpanKind = SpanKind.INTERNAL;
    let attributes: Attributes | undefined;
    if (options === undefined) parent = activeContext();
    else {
      const explicit = options.parent;
      if (options.root === true || explicit === null) parent = null;
      else if (explicit === undefined) parent = activeContext();
      else parent = explicit instanceof TraceContext ? explicit : null;
      if (options.kind !== undefined) kind = checkKind(options.kind);
      attributes = options.attributes;
    }
    if (typeof name !== 'string') name = String(name);
    if (!this.enabled) return this.passThrough(parent);
    // Hot path of an unsampled request: a child of its local non-recording span, under a sampler
    // known to drop it (parent-based with the default localParentNotSampled), gets the shared
    // object back without a sampler call.
    if (
      this.dropsUnsampledLocalChildren &&
      parent instanceof NonRecordingSpan &&
      !parent.isRemote &&
      (parent.traceFlags & FLAG_SAMPLED) === 0 &&
      (this.onSpanEnd === null || !isMeteredKind(kind))
    ) {
      return parent.shared();
    }

    // Under an always_on root sampler a root draws its trace and span ids as raw bytes, built as
    // hex only if something reads them (span-ids.ts). Any other sampler may read the trace id
    // and mostly drops roots (traceidratio), so those roots take the batch-hex string, as an
    // unsampled span needs anyway. The block is captured now: a sampler may start spans itself.
    let at = -1;
    let ids: Uint8Array | null = null;
    let traceId: string;
    if (parent !== null) traceId = parent.traceId;
    else if (this.rootIdsAsBytes) {
      at = drawTraceAndSpanId() + 16;
      ids = idBlock();
      traceId = '';
    } else traceId = generateTraceId();
    const result = this.sampler.shouldSample(parent, traceId, name, kind, attributes);
    const metered = this.onSpanEnd !== null && isMeteredKind(kind);
    let flags = parent === null ? FLAG_RANDOM : parent.traceFlags & KNOWN_FLAGS_MASK;
    const ts = result.traceState;

    if (result.decision === SamplingDecision.NOT_RECORD) {
      // An unsampled span takes the parent's tracestate unvalidated (traceStateForChild): it is
      // checked on its own first read, i.e. only when something forwards it. Reading
      // `parent.traceState` here scanned the header on every request (~140 -> ~290 ns CPU per
      // extract, bench/micro/propagation.bench.ts). A recording span below takes the checked
      // value, because its record is exported as it is.
      const childState = ts === undefined ? (parent === null ? undefined : parent.traceStateForChild()) : ts === '' ? undefined : ts;
      // One shared non-recording object per process-local unsampled scope: its children get it back.
      if (!metered && parent instanceof NonRecordingSpan && !parent.isRemote && result.traceState === undefined) return parent.shared();
      // Unsampled spans carry string ids (the batch-hex slices of ids/trace-ids.ts, ~40 ns for
      // both against ~100 ns to build them from bytes). Roots with drawn bytes never get here
      // (always_on keeps them all); if one did, its ids would still be valid.
      return new NonRecordingSpan(
        ids === null ? traceId : hex16(ids, at - 16),
        generateSpanId(),
        flags & ~FLAG_SAMPLED,
        childState,
        false,
        parent === null ? undefined : parent.spanId,
        metered ? this.onSpanEnd : null,
        name,
        kind,
        metered ? toClockTime(options?.startTime) : 0,
      );
    }

    flags = result.decision === SamplingDecision.RECORD_AND_SAMPLED ? flags | FLAG_SAMPLED : flags & ~FLAG_SAMPLED;
    const traceState = ts === undefined ? (parent === null ? undefined : parent.traceState) : ts === '' ? undefined : ts;
    if (ids === null) {
      at = drawSpanId();
      ids = idBlock();
    }
    const record = this.pool.acquire();
    const parentSpanId = parent === null ? undefined : parent.spanId;
    // The handle's tracestate is validated when it is made (RecordingSpan keeps no "checked"
    // flag): the parent's getter already did; a sampler-given one is checked here, giving what
    // the handle's first read gave before. The record keeps the value as given, as it did.
    const span = new RecordingSpan(traceId, ids, at, flags, ts === undefined ? traceState : checkTraceState(traceState), parentSpanId, record);
    const startTime = options === undefined || options.startTime === undefined ? now() : toClockTime(options.startTime);
    record.start(
      span,
      parentSpanId === undefined ? '' : parentSpanId,
      parent !== null && parent.isRemote,
      flags,
      traceState,
      name,
      kind,
      startTime,
    );
    if (attributes !== undefined) record.setAttributes(attributes);
    if (this.baggageKeys !== null) this.copyBaggage(record);
    if (options !== undefined && options.links !== undefined) this.addLinks(record, options.links);
    if (this.startObserver !== null) this.startObserver.onStart(record, parent);
    return span;
  }

  /** The active context's allow-listed baggage onto a new recording span. */
  private copyBaggage(record: SpanRecord): void {
    const store = currentStore();
    const baggage = store === undefined ? null : storeBaggage(store);
    if (baggage !== null) copyBaggageAttributes(record, baggage, this.baggageKeys!);
  }

  private addLinks(record: SpanRecord, links: unknown): void {
    if (!Array.isArray(links)) return;
    for (const link of links as { context?: unknown; attributes?: Attributes }[]) {
      const ctx = link?.context;
      if (ctx instanceof TraceContext) record.addLink(ctx.traceId, ctx.spanId, ctx.traceFlags, ctx.traceState, link.attributes);
    }
  }

  /** Tracing disabled: a child carries its parent's ids unchanged (as OpenTelemetry's no-op tracer does). */
  private passThrough(parent: TraceContext | null): Span {
    if (parent === null) {
      return new NonRecordingSpan(generateTraceId(), generateSpanId(), FLAG_RANDOM, undefined, false, undefined, null, '', 0, 0);
    }
    if (parent instanceof NonRecordingSpan) return parent.shared();
    return new NonRecordingSpan(parent.traceId, parent.spanId, parent.traceFlags, parent.traceStateForChild(), parent.isRemote, parent.parentSpanId, null, '', 0, 0);
  }

  /** Starts a span, runs `fn(span)` with it active, and ends it when `fn` returns, throws or its promise settles. */
  startActiveSpan<R>(name: string, fn: (span: Span) => R): R;
  startActiveSpan<R>(name: string, options: StartSpanOptions | undefined, fn: (span: Span) => R): R;
  startActiveSpan<R>(name: string, optionsOrFn: StartSpanOptions | undefined | ((span: Span) => R), maybeFn?: (span: Span) => R): R {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function (span) => result');
    const span = this.startSpan(name, typeof optionsOrFn === 'function' ? undefined : optionsOrFn);
    return runWithSpan(span, runActive<R>, span, fn);
  }

  /** Runs `fn` with `span` as the active span. */
  withSpan<R>(span: Span, fn: () => R): R {
    if (!(span instanceof TraceContext)) throw invalidArgument('span', span, 'a span returned by startSpan');
    if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function');
    return runInSpan(span, fn);
  }

  /**
   * Runs `fn` in a context whose parent is the remote context `seed` (spans started inside are
   * its children). Invalid ids throw a TypeError (ERR_INVALID_ARGUMENT) naming the field.
   */
  runWithTrace<R>(seed: TraceSeed, fn: () => R): R {
    if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function');
    const ctx = TraceContext.from({
      traceId: seed?.traceId,
      spanId: seed?.spanId,
      sampled: seed?.sampled,
      traceState: seed?.traceState,
    } as TraceSeed);
    const remote = new NonRecordingSpan(ctx.traceId, ctx.spanId, ctx.traceFlags, ctx.traceState, true, undefined, null, '', 0, 0);
    return runInSpan(remote, fn);
  }

  /** The active span's TraceContext (the span object itself), or undefined. */
  getTraceContext(): TraceContext | undefined {
    return activeContext() ?? undefined;
  }

  /** The active span (a remote parent from runWithTrace is a non-recording span), or undefined. */
  getActiveSpan(): Span | undefined {
    const ctx = activeContext();
    return ctx instanceof RecordingSpan || ctx instanceof NonRecordingSpan ? ctx : undefined;
  }

  /** Pool counters, for diagnostics and metrics. */
  poolStats(): SpanPoolStats {
    return this.pool.stats();
  }

  forceFlush(): Promise<void> {
    return this.processor === null ? Promise.resolve() : this.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.processor === null ? Promise.resolve() : this.processor.shutdown();
  }

  /** @internal SpanSink: a recording span ended. */
  ended(record: SpanRecord): void {
    record.state = ENDED;
    const hook = this.onSpanEnd;
    if (hook !== null && isMeteredKind(record.kind)) {
      try {
        hook(record.name, record.kind, record.statusCode, record.endTime - record.startTime);
      } catch {
        // A metrics hook must never break the request that ends the span.
      }
    }
    const processor = this.processor;
    if (processor === null) {
      record.release();
      return;
    }
    try {
      processor.onEnd(record);
    } catch (err) {
      if (!this.processorWarned) {
        this.processorWarned = true;
        process.emitWarning(`span processor onEnd threw: ${String(err)}`, { code: 'NTC_SPAN_PROCESSOR' });
      }
    }
  }

  /** @internal SpanSink: a method was called on a handle whose record was recycled. */
  staleUse(method: string): void {
    if (!this.debug || this.staleWarned) return;
    this.staleWarned = true;
    process.emitWarning(
      `span.${method}() was called on a span that ended and whose record was reused; the call was ignored. ` +
        'Keep span handles only until end(). (Reported once.)',
      { code: 'NTC_STALE_SPAN' },
    );
  }
}
