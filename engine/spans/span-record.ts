// The pooled span record: the data of one recording span, and the writes a live span makes to
// it. Fixed shape (every field set in the constructor, never added or deleted). Attributes live
// in two parallel flat arrays and events in reused event objects, all kept across lives so a
// warmed-up record allocates nothing for its attributes and events.

import type { TraceContext } from '../propagation/trace-context.js';
import { copyAttributes, isAttributeValue, truncateValue, type AttributeTarget } from './attributes.js';
import type { ResolvedSpanLimits } from './span-limits.js';
import {
  SpanStatusCode,
  type AttributeValue,
  type Attributes,
  type SpanData,
  type SpanEventData,
  type SpanKind,
  type SpanLinkData,
} from './span-data.js';

/** Record lifecycle. LIVE: writable. ENDED: owned by the processor until release(). FREE: in the pool. */
const FREE = 0;
export const LIVE = 1;
export const ENDED = 2;

class SpanEvent implements SpanEventData, AttributeTarget {
  name: string;
  time: number;
  attributes: Attributes | null;
  droppedAttributesCount: number;

  constructor() {
    this.name = '';
    this.time = 0;
    this.attributes = null;
    this.droppedAttributesCount = 0;
  }
}

class SpanLink implements SpanLinkData, AttributeTarget {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState: string | undefined;
  attributes: Attributes | null;
  droppedAttributesCount: number;

  constructor(traceId: string, spanId: string, traceFlags: number, traceState: string | undefined) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.traceState = traceState;
    this.attributes = null;
    this.droppedAttributesCount = 0;
  }
}

/** Where a record goes back to. */
export interface RecordOwner {
  release(record: SpanRecord): void;
}

/** What the tracer does with a record when its span ends, and with misuse of a stale handle. */
export interface SpanSink {
  ended(record: SpanRecord): void;
  staleUse(method: string): void;
}

/** What a record needs of its live span's handle (RecordingSpan): its ids, as text or bytes. */
export interface SpanIds extends TraceContext {
  writeTraceIdBytes(target: Uint8Array, offset: number): boolean;
  writeSpanIdBytes(target: Uint8Array, offset: number): boolean;
}

export class SpanRecord implements SpanData {
  /**
   * The live span's handle, whose ids it shares (built once, on first read by either). Null
   * while the record is free, so a pooled record keeps no handle alive.
   */
  span: SpanIds | null;
  parentSpanId: string;
  parentIsRemote: boolean;
  traceFlags: number;
  traceState: string | undefined;
  name: string;
  kind: SpanKind;
  startTime: number;
  endTime: number;
  statusCode: SpanStatusCode;
  statusMessage: string;
  readonly attributeKeys: string[];
  readonly attributeValues: AttributeValue[];
  attributeCount: number;
  droppedAttributesCount: number;
  readonly events: SpanEvent[];
  eventCount: number;
  droppedEventsCount: number;
  readonly links: SpanLink[];
  linkCount: number;
  droppedLinksCount: number;
  readonly scopeName: string;
  /** Bumped on every release: a handle holding an older number is stale. Kept a small integer. */
  generation: number;
  state: number;
  /** False for records allocated past the pool's cap: they are left to the GC on release. */
  readonly pooled: boolean;
  readonly limits: ResolvedSpanLimits;
  readonly sink: SpanSink;
  private readonly owner: RecordOwner;

  constructor(owner: RecordOwner, sink: SpanSink, limits: ResolvedSpanLimits, scopeName: string, pooled: boolean) {
    this.span = null;
    this.parentSpanId = '';
    this.parentIsRemote = false;
    this.traceFlags = 0;
    this.traceState = undefined;
    this.name = '';
    this.kind = 0;
    this.startTime = 0;
    this.endTime = 0;
    this.statusCode = SpanStatusCode.UNSET;
    this.statusMessage = '';
    this.attributeKeys = [];
    this.attributeValues = [];
    this.attributeCount = 0;
    this.droppedAttributesCount = 0;
    this.events = [];
    this.eventCount = 0;
    this.droppedEventsCount = 0;
    this.links = [];
    this.linkCount = 0;
    this.droppedLinksCount = 0;
    this.scopeName = scopeName;
    this.generation = 0;
    this.state = FREE;
    this.pooled = pooled;
    this.limits = limits;
    this.sink = sink;
    this.owner = owner;
  }

  get traceId(): string {
    const span = this.span;
    return span === null ? '' : span.traceId;
  }

  get spanId(): string {
    const span = this.span;
    return span === null ? '' : span.spanId;
  }

  writeTraceIdBytes(target: Uint8Array, offset: number): boolean {
    const span = this.span;
    return span !== null && span.writeTraceIdBytes(target, offset);
  }

