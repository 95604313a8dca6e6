// SpanData inputs for export tests, and the same span as an OpenTelemetry ReadableSpan so the
// two serializers can be compared on equal input. `release()` poisons the record (as a pool
// reusing it would), so an exporter reading a span after release is caught.

import type { AttributeValue, Attributes, SpanData, SpanEventData, SpanLinkData } from '../../../engine/spans/span-data.js';
import { toEpochNanos } from '../../../engine/spans/clock.js';
import type { ExportPipeline } from '../../../engine/export/export-pipeline.js';

export interface FixtureInit {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  parentIsRemote?: boolean;
  traceFlags?: number;
  traceState?: string;
  name?: string;
  kind?: 0 | 1 | 2 | 3 | 4;
  startTime?: number;
  endTime?: number;
  statusCode?: 0 | 1 | 2;
  statusMessage?: string;
  attributes?: Record<string, AttributeValue>;
  droppedAttributesCount?: number;
  events?: SpanEventData[];
  droppedEventsCount?: number;
  links?: SpanLinkData[];
  droppedLinksCount?: number;
  scopeName?: string;
}

let counter = 0;

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

export class FixtureSpan implements SpanData {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  parentIsRemote: boolean;
  traceFlags: number;
  traceState: string | undefined;
  name: string;
  kind: 0 | 1 | 2 | 3 | 4;
  startTime: number;
  endTime: number;
  statusCode: 0 | 1 | 2;
  statusMessage: string;
  attributeKeys: string[];
  attributeValues: AttributeValue[];
  attributeCount: number;
  droppedAttributesCount: number;
  events: SpanEventData[];
  eventCount: number;
  droppedEventsCount: number;
  links: SpanLinkData[];
  linkCount: number;
  droppedLinksCount: number;
  scopeName: string;
  releases = 0;

  constructor(init: FixtureInit = {}) {
    const n = ++counter;
    this.traceId = init.traceId ?? `4bf92f3577b34da6a3ce929d0e0e${hex(n & 0xffff, 4)}`;
    this.spanId = init.spanId ?? `00f067aa0ba9${hex(n & 0xffff, 4)}`;
    this.parentSpanId = init.parentSpanId ?? '';
    this.parentIsRemote = init.parentIsRemote ?? false;
    this.traceFlags = init.traceFlags ?? 1;
    this.traceState = init.traceState;
    this.name = init.name ?? 'GET /users/:id';
    this.kind = init.kind ?? 1;
    this.startTime = init.startTime ?? 1000.123456;
    this.endTime = init.endTime ?? 1012.654321;
    this.statusCode = init.statusCode ?? 0;
    this.statusMessage = init.statusMessage ?? '';
    const attributes = init.attributes ?? { 'http.request.method': 'GET', 'http.route': '/users/:id', 'http.response.status_code': 200 };
    // Longer arrays than the count, as pooled records keep stale slots past it.
    this.attributeKeys = [...Object.keys(attributes), 'stale.key'];
    this.attributeValues = [...Object.values(attributes), 'stale value'];
    this.attributeCount = Object.keys(attributes).length;
    this.droppedAttributesCount = init.droppedAttributesCount ?? 0;
    this.events = [...(init.events ?? []), { name: 'stale', time: 0, attributes: null, droppedAttributesCount: 0 }];
    this.eventCount = (init.events ?? []).length;
    this.droppedEventsCount = init.droppedEventsCount ?? 0;
    this.links = init.links ?? [];
    this.linkCount = this.links.length;
    this.droppedLinksCount = init.droppedLinksCount ?? 0;
    this.scopeName = init.scopeName ?? 'nestjs-trace-context';
  }

  release(): void {
    this.releases++;
    this.name = 'RELEASED';
    this.traceId = 'ffffffffffffffffffffffffffffffff';
    this.attributeCount = 0;
    this.eventCount = 0;
  }
}

export function makeSpan(init?: FixtureInit): FixtureSpan {
  return new FixtureSpan(init);
}

export function makeSpans(n: number, init?: FixtureInit): FixtureSpan[] {
  return Array.from({ length: n }, () => new FixtureSpan(init));
}

