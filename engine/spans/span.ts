// The span handle users hold, and the options that start one. Every object implementing Span
// here is also its own TraceContext (spanContext() returns the span itself), so a span carries
// its ids with no second object to allocate.

import type { TraceContext } from '../propagation/trace-context.js';
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode } from './span-data.js';

/** Epoch milliseconds or a Date; a number below 1e12 is read as a `performance.now()` time (see time-input.ts). */
export type TimeInput = number | Date;

export interface SpanStatus {
  code: SpanStatusCode;
  message?: string;
}

export interface Span {
  setAttribute(key: string, value: AttributeValue): this;
  setAttributes(attributes: Attributes): this;
  addEvent(name: string, attributes?: Attributes, time?: TimeInput): this;
  /** Adds an `exception` event (exception.type/.message/.stacktrace). Does not set the status. */
  recordException(err: unknown, time?: TimeInput): this;
  /** OTel rules: UNSET is ignored, OK is final, the message is kept only with ERROR. */
  setStatus(status: SpanStatus): this;
  updateName(name: string): this;
  /** Ends the span; a second call, or any call on a stale handle, does nothing. */
  end(endTime?: TimeInput): void;
  isRecording(): boolean;
  spanContext(): TraceContext;
}

export interface SpanLinkInput {
  context: TraceContext;
  attributes?: Attributes;
}

/** Span kinds by name, as users write them in options. */
export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface StartSpanOptions {
  /** Default SpanKind.INTERNAL. `SpanKind.SERVER` or its name (`'server'`, `'client'`, `'producer'`, `'consumer'`, `'internal'`). */
  kind?: SpanKind | SpanKindName;
  /** Start attributes: samplers see them, and they are recorded on the span. */
  attributes?: Attributes;
  links?: SpanLinkInput[];
  startTime?: TimeInput;
  /** Start a new trace even when a span is active. */
  root?: boolean;
  /** Explicit parent (e.g. extracted from headers) instead of the active span; null = new root. */
  parent?: TraceContext | null;
}
