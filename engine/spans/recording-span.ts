// The handle of a recording span. It is its own TraceContext (the ids live here, so
// spanContext() and propagation keep working after the record is recycled) and points at a
// pooled SpanRecord together with the record's generation at start. Every write first checks
// that generation: once the record has been released and reused for another span, this handle
// is stale and does nothing, so a span kept past end() can never write into another request's.
//
// Ids are kept as (random block, offset) and become hex on first read of traceId/spanId (then
// cached): a sampled span that nobody propagates or logs, exported by a binary exporter, never
// builds them. Measured in one CPU-time run (bench/micro/spans.bench.ts, BENCH_CPU=1, Node 20,
// loaded 2-core machine): sampled root start+end 263 ns / 246 B with eager batch-hex ids,
// 220 ns / 150 B with these (4 KiB blocks; 200 ns with 16 KiB, see span-ids.ts).

import { TraceContext } from '../propagation/trace-context.js';
import { exceptionAttributes } from './exception.js';
import { traceContextJSON } from './non-recording-span.js';
import type { Span, SpanStatus, TimeInput } from './span.js';
import type { AttributeValue, Attributes } from './span-data.js';
import { hex16, hex8 } from './span-ids.js';
import { LIVE, type SpanIds, type SpanRecord } from './span-record.js';
import { toClockTime } from './time-input.js';

export class RecordingSpan extends TraceContext implements Span, SpanIds {
  /** The trace id text: the parent's for a child, '' for a root until first read. */
  private traceIdText: string;
  /** '' until first read. */
  private spanIdText: string;
  /** Random block holding the span id at `idAt` (and a root's trace id at `idAt - 16`). */
  private readonly idBytes: Uint8Array;
  private readonly idAt: number;
  private readonly record: SpanRecord;
  private readonly generation: number;

  /**
   * `traceId`: the parent's trace id, or '' for a root whose trace id is the 16 bytes before
   * the span id in `idBytes`.
   */
  constructor(
    traceId: string,
    idBytes: Uint8Array,
    idAt: number,
    traceFlags: number,
    traceState: string | undefined,
    parentSpanId: string | undefined,
    record: SpanRecord,
  ) {
    super('', '', traceFlags, traceState, false, parentSpanId);
    this.traceIdText = traceId;
    this.spanIdText = '';
    this.idBytes = idBytes;
    this.idAt = idAt;
    this.record = record;
    this.generation = record.generation;
  }

  /** @internal the lazily built trace id (installed as the `traceId` accessor below). */
  readTraceId(): string {
    let id = this.traceIdText;
    if (id === '') {
      id = hex16(this.idBytes, this.idAt - 16);
      this.traceIdText = id;
    }
    return id;
  }

  /** @internal the lazily built span id (installed as the `spanId` accessor below). */
  readSpanId(): string {
    let id = this.spanIdText;
    if (id === '') {
      id = hex8(this.idBytes, this.idAt);
      this.spanIdText = id;
    }
    return id;
  }

  /**
   * @internal raw trace id bytes for a binary exporter. Only a root holds them, and once its
   * text is built this span cannot tell itself from a child (no field spent on it): false then.
   */
  writeTraceIdBytes(target: Uint8Array, offset: number): boolean {
    if (this.traceIdText !== '') return false;
    copyBytes(this.idBytes, this.idAt - 16, target, offset, 16);
    return true;
  }

  /** @internal raw span id bytes for a binary exporter (always kept, text built or not). */
  writeSpanIdBytes(target: Uint8Array, offset: number): boolean {
    copyBytes(this.idBytes, this.idAt, target, offset, 8);
    return true;
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

/** A counted byte loop: for 8 or 16 bytes it beats `set(subarray())`, which allocates a view. */
function copyBytes(from: Uint8Array, at: number, to: Uint8Array, offset: number, n: number): void {
  for (let i = 0; i < n; i++) to[offset + i] = from[at + i]!;
}

// TraceContext declares traceId/spanId as plain properties (`declare`, so its constructor's
// assignment is a set, which lands in these setters and is ignored). Accessors are installed
// here rather than in the class body because TypeScript rejects an accessor overriding a
// property (TS2611) even though the runtime behaviour is exactly what is wanted.
//
// `isRemote` (always false for a span started here) and `traceStateChecked` (always true: the
// tracer hands a recording span a validated tracestate) are prototype accessors too, so the
// handle has no own field for either: 112 -> 96 B per sampled span (%DebugPrint instance
// size, Node 20 and 24; Node has no pointer compression, 8 B a field).
function constant(value: boolean, enumerable: boolean): PropertyDescriptor {
  return { get: () => value, set(): void {}, enumerable, configurable: false };
}

Object.defineProperties(RecordingSpan.prototype, {
  isRemote: constant(false, true),
  traceStateChecked: constant(true, false),
  traceId: {
    get(this: RecordingSpan): string {
      return this.readTraceId();
    },
    set(): void {},
    enumerable: true,
    configurable: false,
  },
  spanId: {
    get(this: RecordingSpan): string {
      return this.readSpanId();
    },
    set(): void {},
    enumerable: true,
    configurable: false,
  },
});
