// A processor that keeps copies of ended spans (records are pooled, so tests must copy what
// they read before releasing), and a tracer factory with it installed.
import type { SpanData } from '../../../engine/index.js';
import { Tracer, type TracerOptions } from '../../../engine/index.js';

export interface SpanCopy {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  parentIsRemote: boolean;
  traceFlags: number;
  traceState: string | undefined;
  name: string;
  kind: number;
  startTime: number;
  endTime: number;
  statusCode: number;
  statusMessage: string;
  attributes: Record<string, unknown>;
  droppedAttributesCount: number;
  events: { name: string; time: number; attributes: Record<string, unknown> | null; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> | null; droppedAttributesCount: number }[];
  droppedLinksCount: number;
  scopeName: string;
}

export function copySpan(s: SpanData): SpanCopy {
  const attributes: Record<string, unknown> = {};
  for (let i = 0; i < s.attributeCount; i++) attributes[s.attributeKeys[i]!] = s.attributeValues[i];
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    parentIsRemote: s.parentIsRemote,
    traceFlags: s.traceFlags,
    traceState: s.traceState,
    name: s.name,
    kind: s.kind,
    startTime: s.startTime,
    endTime: s.endTime,
    statusCode: s.statusCode,
    statusMessage: s.statusMessage,
    attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.slice(0, s.eventCount).map((e) => ({ name: e.name, time: e.time, attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.slice(0, s.linkCount).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes, droppedAttributesCount: l.droppedAttributesCount })),
    droppedLinksCount: s.droppedLinksCount,
    scopeName: s.scopeName,
  };
}

/** Copies each ended span, then releases it unless `hold` is set (then `held` keeps the records). */
export class CollectingProcessor {
  readonly spans: SpanCopy[] = [];
  readonly held: SpanData[] = [];
  hold = false;

  onEnd(span: SpanData): void {
    this.spans.push(copySpan(span));
    if (this.hold) this.held.push(span);
    else span.release();
  }

  releaseHeld(): void {
    for (const s of this.held.splice(0)) s.release();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function collectingTracer(options: TracerOptions = {}): { tracer: Tracer; processor: CollectingProcessor } {
  const processor = new CollectingProcessor();
  const tracer = new Tracer({ sampler: { type: 'always_on' }, processor, ...options });
  return { tracer, processor };
}