export function event(name: string, time: number, attributes: Attributes | null = null, droppedAttributesCount = 0): SpanEventData {
  return { name, time, attributes, droppedAttributesCount };
}

export function link(traceId: string, spanId: string, attributes: Attributes | null = null, traceState?: string): SpanLinkData {
  return { traceId, spanId, traceFlags: 1, traceState, attributes, droppedAttributesCount: 0 };
}

/** A "typical server span": what the Nest module records for a request. */
export function serverSpan(i: number): FixtureSpan {
  return makeSpan({
    parentSpanId: 'b7ad6b7169203331',
    parentIsRemote: true,
    traceFlags: 3,
    name: 'GET /api/users/:id',
    kind: 1,
    startTime: 1000 + i,
    endTime: 1003.25 + i,
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/api/users/:id',
      'url.path': `/api/users/${1000 + i}`,
      'url.scheme': 'http',
      'server.address': 'api.internal',
      'server.port': 3000,
      'http.response.status_code': 200,
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      'client.address': '10.0.0.12',
      'request.id': `req-${i}`,
    },
  });
}

// ---- OpenTelemetry ReadableSpan for the same data ----

function hrTime(clockMs: number): [number, number] {
  const ns = toEpochNanos(clockMs);
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

interface TraceStateLike {
  serialize(): string;
}

function traceState(raw: string | undefined): TraceStateLike | undefined {
  return raw === undefined ? undefined : { serialize: () => raw };
}

/** A structural ReadableSpan (sdk-trace-base 2.x) for otlp-transformer's serializers. */
export function toOtelSpan(span: SpanData, resource: { attributes: Record<string, AttributeValue> }): unknown {
  const attributes: Record<string, AttributeValue> = {};
  for (let i = 0; i < span.attributeCount; i++) attributes[span.attributeKeys[i]!] = span.attributeValues[i]!;
  const otelResource = { attributes: { ...resource.attributes }, schemaUrl: undefined };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags, traceState: traceState(span.traceState) }),
    parentSpanContext:
      span.parentSpanId === '' ? undefined : { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: span.traceFlags, isRemote: span.parentIsRemote },
    startTime: hrTime(span.startTime),
    endTime: hrTime(span.endTime),
    duration: [0, 0],
    status: span.statusMessage === '' ? { code: span.statusCode } : { code: span.statusCode, message: span.statusMessage },
    attributes,
    links: span.links.slice(0, span.linkCount).map((l) => ({
      context: { traceId: l.traceId, spanId: l.spanId, traceFlags: l.traceFlags, traceState: traceState(l.traceState) },
      attributes: l.attributes ?? {},
      droppedAttributesCount: l.droppedAttributesCount,
    })),
    events: span.events.slice(0, span.eventCount).map((e) => ({
      name: e.name,
      time: hrTime(e.time),
      attributes: e.attributes ?? {},
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    ended: true,
    resource: otelResource,
    instrumentationScope: { name: span.scopeName },
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** The same resource object for every span of a batch (otlp-transformer groups by identity). */
export function toOtelSpans(spans: readonly SpanData[], resource: { attributes: Record<string, AttributeValue> }): unknown[] {
  const shared = { attributes: { ...resource.attributes }, schemaUrl: undefined };
  // Like a real SDK: one scope object per tracer (the protobuf serializer groups by identity).
  const scopes = new Map<string, { name: string }>();
  return spans.map((s) => {
    let scope = scopes.get(s.scopeName);
    if (scope === undefined) scopes.set(s.scopeName, (scope = { name: s.scopeName }));
    return { ...(toOtelSpan(s, resource) as object), resource: shared, instrumentationScope: scope };
  });
}

/** Ends one span per name through `pipeline` (trace id from `traceOf`), flushing every 500 and at the end. */
export async function exportSpans(pipeline: ExportPipeline, names: string[], traceOf: (i: number) => string): Promise<void> {
  for (let i = 0; i < names.length; i++) {
    pipeline.processor.onEnd(makeSpan({ name: names[i]!, traceId: traceOf(i), startTime: 1_000 + i, endTime: 1_001 + i }));
    if (i % 500 === 499) await pipeline.forceFlush();
  }
  await pipeline.forceFlush();
}
