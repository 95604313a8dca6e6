// The handle of a recording span. It is its own TraceContext (the ids live here, so
// spanContext() and propagation keep working after the record is recycled) and points at a
// pooled SpanRecord together with the record's generation at start. Every write first checks
// that generation: once the record has been released and reused for another span, this handle
// is stale and does nothing, so a span kept past end() can never write into another request's.

import { TraceContext } from '../propagation/trace-context.js';
import { exceptionAttributes } from './exception.js';
import { traceContextJSON } from './non-recording-span.js';
import type { Span, SpanStatus, TimeInput } from './span.js';
import type { AttributeValue, Attributes } from './span-data.js';
import { LIVE, type SpanRecord } from './span-record.js';
import { toClockTime } from './time-input.js';

export class RecordingSpan extends TraceContext implements Span {
  private readonly record: SpanRecord;
  private readonly generation: number;

  constructor(
    traceId: string,
    spanId: string,
    traceFlags: number,
    traceState: string | undefined,
    parentSpanId: string | undefined,
    record: SpanRecord,
  ) {
    super(traceId, spanId, traceFlags, traceState, false, parentSpanId);
    this.record = record;
    this.generation = record.generation;
  }

  /** The record while this span is live, else null (ended, or stale: reported in debug mode). */
  private live(method: string): SpanRecord | null {
    const record = this.record;
    if (record.generation !== this.generation) {
      record.sink.staleUse(method);
      return null;
    }
    return record.state === LIVE ? record : null;
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.live('setAttribute')?.setAttribute(key, value);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    this.live('setAttributes')?.setAttributes(attributes);
    return this;
  }

  addEvent(name: string, attributes?: Attributes, time?: TimeInput): this {
    const record = this.live('addEvent');
    if (record !== null) record.addEvent(name, attributes, toClockTime(time));
    return this;
  }

  recordException(err: unknown, time?: TimeInput): this {
    const record = this.live('recordException');
    if (record !== null) record.addEvent('exception', exceptionAttributes(err), toClockTime(time));
    return this;
  }

  setStatus(status: SpanStatus): this {
    const record = this.live('setStatus');
    if (record !== null && typeof status === 'object' && status !== null) record.setStatus(status.code, status.message);
    return this;
  }

  updateName(name: string): this {
    const record = this.live('updateName');
    if (record !== null && typeof name === 'string') record.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    const record = this.live('end');
    if (record === null) return;
    const t = toClockTime(endTime);
    // OTel clamps an end before the start to the start rather than export a negative duration.
    record.endTime = t < record.startTime ? record.startTime : t;
    record.sink.ended(record);
  }

  isRecording(): boolean {
    const record = this.record;
    return record.generation === this.generation && record.state === LIVE;
  }

  spanContext(): TraceContext {
    return this;
  }

  toJSON(): object {
    return traceContextJSON(this);
  }
}
