// ExportTraceServiceRequest in OTLP/JSON (otlp/docs/specification.md "JSON Protobuf
// Encoding"): lowerCamelCase field names, trace/span ids as hex strings (not base64), enums as
// integers, 64-bit integers (times, intValue) as decimal strings. Written straight into bytes
// by JsonWriter: no object tree per span and no intermediate strings.

import type { AttributeValue, Attributes, SpanData } from '../../spans/span-data.js';
import type { Resource } from '../resource.js';
import { epochNanosString } from '../epoch-time.js';
import { JsonWriter } from '../json-writer.js';

const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

function anyValue(w: JsonWriter, value: AttributeValue | null | undefined): void {
  switch (typeof value) {
    case 'string':
      w.ascii('{"stringValue":');
      w.string(value);
      w.ascii('}');
      return;
    case 'boolean':
      w.ascii(value ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    case 'number':
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
        w.ascii('{"intValue":"');
        w.ascii(Number.isSafeInteger(value) ? String(value) : BigInt(value).toString());
        w.ascii('"}');
      } else if (Number.isFinite(value)) {
        w.ascii('{"doubleValue":');
        w.number(value);
        w.ascii('}');
      } else {
        // JSON has no NaN/Infinity; the proto3 JSON mapping spells them as strings.
        w.ascii(Number.isNaN(value) ? '{"doubleValue":"NaN"}' : value > 0 ? '{"doubleValue":"Infinity"}' : '{"doubleValue":"-Infinity"}');
      }
      return;
    case 'object':
      if (value === null) {
        w.ascii('{}');
        return;
      }
      w.ascii('{"arrayValue":{"values":[');
      for (let i = 0; i < value.length; i++) {
        if (i > 0) w.ascii(',');
        anyValue(w, value[i]);
      }
      w.ascii(']}}');
      return;
    default:
      w.ascii('{}');
  }
}

function keyValue(w: JsonWriter, key: string, value: AttributeValue): void {
  w.ascii('{"key":');
  w.string(key);
  w.ascii(',"value":');
  anyValue(w, value);
  w.ascii('}');
}

function attributeList(w: JsonWriter, attributes: Attributes | null): void {
  w.ascii('[');
  if (attributes !== null) {
    let first = true;
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      if (!first) w.ascii(',');
      keyValue(w, key, value);
      first = false;
    }
  }
  w.ascii(']');
}

