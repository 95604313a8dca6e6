// In-memory exporter for tests (the Nest testing helpers read it). It copies each span into a
// plain object during serialization, so what a test reads is never a pooled record that has
// since been reused.

import type { AttributeValue, Attributes, SpanData, SpanKind, SpanStatusCode } from '../spans/span-data.js';
import { toEpochMs } from '../spans/clock.js';
import { invalidArgument } from '../errors.js';
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

/** Spans a store keeps unless told otherwise: a long-running app must not grow without limit. */
export const DEFAULT_MAX_SPANS = 10_000;

/**
 * Where memory exporters put spans; share one between exporters or pipelines to read them
 * together. Holds the newest `maxSpans`: older ones are dropped and counted (`dropped`).
 */
export class InMemorySpanStore {
  /** Kept spans are `spans[start ..]`; the array is compacted once `start` reaches maxSpans, so it holds at most 2 × maxSpans. */
  private spans: FinishedSpan[];
  private start: number;
  private maxSpans: number;
  /** Spans dropped (oldest first) to stay within maxSpans, since the last reset(). */
  dropped: number;

  constructor(maxSpans: number = DEFAULT_MAX_SPANS) {
    this.spans = [];
    this.start = 0;
    this.maxSpans = DEFAULT_MAX_SPANS;
    this.dropped = 0;
    this.setMaxSpans(maxSpans);
  }

  /** Changes the bound; dropping the oldest spans at once when more are held. */
  setMaxSpans(maxSpans: number): void {
    if (!Number.isInteger(maxSpans) || maxSpans < 1) throw invalidArgument('maxSpans', maxSpans, 'an integer >= 1');
    this.maxSpans = maxSpans;
    this.trim();
  }

  add(spans: readonly FinishedSpan[]): void {
    for (const span of spans) this.spans.push(span);
    this.trim();
  }

  private trim(): void {
    const excess = this.spans.length - this.start - this.maxSpans;
    if (excess > 0) {
      this.start += excess;
      this.dropped += excess;
    }
    if (this.start >= this.maxSpans) {
      this.spans = this.spans.slice(this.start);
      this.start = 0;
    }
  }

  /** How many spans are held. */
  get size(): number {
    return this.spans.length - this.start;
  }

  /** A copy of the list, oldest first. */
  getFinishedSpans(): FinishedSpan[] {
    return this.spans.slice(this.start);
  }

  /** The newest `count` spans (or all, when fewer are held), oldest first: reads only those. */
  newest(count: number): FinishedSpan[] {
    return this.spans.slice(Math.max(this.start, this.spans.length - Math.max(0, Math.floor(count))));
  }

  reset(): void {
    this.spans = [];
    this.start = 0;
    this.dropped = 0;
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
