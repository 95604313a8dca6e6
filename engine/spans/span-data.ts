// What an exporter sees of a finished span. This is the contract between engine/spans (which
// owns pooled records implementing it) and engine/export (which serializes them).
// Attributes live in two parallel flat arrays reused across the record's lives: read
// `attributeKeys[i]` / `attributeValues[i]` for i < attributeCount, never past it.

/** OpenTelemetry API SpanKind values. OTLP's enum is this + 1 (0 is UNSPECIFIED there). */
export const SpanKind = {
  INTERNAL: 0,
  SERVER: 1,
  CLIENT: 2,
  PRODUCER: 3,
  CONSUMER: 4,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OpenTelemetry status codes (same numbers in the API and in OTLP). */
export const SpanStatusCode = {
  UNSET: 0,
  OK: 1,
  ERROR: 2,
} as const;
export type SpanStatusCode = (typeof SpanStatusCode)[keyof typeof SpanStatusCode];

/** Attribute values as in the OpenTelemetry data model. */
export type AttributeValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | null | undefined>
  | ReadonlyArray<boolean | null | undefined>;

export type Attributes = Record<string, AttributeValue | undefined>;

export interface SpanEventData {
  readonly name: string;
  /** Clock time (see clock.ts). */
  readonly time: number;
  readonly attributes: Attributes | null;
  readonly droppedAttributesCount: number;
}

export interface SpanLinkData {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly attributes: Attributes | null;
  readonly droppedAttributesCount: number;
}

export interface SpanData {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  /** Whether the parent came from another process (OTLP span flags bit 9). */
  readonly parentIsRemote: boolean;
  readonly traceFlags: number;
  /** Raw tracestate or undefined. */
  readonly traceState: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  /** Clock times (ms since the clock anchor, fractional). */
  readonly startTime: number;
  readonly endTime: number;
  readonly statusCode: SpanStatusCode;
  readonly statusMessage: string;
  readonly attributeKeys: readonly string[];
  readonly attributeValues: readonly AttributeValue[];
  readonly attributeCount: number;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEventData[];
  readonly eventCount: number;
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLinkData[];
  readonly linkCount: number;
  readonly droppedLinksCount: number;
  /** Name of the tracer (instrumentation scope) that made the span. */
  readonly scopeName: string;
  /**
   * Optional fast path for binary exporters: writes the 16 raw trace id bytes at
   * `target[offset]` and returns true, or returns false when the span holds the id only as
   * text (then read `traceId`). Saves building and parsing hex for ids nobody read.
   */
  writeTraceIdBytes?(target: Uint8Array, offset: number): boolean;
  /** Optional fast path: writes the 8 raw span id bytes at `target[offset]`, or returns false. */
  writeSpanIdBytes?(target: Uint8Array, offset: number): boolean;
  /**
   * Hands the record back to its pool. The export pipeline calls it exactly once, after
   * every exporter has serialized the span; nothing may read the span afterwards.
   */
  release(): void;
}