  writeSpanIdBytes(target: Uint8Array, offset: number): boolean {
    const span = this.span;
    return span !== null && span.writeSpanIdBytes(target, offset);
  }

  /** Hands the record back to its pool (the export pipeline calls this once, after serializing). */
  release(): void {
    this.owner.release(this);
  }

  /** Hot path: one write per field, nothing allocated. */
  start(
    span: SpanIds,
    parentSpanId: string,
    parentIsRemote: boolean,
    traceFlags: number,
    traceState: string | undefined,
    name: string,
    kind: SpanKind,
    startTime: number,
  ): void {
    this.span = span;
    this.parentSpanId = parentSpanId;
    this.parentIsRemote = parentIsRemote;
    this.traceFlags = traceFlags;
    this.traceState = traceState;
    this.name = name;
    this.kind = kind;
    this.startTime = startTime;
    this.endTime = startTime;
    this.state = LIVE;
  }

  /** Drops references to user data so a pooled record keeps nothing alive, and bumps the generation. */
  reset(): void {
    const keys = this.attributeKeys;
    const values = this.attributeValues;
    for (let i = 0; i < this.attributeCount; i++) {
      keys[i] = '';
      values[i] = 0;
    }
    for (let i = 0; i < this.eventCount; i++) this.events[i]!.attributes = null;
    // Setting an array's length goes through a runtime call (5% of a span's start+end in a
    // CPU profile), so only when there were links.
    if (this.linkCount !== 0) this.links.length = 0;
    this.attributeCount = 0;
    this.droppedAttributesCount = 0;
    this.eventCount = 0;
    this.droppedEventsCount = 0;
    this.linkCount = 0;
    this.droppedLinksCount = 0;
    this.statusCode = SpanStatusCode.UNSET;
    this.statusMessage = '';
    this.traceState = undefined;
    this.name = '';
    this.span = null;
    this.parentSpanId = '';
    this.generation = (this.generation + 1) & 0x3fffffff;
    this.state = FREE;
  }

  setAttribute(key: string, value: unknown): void {
    if (typeof key !== 'string' || key.length === 0 || !isAttributeValue(value)) return;
    const limit = this.limits.attributeValueLengthLimit;
    const v = limit === Infinity ? value : truncateValue(value, limit);
    const keys = this.attributeKeys;
    const n = this.attributeCount;
    // Linear scan: spans carry tens of attributes, where a scan beats a Map and allocates nothing.
    for (let i = 0; i < n; i++) {
      if (keys[i] === key) {
        this.attributeValues[i] = v;
        return;
      }
    }
    if (n >= this.limits.attributeCountLimit) {
      this.droppedAttributesCount++;
      return;
    }
    keys[n] = key;
    this.attributeValues[n] = v;
    this.attributeCount = n + 1;
  }

  setAttributes(attributes: Attributes | undefined): void {
    if (attributes === undefined || attributes === null || typeof attributes !== 'object') return;
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.setAttribute(key, attributes[key]);
    }
  }

  addEvent(name: string, attributes: Attributes | undefined, time: number): void {
    const n = this.eventCount;
    if (n >= this.limits.eventCountLimit) {
      this.droppedEventsCount++;
      return;
    }
    let event = this.events[n];
    if (event === undefined) {
      event = new SpanEvent();
      this.events.push(event);
    }
    event.name = typeof name === 'string' ? name : String(name);
    event.time = time;
    copyAttributes(event, attributes, this.limits.attributePerEventCountLimit, this.limits.attributeValueLengthLimit);
    this.eventCount = n + 1;
  }

  addLink(traceId: string, spanId: string, traceFlags: number, traceState: string | undefined, attributes: Attributes | undefined): void {
    if (this.linkCount >= this.limits.linkCountLimit) {
      this.droppedLinksCount++;
      return;
    }
    const link = new SpanLink(traceId, spanId, traceFlags, traceState);
    copyAttributes(link, attributes, this.limits.attributePerLinkCountLimit, this.limits.attributeValueLengthLimit);
    this.links.push(link);
    this.linkCount++;
  }

  /** OpenTelemetry's rules: UNSET is ignored, OK is final, the message is kept only with ERROR. */
  setStatus(code: unknown, message: unknown): void {
    if (this.statusCode === SpanStatusCode.OK) return;
    if (code === SpanStatusCode.OK) {
      this.statusCode = SpanStatusCode.OK;
      this.statusMessage = '';
    } else if (code === SpanStatusCode.ERROR) {
      this.statusCode = SpanStatusCode.ERROR;
      this.statusMessage = typeof message === 'string' ? message : '';
    }
  }
}
