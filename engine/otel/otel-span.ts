// A span of the application's OpenTelemetry SDK behind this library's Span interface. Like the
// engine's own spans it is its own TraceContext (ids, flags, tracestate read once from the
// OTel span context), so getTraceContext(), toW3CFormat() and the propagators work unchanged.
//
// A borrowed span is one this library did not start (the server span of
// @opentelemetry/instrumentation-http, or an instrumentation span found active): attributes,
// name and status go to it, but end() is left to its owner.

import { TraceContext } from '../propagation/trace-context.js';
import { toEpochMs } from '../spans/clock.js';
import type { Span, SpanStatus, TimeInput } from '../spans/span.js';
import type { AttributeValue, Attributes } from '../spans/span-data.js';
import { toClockTime } from '../spans/time-input.js';
import type { OtelApi, OtelAttributeValue, OtelAttributes, OtelContext, OtelSpan, OtelSpanContext } from './otel-api.js';

/**
 * OTel JS reads a number below performance.timeOrigin as uptime and anything else as epoch
 * ms; ours splits at 1e12 (engine/spans/time-input.ts). Handing OTel epoch ms always keeps
 * the two readings equal.
 */
export function toOtelTime(time: TimeInput | undefined): number | Date | undefined {
  if (time === undefined || time instanceof Date) return time;
  return toEpochMs(toClockTime(time));
}

/** An OTel exception: an Error or a string as is, anything else as its string form. */
function toException(err: unknown): unknown {
  return typeof err === 'string' || (typeof err === 'object' && err !== null) ? err : String(err);
}

export class OtelBridgeSpan extends TraceContext implements Span {
  readonly otelSpan: OtelSpan;
  /** False for a borrowed span: end() does not end it. */
  readonly owned: boolean;
  private readonly api: OtelApi;
  private readonly parentContext: OtelContext;
  /** The OTel context with this span active; built on first activation (setSpan copies a Map). */
  private activeValue: OtelContext | null;

  constructor(
    api: OtelApi,
    otelSpan: OtelSpan,
    spanContext: OtelSpanContext,
    parentContext: OtelContext,
    activeContext: OtelContext | null,
    owned: boolean,
    parentSpanId: string | undefined,
  ) {
    const state = spanContext.traceState;
    super(
      spanContext.traceId,
      spanContext.spanId,
      spanContext.traceFlags,
      state === undefined ? undefined : state.serialize() || undefined,
      spanContext.isRemote === true,
      parentSpanId,
    );
    this.otelSpan = otelSpan;
    this.owned = owned;
    this.api = api;
    this.parentContext = parentContext;
    this.activeValue = activeContext;
  }

  /** The OTel context in which this span is the active span. */
  activeContext(): OtelContext {
    if (this.activeValue === null) this.activeValue = this.api.trace.setSpan(this.parentContext, this.otelSpan);
    return this.activeValue;
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.otelSpan.setAttribute(key, value as OtelAttributeValue);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    this.otelSpan.setAttributes(attributes as OtelAttributes);
    return this;
  }

  addEvent(name: string, attributes?: Attributes, time?: TimeInput): this {
    this.otelSpan.addEvent(name, attributes as OtelAttributes | undefined, toOtelTime(time));
    return this;
  }

  recordException(err: unknown, time?: TimeInput): this {
    this.otelSpan.recordException(toException(err), toOtelTime(time));
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (typeof status === 'object' && status !== null) this.otelSpan.setStatus({ code: status.code, message: status.message });
    return this;
  }

  updateName(name: string): this {
    this.otelSpan.updateName(name);
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.owned) this.otelSpan.end(toOtelTime(endTime));
  }

  isRecording(): boolean {
    return this.otelSpan.isRecording();
  }

  spanContext(): TraceContext {
    return this;
  }
}

/** A context extracted by OpenTelemetry's propagator; keeps the whole OTel context (baggage too). */
export class OtelRemoteParent extends TraceContext {
  readonly otelContext: OtelContext;

  constructor(spanContext: OtelSpanContext, otelContext: OtelContext) {
    const state = spanContext.traceState;
    super(spanContext.traceId, spanContext.spanId, spanContext.traceFlags, state === undefined ? undefined : state.serialize() || undefined, true, undefined);
    this.otelContext = otelContext;
  }
}
