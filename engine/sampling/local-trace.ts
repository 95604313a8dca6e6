// One local trace of the tail samplers: the spans this process records under one local root
// (a server span, a message handler's span, a job's span), held until the root ends and the
// trace is kept or released. Pooled and reused, with its arrays, so an unkept request
// allocates no buffer of its own once the pool is warm.

import type { SpanData } from '../spans/span-data.js';

/** Recording; the root has not ended. */
export const OPEN = 0;
/** Kept: spans that end from now on are exported as they end. */
export const KEPT = 1;
/** Back in the pool. */
const FREE = 2;

export class LocalTrace {
  state: number;
  /** Ended spans waiting for the decision. */
  readonly records: SpanData[];
  recordCount: number;
  /** Span handles mapped to this trace (every span started in it), to unmap them at the end. */
  readonly handles: object[];
  handleCount: number;
  /** A span ended with error status or a recorded exception. */
  error: boolean;
  /** Monotonic ms at which a kept trace's decision was made (its decision-cache age). */
  keptAt: number;

  constructor() {
    this.state = FREE;
    this.records = [];
    this.recordCount = 0;
    this.handles = [];
    this.handleCount = 0;
    this.error = false;
    this.keptAt = 0;
  }

  open(): void {
    this.state = OPEN;
    this.recordCount = 0;
    this.handleCount = 0;
    this.error = false;
    this.keptAt = 0;
  }

  addHandle(handle: object): void {
    this.handles[this.handleCount++] = handle;
  }

  addRecord(record: SpanData): void {
    this.records[this.recordCount++] = record;
  }

  /** Drops the references it held (records and handles belong to others from now on). */
  clear(): void {
    const records = this.records;
    for (let i = 0; i < this.recordCount; i++) records[i] = null as unknown as SpanData;
    const handles = this.handles;
    for (let i = 0; i < this.handleCount; i++) handles[i] = null as unknown as object;
    this.recordCount = 0;
    this.handleCount = 0;
    this.state = FREE;
  }
}
