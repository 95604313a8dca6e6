// An OpenTelemetry span of ours that also reports its end to the RED metrics hook (the
// tracer's onSpanEnd), as the native tracer's SERVER/CLIENT/CONSUMER spans do, sampled or not.
// The SDK's span cannot be asked for its name, status or duration once sampled out (a
// NonRecordingSpan keeps none of them), so the few fields the hook needs are kept here.

import { now } from '../spans/clock.js';
import type { SpanEndHook } from '../spans/span-processor.js';
import type { SpanStatus, TimeInput } from '../spans/span.js';
import { SpanStatusCode } from '../spans/span-data.js';
import { toClockTime } from '../spans/time-input.js';
import type { OtelApi, OtelContext, OtelSpan, OtelSpanContext } from './otel-api.js';
import { OtelBridgeSpan } from './otel-span.js';

export class MeteredOtelSpan extends OtelBridgeSpan {
  private readonly hook: SpanEndHook;
  private name: string;
  private readonly kind: number;
  private statusCode: number;
  private readonly startTime: number;
  private ended: boolean;

  constructor(
    api: OtelApi,
    otelSpan: OtelSpan,
    parentContext: OtelContext,
    parentSpanId: string | undefined,
    hook: SpanEndHook,
    name: string,
    kind: number,
    startTime: TimeInput | undefined,
  ) {
    const spanContext: OtelSpanContext = otelSpan.spanContext();
    super(api, otelSpan, spanContext, parentContext, null, true, parentSpanId);
    this.hook = hook;
    this.name = name;
    this.kind = kind;
    this.statusCode = SpanStatusCode.UNSET;
    this.startTime = startTime === undefined ? now() : toClockTime(startTime);
    this.ended = false;
  }

  override setStatus(status: SpanStatus): this {
    super.setStatus(status);
    // OpenTelemetry's rule (as the SDK span and the native spans apply it): OK is final.
    if (!this.ended && typeof status === 'object' && status !== null && this.statusCode !== SpanStatusCode.OK) {
      if (status.code === SpanStatusCode.OK || status.code === SpanStatusCode.ERROR) this.statusCode = status.code;
    }
    return this;
  }

  override updateName(name: string): this {
    super.updateName(name);
    if (!this.ended && typeof name === 'string') this.name = name;
    return this;
  }

  override end(endTime?: TimeInput): void {
    super.end(endTime);
    if (this.ended) return;
    this.ended = true;
    const t = endTime === undefined ? now() : toClockTime(endTime);
    try {
      this.hook(this.name, this.kind, this.statusCode, t > this.startTime ? t - this.startTime : 0);
    } catch {
      // A metrics hook must never break the request that ends the span.
    }
  }
}
