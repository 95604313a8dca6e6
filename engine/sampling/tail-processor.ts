// The processor in front of the export pipeline when the sampler is a TailSampler (the tracer
// puts it there). Spans of a buffered local trace are held as pooled records until the local
// root ends; then the trace is kept whole (every record handed to the pipeline, the root
// marked with `sampling.rule`) or released to the pool unexported: nothing is serialized for
// an unkept trace.
//
// Keep rules at the root's end, first match: `error` (a span of the local trace had error
// status or a recorded exception, with keepErrors), `slow` (the root lasted at least
// keepSlowerThanMs for its name, or '*'). Both spend a token of maxKeptPerSecond; without one
// the trace is released and counted. Ratio and parent keeps were made at start (head decision):
// their spans pass straight through, and only the local root gets its `sampling.rule`.
//
// Spans that end after their local root follow the decision: a kept trace stays in a small
// decision cache (KEPT_CACHE traces, KEPT_TTL_MS) so late spans are exported too; a released
// trace is forgotten at once, and a late span of it (unknown to the map) is released.

import type { TraceContext } from '../propagation/trace-context.js';
import { SpanStatusCode, type SpanData } from '../spans/span-data.js';
import type { SpanProcessor } from '../spans/span-processor.js';
import type { SpanRecord } from '../spans/span-record.js';
import { KEPT, LocalTrace, OPEN } from './local-trace.js';
import type { TailSampler } from './tail-sampler.js';

/** Kept local traces remembered for their late spans. */
const KEPT_CACHE = 1024;
/** How long (span clock ms after the root's end) a kept trace takes late spans. */
const KEPT_TTL_MS = 30_000;

function isLocalRoot(record: SpanRecord): boolean {
  return record.parentSpanId === '' || record.parentIsRemote;
}

function failed(record: SpanRecord): boolean {
  if (record.statusCode === SpanStatusCode.ERROR) return true;
  const events = record.events;
  for (let i = 0; i < record.eventCount; i++) if (events[i]!.name === 'exception') return true;
  return false;
}

const releasing: SpanProcessor = {
  onEnd: (span) => span.release(),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

export class TailSamplingProcessor implements SpanProcessor {
  private readonly sampler: TailSampler;
  private readonly next: SpanProcessor;
  private readonly free: LocalTrace[];
  private readonly maxFree: number;
  /** Ring of kept traces, oldest at `keptHead`. */
  private readonly kept: Array<LocalTrace | null>;
  private keptHead: number;
  private keptSize: number;

  constructor(sampler: TailSampler, next: SpanProcessor | null) {
    this.sampler = sampler;
    this.next = next ?? releasing;
    this.free = [];
    this.maxFree = sampler.options.maxBufferedTraces;
    this.kept = new Array<LocalTrace | null>(KEPT_CACHE).fill(null);
    this.keptHead = 0;
    this.keptSize = 0;
  }

  /** A recording span started (called by the tracer right after its record is filled). */
  onStart(record: SpanRecord, parent: TraceContext | null): void {
    if ((record.traceFlags & 1) !== 0) return;
    const owner = this.sampler.owner;
    let trace: LocalTrace | undefined;
    if (parent === null || parent.isRemote) {
      trace = this.free.pop() ?? new LocalTrace();
      trace.open();
      this.sampler.open++;
    } else {
      trace = owner.get(parent);
      if (trace === undefined) return;
    }
    const handle = record.span!;
    owner.set(handle, trace);
    trace.addHandle(handle);
  }

  onEnd(span: SpanData): void {
    const record = span as SpanRecord;
    const sampler = this.sampler;
    if ((record.traceFlags & 1) !== 0) {
      if (isLocalRoot(record)) {
        const parent = sampler.parentBased && record.parentIsRemote;
        if (parent) sampler.keptParent++;
        else sampler.keptRatio++;
        record.setAttribute('sampling.rule', parent ? 'parent' : 'ratio');
      }
      this.next.onEnd(record);
      return;
    }
    const trace = sampler.owner.get(record.span!);
    if (trace === undefined) {
      sampler.lateSpansReleased++;
      record.release();
      return;
    }
    if (trace.state === KEPT) {
      if (record.endTime - trace.keptAt > KEPT_TTL_MS) {
        sampler.lateSpansReleased++;
        record.release();
        return;
      }
      sampler.lateSpansKept++;
      record.traceFlags |= 1;
      this.next.onEnd(record);
      return;
    }
    if (!trace.error && failed(record)) trace.error = true;
    trace.addRecord(record);
    if (trace.state === OPEN && isLocalRoot(record)) this.decide(trace, record);
  }

  private decide(trace: LocalTrace, root: SpanRecord): void {
    const sampler = this.sampler;
    const o = sampler.options;
    sampler.open--;
    let rule = '';
    let limited = false;
    if (trace.error && o.keepErrors) {
      if (sampler.bucket.take()) rule = 'error';
      else {
        limited = true;
        sampler.droppedErrorByLimit++;
      }
    } else {
      const byName = o.slowByName;
      const threshold = byName === null ? o.slowDefaultMs : (byName.get(root.name) ?? o.slowDefaultMs);
      if (root.endTime - root.startTime >= threshold) {
        if (sampler.bucket.take()) rule = 'slow';
        else {
          limited = true;
          sampler.droppedSlowByLimit++;
        }
      }
    }
    const records = trace.records;
    const n = trace.recordCount;
    if (rule === '') {
      if (!limited) sampler.released++;
      for (let i = 0; i < n; i++) records[i]!.release();
      this.unmap(trace);
      trace.clear();
      if (this.free.length < this.maxFree) this.free.push(trace);
      return;
    }
    if (rule === 'error') sampler.keptError++;
    else sampler.keptSlow++;
    root.setAttribute('sampling.rule', rule);
    for (let i = 0; i < n; i++) {
      const record = records[i] as SpanRecord;
      records[i] = null as unknown as SpanData;
      record.traceFlags |= 1;
      this.next.onEnd(record);
    }
    trace.recordCount = 0;
    trace.state = KEPT;
    trace.keptAt = root.endTime;
    this.remember(trace);
  }

  /** Puts a kept trace in the decision cache, evicting the oldest when full or expired. */
  private remember(trace: LocalTrace): void {
    const ring = this.kept;
    while (this.keptSize > 0) {
      const oldest = ring[this.keptHead]!;
      if (this.keptSize < KEPT_CACHE && trace.keptAt - oldest.keptAt <= KEPT_TTL_MS) break;
      ring[this.keptHead] = null;
      this.keptHead = (this.keptHead + 1) % KEPT_CACHE;
      this.keptSize--;
      this.unmap(oldest);
      oldest.clear();
      if (this.free.length < this.maxFree) this.free.push(oldest);
    }
    ring[(this.keptHead + this.keptSize) % KEPT_CACHE] = trace;
    this.keptSize++;
  }

  private unmap(trace: LocalTrace): void {
    const owner = this.sampler.owner;
    const handles = trace.handles;
    for (let i = 0; i < trace.handleCount; i++) owner.delete(handles[i]!);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
