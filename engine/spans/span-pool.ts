// The pool of span records: an array used as a stack (push/pop on a packed array, no node
// objects), preallocated to `size` and growing to `maxSize`. Past the cap a record is still
// allocated, so a burst never loses spans, but it is counted and left to the GC on release.
// One release point (SpanRecord.release -> here), as reusify's README recommends; a second
// release of the same life is ignored, so a buggy exporter cannot put a record in twice.

import { ENDED, SpanRecord, type RecordOwner, type SpanSink } from './span-record.js';
import type { ResolvedSpanLimits } from './span-limits.js';

export interface SpanPoolStats {
  /** Records waiting in the pool. */
  readonly free: number;
  /** Pooled records ever created (preallocated + grown), at most maxSize. */
  readonly created: number;
  /** Records allocated because the pool was empty and at its cap. */
  readonly overflowAllocations: number;
  readonly maxSize: number;
}

export class SpanPool implements RecordOwner {
  private readonly free: SpanRecord[];
  private created: number;
  private overflow: number;
  readonly maxSize: number;
  private readonly limits: ResolvedSpanLimits;
  private readonly scopeName: string;
  private readonly sink: SpanSink;

  constructor(size: number, maxSize: number, limits: ResolvedSpanLimits, scopeName: string, sink: SpanSink) {
    this.free = [];
    this.created = 0;
    this.overflow = 0;
    this.maxSize = maxSize;
    this.limits = limits;
    this.scopeName = scopeName;
    this.sink = sink;
    for (let i = 0; i < size; i++) this.free.push(new SpanRecord(this, sink, limits, scopeName, true));
    this.created = size;
  }

  /** A FREE record. Hot path: one pop when the pool is warm. */
  acquire(): SpanRecord {
    const record = this.free.pop();
    if (record !== undefined) return record;
    if (this.created < this.maxSize) {
      this.created++;
      return new SpanRecord(this, this.sink, this.limits, this.scopeName, true);
    }
    this.overflow++;
    return new SpanRecord(this, this.sink, this.limits, this.scopeName, false);
  }

  release(record: SpanRecord): void {
    if (record.state !== ENDED) return;
    record.reset();
    if (record.pooled) this.free.push(record);
  }

  stats(): SpanPoolStats {
    return { free: this.free.length, created: this.created, overflowAllocations: this.overflow, maxSize: this.maxSize };
  }
}
