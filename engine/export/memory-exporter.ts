// In-memory exporter for tests (the Nest testing helpers read it). It copies each span into a
// plain object during serialization, so what a test reads is never a pooled record that has
// since been reused.

import type { AttributeValue, Attributes, SpanData, SpanKind, SpanStatusCode } from '../spans/span-data.js';
import { toEpochMs } from '../spans/clock.js';
import { outcome, type SendOutcome, type SpanExporter } from './span-exporter.js';

export interface FinishedSpanEvent {
  readonly name: string;
  /** Epoch milliseconds (fractional). */
  readonly time: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export interface FinishedSpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** A plain, frozen copy of an exported span. */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  /** undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly FinishedSpanEvent[];
  readonly links: readonly FinishedSpanLink[];
  readonly status: { readonly code: SpanStatusCode; readonly message: string };
  /** Epoch milliseconds (fractional). */
  readonly startTime: number;
  readonly endTime: number;
  /** endTime - startTime, ms. */
  readonly duration: number;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  readonly scopeName: string;
}

function copyValue(value: AttributeValue): AttributeValue {
  return Array.isArray(value) ? Object.freeze(value.slice()) : value;
}

function copyAttributes(attributes: Attributes | null): Readonly<Record<string, AttributeValue>> {
  const out: Record<string, AttributeValue> = {};
  if (attributes !== null) {
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value !== undefined) out[key] = copyValue(value);
    }
  }
  return Object.freeze(out);
}

/** A plain, frozen copy of a span record, safe to keep after `release()`. */
export function toFinishedSpan(span: SpanData): FinishedSpan {
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i < span.attributeCount; i++) attributes[span.attributeKeys[i]!] = copyValue(span.attributeValues[i]!);
  const events: FinishedSpanEvent[] = [];
  for (let i = 0; i < span.eventCount; i++) {
    const e = span.events[i]!;
    events.push(Object.freeze({ name: e.name, time: toEpochMs(e.time), attributes: copyAttributes(e.attributes) }));
  }
  const links: FinishedSpanLink[] = [];
  for (let i = 0; i < span.linkCount; i++) {
    const l = span.links[i]!;
    links.push(Object.freeze({ traceId: l.traceId, spanId: l.spanId, attributes: copyAttributes(l.attributes) }));
  }
  const startTime = toEpochMs(span.startTime);
  const endTime = toEpochMs(span.endTime);
  return Object.freeze({
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
    parentIsRemote: span.parentIsRemote,
    traceFlags: span.traceFlags,
    traceState: span.traceState,
    attributes: Object.freeze(attributes),
    events: Object.freeze(events),
    links: Object.freeze(links),
    status: Object.freeze({ code: span.statusCode, message: span.statusMessage }),
    startTime,
    endTime,
    duration: endTime - startTime,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    scopeName: span.scopeName,
  });
}

/** Where memory exporters put spans; share one between exporters or pipelines to read them together. */
export class InMemorySpanStore {
  private spans: FinishedSpan[] = [];

  add(spans: readonly FinishedSpan[]): void {
    for (const span of spans) this.spans.push(span);
  }

  /** A copy of the list, oldest first. */
  getFinishedSpans(): FinishedSpan[] {
    return this.spans.slice();
  }

  reset(): void {
    this.spans = [];
  }
}

export class MemorySpanExporter implements SpanExporter<readonly FinishedSpan[]> {
  readonly name = 'memory';
  readonly store: InMemorySpanStore;
  private stopped = false;

  constructor(store: InMemorySpanStore = new InMemorySpanStore()) {
    this.store = store;
  }

  serialize(spans: readonly SpanData[], count: number): readonly FinishedSpan[] {
    const out: FinishedSpan[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = toFinishedSpan(spans[i]!);
    return out;
  }

  send(payload: readonly FinishedSpan[], count: number): Promise<SendOutcome> {
    if (this.stopped) return Promise.resolve(outcome(0, 0, count, 0, new Error('memory exporter is shut down')));
    this.store.add(payload);
    return Promise.resolve(outcome(count, 0, 0, 0, null));
  }

  getFinishedSpans(): FinishedSpan[] {
    return this.store.getFinishedSpans();
  }

  reset(): void {
    this.store.reset();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}
