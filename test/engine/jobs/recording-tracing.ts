// Real tracing for the carrier tests: the engine's Tracer (always_on unless told otherwise) and
// W3C propagator, installed with configureTraceCarriers, with a span processor that keeps a
// plain copy of every ended span (the records themselves are pooled and reused).

import {
  Tracer,
  configureTraceCarriers,
  w3cPropagator,
  type AttributeValue,
  type SpanData,
  type SpanKind,
} from '../../../engine/index.js';

export interface RecordedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root. */
  readonly parentSpanId: string;
  readonly parentIsRemote: boolean;
  readonly sampled: boolean;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly string[];
  readonly links: readonly { traceId: string; spanId: string }[];
  readonly statusCode: number;
  readonly statusMessage: string;
}

export interface RecordingTracing {
  readonly tracer: Tracer;
  readonly spans: RecordedSpan[];
  named(name: string): RecordedSpan[];
  one(name: string): RecordedSpan;
  reset(): void;
}

function copy(span: SpanData): RecordedSpan {
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i < span.attributeCount; i++) attributes[span.attributeKeys[i]!] = span.attributeValues[i]!;
  const events: string[] = [];
  for (let i = 0; i < span.eventCount; i++) events.push(span.events[i]!.name);
  const links: { traceId: string; spanId: string }[] = [];
  for (let i = 0; i < span.linkCount; i++) links.push({ traceId: span.links[i]!.traceId, spanId: span.links[i]!.spanId });
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    parentIsRemote: span.parentIsRemote,
    sampled: (span.traceFlags & 1) === 1,
    attributes,
    events,
    links,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
  };
}

/** Installs a recording tracer for trace carriers; `configureTraceCarriers(null)` undoes it. */
export function installRecordingTracing(sampler: 'always_on' | 'always_off' = 'always_on'): RecordingTracing {
  const spans: RecordedSpan[] = [];
  const tracer = new Tracer({
    sampler: { type: sampler },
    processor: {
      onEnd(span: SpanData) {
        spans.push(copy(span));
        span.release();
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
  });
  configureTraceCarriers({ tracer, propagator: w3cPropagator });
  const named = (name: string): RecordedSpan[] => spans.filter((s) => s.name === name);
  return {
    tracer,
    spans,
    named,
    one(name) {
      const found = named(name);
      if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
      return found[0]!;
    },
    reset() {
      spans.length = 0;
    },
  };
}
