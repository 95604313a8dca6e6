// ExportTraceServiceRequest in protobuf (opentelemetry/proto/collector/trace/v1/
// trace_service.proto and trace/v1/trace.proto; field numbers quoted at each write).
// The resource and each scope are encoded once and copied in as bytes; spans are written
// straight from the pooled records. One ResourceSpans per request (one resource per
// pipeline), one ScopeSpans per tracer name in the batch.

import type { AttributeValue, Attributes, SpanData } from '../../spans/span-data.js';
import type { Resource } from '../resource.js';
import { writeEpochNanos } from '../epoch-time.js';
import { KeyValueBytes } from './key-value-bytes.js';
import { ProtoWriter } from './proto-writer.js';

// Tags: (field << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
const LEN = 2;
const T = (field: number, wire: number): number => (field << 3) | wire;

/** Span flags bit 8: "has is_remote" and bit 9: "is_remote" (trace.proto SpanFlags). */
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

function writeAnyValue(w: ProtoWriter, value: AttributeValue | null | undefined): void {
  // AnyValue: 1 string_value, 2 bool_value, 3 int_value, 4 double_value, 5 array_value.
  switch (typeof value) {
    case 'string':
      w.byte(T(1, LEN));
      w.string(value);
      return;
    case 'boolean':
      w.byte(T(2, 0));
      w.byte(value ? 1 : 0);
      return;
    case 'number':
      // As OpenTelemetry JS: integral numbers are int_value, others double_value.
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
        w.byte(T(3, 0));
        w.varint64(value);
      } else {
        w.byte(T(4, 1));
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      {
        w.byte(T(5, LEN));
        const array = w.beginMessage(1);
        for (let i = 0; i < value.length; i++) {
          // ArrayValue: 1 repeated AnyValue values (an empty AnyValue for null entries).
          w.byte(T(1, LEN));
          const item = w.beginMessage(1);
          writeAnyValue(w, value[i]);
          w.endMessage(item);
        }
        w.endMessage(array);
      }
      return;
    default:
      return;
  }
}

/**
 * Fast path for the common attribute: an ASCII key and an ASCII string (or small int, or
 * boolean) value whose whole KeyValue fits a one-byte length. Every length is then known up
 * front, so the message is written in one pass after one capacity check, with no
 * reserve-and-shift (a cpu profile of 512 server spans had the generic path's per-field calls
 * and checks as its largest cost). Returns false, having written nothing, when it does not apply.
 */
function writeSmallKeyValue(w: ProtoWriter, tagByte: number, key: string, value: AttributeValue): boolean {
  const kl = key.length;
  let valueBytes: number;
  let vl = 0;
  if (typeof value === 'string') {
    vl = value.length;
    valueBytes = 2 + vl; // 0x0a, length, bytes
  } else if (typeof value === 'number' && value >= 0 && value < 0x80000000 && Number.isInteger(value)) {
    valueBytes = 1 + (value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5);
  } else if (typeof value === 'boolean') {
    valueBytes = 2;
  } else return false;
  // KeyValue body: 0x0a kl key 0x12 valueBytes AnyValue
  const body = 4 + kl + valueBytes;
  if (body > 127) return false;
  w.ensure(body + 2);
  const buf = w.buf;
  const start = w.pos;
  let p = start;
  buf[p++] = tagByte;
  buf[p++] = body;
  buf[p++] = 0x0a;
  buf[p++] = kl;
  for (let i = 0; i < kl; i++) {
    const c = key.charCodeAt(i);
    if (c >= 128) return false;
    buf[p++] = c;
  }
  buf[p++] = 0x12;
  buf[p++] = valueBytes;
  if (typeof value === 'string') {
    buf[p++] = 0x0a;
    buf[p++] = vl;
    for (let i = 0; i < vl; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128) return false;
      buf[p++] = c;
    }
  } else if (typeof value === 'number') {
    buf[p++] = 0x18;
    let v = value;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p++] = v;
  } else {
    buf[p++] = 0x10;
    buf[p++] = value ? 1 : 0;
  }
  w.pos = p;
  return true;
}

