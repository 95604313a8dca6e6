// One of this engine's spans as @opentelemetry/api code sees it (the other direction of
// otel-span.ts). The span itself stays a pooled span of the engine's tracer: exported by its
// exporters, counted by its metrics. The adapter only gives it the api's shape: a span context
// whose traceState is an api TraceState object, and addLink/addLinks.

import type { TraceContext } from '../propagation/trace-context.js';
import type { Span, SpanStatus } from '../spans/span.js';
import type { Attributes } from '../spans/span-data.js';
import type { OtelApi, OtelAttributes, OtelSpanContext } from './otel-api.js';
import { toOtelSpanContext } from './otel-context.js';

export class ApiSpan {
  readonly inner: Span;
  private readonly api: OtelApi;
  private context: OtelSpanContext | null;

  constructor(api: OtelApi, inner: Span) {
    this.api = api;
    this.inner = inner;
    this.context = null;
  }

  spanContext(): OtelSpanContext {
    if (this.context === null) this.context = toOtelSpanContext(this.api, this.inner.spanContext());
    return this.context;
  }

  setAttribute(key: string, value: unknown): this {
    this.inner.setAttribute(key, value as never);
    return this;
  }

  setAttributes(attributes: OtelAttributes): this {
    this.inner.setAttributes(attributes as Attributes);
    return this;
  }

  addEvent(name: string, attributesOrTime?: unknown, time?: number | Date): this {
    // api overload: addEvent(name, startTime)
    if (typeof attributesOrTime === 'number' || attributesOrTime instanceof Date) this.inner.addEvent(name, undefined, attributesOrTime);
    else this.inner.addEvent(name, attributesOrTime as Attributes | undefined, time);
    return this;
  }

  /** Links after start are not kept: the engine's span takes links when it starts. */
  addLink(): this {
    return this;
  }

  addLinks(): this {
    return this;
  }

  setStatus(status: { code: number; message?: string }): this {
    this.inner.setStatus(status as SpanStatus);
    return this;
  }

  updateName(name: string): this {
    this.inner.updateName(name);
    return this;
  }

  end(endTime?: number | Date): void {
    this.inner.end(endTime);
  }

  isRecording(): boolean {
    return this.inner.isRecording();
  }

  recordException(exception: unknown, time?: number | Date): void {
    this.inner.recordException(exception, time);
  }

  /** The engine's TraceContext of this span (the span itself). */
  traceContext(): TraceContext {
    return this.inner.spanContext();
  }
}
