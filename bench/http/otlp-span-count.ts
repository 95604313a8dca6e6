// Counts the spans in an OTLP/HTTP trace export body without decoding it: the sink must stay
// cheap (it shares a CPU with the load generator) and only needs how many spans arrived.
//
// Protobuf (opentelemetry/proto/collector/trace/v1/trace_service.proto):
//   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
//   ResourceSpans             { Resource resource = 1; repeated ScopeSpans scope_spans = 2; ... }
//   ScopeSpans                { InstrumentationScope scope = 1; repeated Span spans = 2; ... }
// so a span is a length-delimited field 2 inside a field 2 inside a field 1. Other fields are
// skipped by wire type. Returns -1 for a body that is not well-formed.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

// Reused cursor: readVarint returns the value and leaves the next offset here.
let nextOffset = 0;

function readVarint(buf: Uint8Array, at: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + 10; i++) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      nextOffset = i + 1;
      return value;
    }
    scale *= 128;
  }
  nextOffset = -1;
  return 0;
}

/** Counts length-delimited occurrences of `field` in [start, end); calls `inner` on each when given. */
function countField(buf: Uint8Array, start: number, end: number, field: number, inner: ((s: number, e: number) => number) | null): number {
  let count = 0;
  let at = start;
  while (at < end) {
    const key = readVarint(buf, at, end);
    if (nextOffset < 0) return -1;
    at = nextOffset;
    const wire = key & 7;
    const number = Math.floor(key / 8);
    if (wire === WIRE_VARINT) {
      readVarint(buf, at, end);
      if (nextOffset < 0) return -1;
      at = nextOffset;
    } else if (wire === WIRE_FIXED64) {
      at += 8;
    } else if (wire === WIRE_FIXED32) {
      at += 4;
    } else if (wire === WIRE_LEN) {
      const length = readVarint(buf, at, end);
      if (nextOffset < 0 || nextOffset + length > end) return -1;
      at = nextOffset;
      if (number === field) {
        if (inner === null) count++;
        else {
          const n = inner(at, at + length);
          if (n < 0) return -1;
          count += n;
        }
      }
      at += length;
    } else {
      return -1;
    }
  }
  return at === end ? count : -1;
}

export function countProtobufSpans(buf: Uint8Array): number {
  const inScope = (s: number, e: number): number => countField(buf, s, e, 2, null);
  const inResource = (s: number, e: number): number => countField(buf, s, e, 2, inScope);
  return countField(buf, 0, buf.length, 1, inResource);
}

interface JsonExport {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
}

/** OTLP/JSON (the same messages, lowerCamelCase). */
export function countJsonSpans(text: string): number {
  let body: JsonExport;
  try {
    body = JSON.parse(text) as JsonExport;
  } catch {
    return -1;
  }
  if (!Array.isArray(body.resourceSpans)) return -1;
  let count = 0;
  for (const resource of body.resourceSpans) {
    for (const scope of resource.scopeSpans ?? []) count += Array.isArray(scope.spans) ? scope.spans.length : 0;
  }
  return count;
}