function writeKeyValue(w: ProtoWriter, field: number, key: string, value: AttributeValue): void {
  // KeyValue: 1 key, 2 value (AnyValue).
  if (writeSmallKeyValue(w, T(field, LEN), key, value)) return;
  w.byte(T(field, LEN));
  const kv = w.beginMessage(1);
  w.byte(T(1, LEN));
  w.string(key);
  w.byte(T(2, LEN));
  const v = w.beginMessage(1);
  writeAnyValue(w, value);
  w.endMessage(v);
  w.endMessage(kv);
}

function writeAttributeObject(w: ProtoWriter, field: number, attributes: Attributes | null): void {
  if (attributes === null) return;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) writeKeyValue(w, field, key, value);
  }
}

function writeSpanAttribute(w: ProtoWriter, key: string, value: AttributeValue): void {
  writeKeyValue(w, 9, key, value);
}

/**
 * trace_id (`trace`) or span_id: the span's raw bytes copied in when it offers them (engine/spans
 * keeps a new id as bytes until something reads it as text), else the hex parsed.
 */
function writeId(w: ProtoWriter, span: SpanData, trace: boolean): void {
  const n = trace ? 16 : 8;
  w.ensure(n + 2);
  const buf = w.buf;
  const p = w.pos;
  const raw = trace ? span.writeTraceIdBytes?.(buf, p + 2) : span.writeSpanIdBytes?.(buf, p + 2);
  if (raw === true) {
    buf[p] = trace ? T(1, LEN) : T(2, LEN);
    buf[p + 1] = n;
    w.pos = p + n + 2;
  } else w.hexField(trace ? T(1, LEN) : T(2, LEN), trace ? span.traceId : span.spanId);
}