function writeSpan(w: JsonWriter, s: SpanData): void {
  w.ascii('{"traceId":"');
  w.ascii(s.traceId);
  w.ascii('","spanId":"');
  w.ascii(s.spanId);
  w.ascii('"');
  if (s.traceState !== undefined && s.traceState !== '') {
    w.ascii(',"traceState":');
    w.string(s.traceState);
  }
  if (s.parentSpanId !== '') {
    w.ascii(',"parentSpanId":"');
    w.ascii(s.parentSpanId);
    w.ascii('"');
  }
  w.ascii(',"flags":');
  w.uint((s.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE | (s.parentIsRemote ? FLAG_IS_REMOTE : 0));
  w.ascii(',"name":');
  w.string(s.name);
  w.ascii(',"kind":');
  w.uint(s.kind + 1);
  w.ascii(',"startTimeUnixNano":"');
  w.ascii(epochNanosString(s.startTime));
  w.ascii('","endTimeUnixNano":"');
  w.ascii(epochNanosString(s.endTime));
  w.ascii('","attributes":[');
  const keys = s.attributeKeys;
  const values = s.attributeValues;
  for (let i = 0; i < s.attributeCount; i++) {
    if (i > 0) w.ascii(',');
    keyValue(w, keys[i]!, values[i]!);
  }
  w.ascii(']');
  if (s.droppedAttributesCount > 0) {
    w.ascii(',"droppedAttributesCount":');
    w.uint(s.droppedAttributesCount);
  }
  w.ascii(',"events":[');
  for (let i = 0; i < s.eventCount; i++) {
    const e = s.events[i]!;
    w.ascii(i > 0 ? ',{"timeUnixNano":"' : '{"timeUnixNano":"');
    w.ascii(epochNanosString(e.time));
    w.ascii('","name":');
    w.string(e.name);
    w.ascii(',"attributes":');
    attributeList(w, e.attributes);
    if (e.droppedAttributesCount > 0) {
      w.ascii(',"droppedAttributesCount":');
      w.uint(e.droppedAttributesCount);
    }
    w.ascii('}');
  }
  w.ascii(']');
  if (s.droppedEventsCount > 0) {
    w.ascii(',"droppedEventsCount":');
    w.uint(s.droppedEventsCount);
  }
  w.ascii(',"links":[');
  for (let i = 0; i < s.linkCount; i++) {
    const l = s.links[i]!;
    w.ascii(i > 0 ? ',{"traceId":"' : '{"traceId":"');
    w.ascii(l.traceId);
    w.ascii('","spanId":"');
    w.ascii(l.spanId);
    w.ascii('"');
    if (l.traceState !== undefined && l.traceState !== '') {
      w.ascii(',"traceState":');
      w.string(l.traceState);
    }
    w.ascii(',"attributes":');
    attributeList(w, l.attributes);
    if (l.droppedAttributesCount > 0) {
      w.ascii(',"droppedAttributesCount":');
      w.uint(l.droppedAttributesCount);
    }
    // See otlp-protobuf.ts: link contexts carry no is-remote bit, as OpenTelemetry JS writes them.
    w.ascii(',"flags":');
    w.uint((l.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE);
    w.ascii('}');
  }
  w.ascii(']');
  if (s.droppedLinksCount > 0) {
    w.ascii(',"droppedLinksCount":');
    w.uint(s.droppedLinksCount);
  }
  w.ascii(',"status":{');
  if (s.statusMessage !== '') {
    w.ascii('"message":');
    w.string(s.statusMessage);
    w.ascii(',');
  }
  w.ascii('"code":');
  w.uint(s.statusCode);
  w.ascii('}}');
}

export function encodeResourceJson(resource: Resource): Buffer {
  const w = new JsonWriter(1024);
  w.ascii('{"attributes":[');
  let first = true;
  for (const key of Object.keys(resource.attributes)) {
    if (!first) w.ascii(',');
    keyValue(w, key, resource.attributes[key]!);
    first = false;
  }
  w.ascii(']');
  if (resource.droppedAttributesCount > 0) {
    w.ascii(',"droppedAttributesCount":');
    w.uint(resource.droppedAttributesCount);
  }
  w.ascii('}');
  return w.finish();
}

export class OtlpJsonSerializer {
  private readonly writer: JsonWriter;
  private readonly resource: Buffer;
  private readonly scopeNames: string[];

  constructor(resource: Resource) {
    this.writer = new JsonWriter(512 * 1024);
    this.resource = encodeResourceJson(resource);
    this.scopeNames = [];
  }

  serialize(spans: readonly SpanData[], count: number): Buffer {
    const w = this.writer;
    w.reset();
    const names = this.scopeNames;
    names.length = 0;
    for (let i = 0; i < count; i++) {
      const name = spans[i]!.scopeName;
      if (!names.includes(name)) names.push(name);
    }
    w.ascii('{"resourceSpans":[{"resource":');
    w.raw(this.resource);
    w.ascii(',"scopeSpans":[');
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      w.ascii(n > 0 ? ',{"scope":{"name":' : '{"scope":{"name":');
      w.string(name);
      w.ascii('},"spans":[');
      let first = true;
      for (let i = 0; i < count; i++) {
        const s = spans[i]!;
        if (names.length > 1 && s.scopeName !== name) continue;
        if (!first) w.ascii(',');
        writeSpan(w, s);
        first = false;
      }
      w.ascii(']}');
    }
    w.ascii(']}]}');
    return w.finish();
  }
}
