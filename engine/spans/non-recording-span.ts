// The span of an unsampled (or untraced) scope: its own TraceContext carrying the ids so
// propagation still works, recording nothing. It is the only object an unsampled span costs,
// and unsampled children of it in the same process get this same object back (see
// Tracer.startSpan), so an unsampled request allocates one of these, not one per span.
//
// When the tracer has an onSpanEnd hook (request metrics), SERVER/CLIENT/CONSUMER spans are
// "metered": they keep name, kind, status and start time so the hook sees every request,
// sampled or not. A metered span hands its children a separate shared view, so a child's end()
// cannot end the metered span early.

import { TraceContext } from '../propagation/trace-context.js';
import { now } from './clock.js';
import type { Span, SpanStatus, TimeInput } from './span.js';
import { SpanStatusCode, type AttributeValue, type Attributes, type SpanKind } from './span-data.js';
import type { SpanEndHook } from './span-processor.js';
import { toClockTime } from './time-input.js';

export class NonRecordingSpan extends TraceContext implements Span {
  /** Non-null only for a metered span. */
  private readonly hook: SpanEndHook | null;
  private name: string;
  private readonly kind: SpanKind;
  private readonly startTime: number;
  private statusCode: SpanStatusCode;
  private ended: boolean;
  private view: NonRecordingSpan | null;

  constructor(
    traceId: string,
    spanId: string,
    traceFlags: number,
    traceState: string | undefined,
    isRemote: boolean,
    parentSpanId: string | undefined,
    hook: SpanEndHook | null,
    name: string,
    kind: SpanKind,
    startTime: number,
  ) {
    super(traceId, spanId, traceFlags, traceState, isRemote, parentSpanId);
    this.hook = hook;
    this.name = name;
    this.kind = kind;
    this.startTime = startTime;
    this.statusCode = SpanStatusCode.UNSET;
    this.ended = false;
    this.view = null;
  }

  /** The object unsampled children in this process share: this span, or (when metered) one lazily made view of it. */
  shared(): NonRecordingSpan {
    if (this.hook === null) return this;
    let view = this.view;
    if (view === null) {
      view = new NonRecordingSpan(this.traceId, this.spanId, this.traceFlags, this.traceStateForChild(), this.isRemote, this.parentSpanId, null, '', 0, 0);
      this.view = view;
    }
    return view;
  }

  setAttribute(_key: string, _value: AttributeValue): this {
    return this;
  }

  setAttributes(_attributes: Attributes): this {
    return this;
  }

  addEvent(_name: string, _attributes?: Attributes, _time?: TimeInput): this {
    return this;
  }

  recordException(_err: unknown, _time?: TimeInput): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.hook !== null && !this.ended && typeof status === 'object' && status !== null && this.statusCode !== SpanStatusCode.OK) {
      if (status.code === SpanStatusCode.OK || status.code === SpanStatusCode.ERROR) this.statusCode = status.code;
    }
    return this;
  }

  updateName(name: string): this {
    if (this.hook !== null && !this.ended && typeof name === 'string') this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    const hook = this.hook;
    if (hook === null || this.ended) return;
    this.ended = true;
    const t = endTime === undefined ? now() : toClockTime(endTime);
    try {
      hook(this.name, this.kind, this.statusCode, t > this.startTime ? t - this.startTime : 0);
    } catch {
      // A metrics hook must never break the request that ends the span.
    }
  }

  isRecording(): boolean {
    return false;
  }

  spanContext(): TraceContext {
    return this;
  }

  toJSON(): object {
    return traceContextJSON(this);
  }
}

/** The ids of a span as plain data: JSON of a span must not walk into its pooled record or hook. */
export function traceContextJSON(ctx: TraceContext): object {
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: ctx.parentSpanId,
    traceFlags: ctx.traceFlags,
    traceState: ctx.traceState,
    isRemote: ctx.isRemote,
  };
}