function writeSpan(w: ProtoWriter, span: SpanData, attributes: KeyValueBytes): void {
  // ScopeSpans.spans = field 2. Span bodies are usually 128..16383 bytes: reserve 2.
  w.byte(T(2, LEN));
  const body = w.beginMessage(2);
  writeId(w, span, true); // trace_id
  writeId(w, span, false); // span_id
  if (span.traceState !== undefined && span.traceState !== '') {
    w.byte(T(3, LEN)); // trace_state
    w.string(span.traceState);
  }
  if (span.parentSpanId !== '') {
    w.hexField(T(4, LEN), span.parentSpanId); // parent_span_id
  }
  w.byte(T(5, LEN)); // name
  w.string(span.name);
  w.byte(T(6, 0)); // kind: OTLP enum = API kind + 1 (0 is UNSPECIFIED)
  w.byte(span.kind + 1);
  w.byte(T(7, 1)); // start_time_unix_nano
  writeEpochNanos(w, span.startTime);
  w.byte(T(8, 1)); // end_time_unix_nano
  writeEpochNanos(w, span.endTime);
  const keys = span.attributeKeys;
  const values = span.attributeValues;
  for (let i = 0; i < span.attributeCount; i++) attributes.write(w, keys[i]!, values[i]!); // attributes
  if (span.droppedAttributesCount > 0) {
    w.byte(T(10, 0));
    w.varint32(span.droppedAttributesCount);
  }
  for (let i = 0; i < span.eventCount; i++) {
    const event = span.events[i]!;
    w.byte(T(11, LEN)); // events: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count
    const e = w.beginMessage(1);
    w.byte(T(1, 1));
    writeEpochNanos(w, event.time);
    w.byte(T(2, LEN));
    w.string(event.name);
    writeAttributeObject(w, 3, event.attributes);
    if (event.droppedAttributesCount > 0) {
      w.byte(T(4, 0));
      w.varint32(event.droppedAttributesCount);
    }
    w.endMessage(e);
  }
  if (span.droppedEventsCount > 0) {
    w.byte(T(12, 0));
    w.varint32(span.droppedEventsCount);
  }
  for (let i = 0; i < span.linkCount; i++) {
    const link = span.links[i]!;
    w.byte(T(13, LEN)); // links: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped, 6 flags
    const l = w.beginMessage(1);
    w.hexField(T(1, LEN), link.traceId);
    w.hexField(T(2, LEN), link.spanId);
    if (link.traceState !== undefined && link.traceState !== '') {
      w.byte(T(3, LEN));
      w.string(link.traceState);
    }
    writeAttributeObject(w, 4, link.attributes);
    if (link.droppedAttributesCount > 0) {
      w.byte(T(5, 0));
      w.varint32(link.droppedAttributesCount);
    }
    // SpanLinkData does not say whether the linked context was remote; like OpenTelemetry JS
    // for a link whose isRemote is unset, bit 8 is set and bit 9 clear.
    w.byte(T(6, 5));
    w.fixed32((link.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE);
    w.endMessage(l);
  }
  if (span.droppedLinksCount > 0) {
    w.byte(T(14, 0));
    w.varint32(span.droppedLinksCount);
  }
  w.byte(T(15, LEN)); // status: 2 message, 3 code
  const status = w.beginMessage(1);
  if (span.statusMessage !== '') {
    w.byte(T(2, LEN));
    w.string(span.statusMessage);
  }
  w.byte(T(3, 0));
  w.byte(span.statusCode);
  w.endMessage(status);
  w.varint32(T(16, 5)); // flags (field 16: a two-byte tag)
  w.fixed32((span.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE | (span.parentIsRemote ? FLAG_IS_REMOTE : 0));
  w.endMessage(body);
}

/** Encodes `Resource` (1 attributes, 2 dropped_attributes_count) as ResourceSpans field 1. */
export function encodeResource(resource: Resource): Buffer {
  const w = new ProtoWriter(1024);
  w.byte(T(1, LEN));
  const r = w.beginMessage(1);
  for (const key of Object.keys(resource.attributes)) writeKeyValue(w, 1, key, resource.attributes[key]!);
  if (resource.droppedAttributesCount > 0) {
    w.byte(T(2, 0));
    w.varint32(resource.droppedAttributesCount);
  }
  w.endMessage(r);
  return w.finish();
}

/** Encodes `InstrumentationScope` (1 name) as ScopeSpans field 1. */
function encodeScope(name: string): Buffer {
  const w = new ProtoWriter(256);
  w.byte(T(1, LEN));
  const s = w.beginMessage(1);
  w.byte(T(1, LEN));
  w.string(name);
  w.endMessage(s);
  return w.finish();
}

export class OtlpProtobufSerializer {
  private readonly writer: ProtoWriter;
  private readonly resource: Buffer;
  private readonly scopes: Map<string, Buffer>;
  private readonly scopeNames: string[];
  private readonly attributes: KeyValueBytes;

  constructor(resource: Resource) {
    this.writer = new ProtoWriter(256 * 1024);
    this.attributes = new KeyValueBytes(writeSpanAttribute);
    this.resource = encodeResource(resource);
    this.scopes = new Map();
    this.scopeNames = [];
  }

  private scope(name: string): Buffer {
    let bytes = this.scopes.get(name);
    if (bytes === undefined) {
      bytes = encodeScope(name);
      // Tracer names are few; a runaway set (a name per request) stops being cached.
      if (this.scopes.size < 256) this.scopes.set(name, bytes);
    }
    return bytes;
  }

  serialize(spans: readonly SpanData[], count: number): Buffer {
    const w = this.writer;
    w.reset();
    w.byte(T(1, LEN)); // ExportTraceServiceRequest.resource_spans
    const rs = w.beginMessage(3);
    w.raw(this.resource);
    // Distinct scope names in first-seen order (usually one).
    const names = this.scopeNames;
    names.length = 0;
    let last = '';
    for (let i = 0; i < count; i++) {
      const name = spans[i]!.scopeName;
      if (i > 0 && name === last) continue;
      last = name;
      if (!names.includes(name)) names.push(name);
    }
    for (const name of names) {
      w.byte(T(2, LEN)); // ResourceSpans.scope_spans
      const ss = w.beginMessage(3);
      w.raw(this.scope(name));
      if (names.length === 1) {
        for (let i = 0; i < count; i++) writeSpan(w, spans[i]!, this.attributes);
      } else {
        for (let i = 0; i < count; i++) if (spans[i]!.scopeName === name) writeSpan(w, spans[i]!, this.attributes);
      }
      w.endMessage(ss);
    }
    w.endMessage(rs);
    return w.finish();
  }
}
