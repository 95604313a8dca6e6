// ExportTraceServiceRequest in OTLP/JSON (otlp/docs/specification.md "JSON Protobuf
// Encoding"): lowerCamelCase field names, trace/span ids as hex strings (not base64), enums as
// integers, 64-bit integers (times, intValue) as decimal strings. Built as one string by
// concatenation: no intermediate object tree per span, and JSON.stringify only for the
// strings that may need escaping.

import type { AttributeValue, Attributes, SpanData } from '../../spans/span-data.js';
import type { Resource } from '../resource.js';
import { epochNanosString } from '../epoch-time.js';

const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

function anyValue(value: AttributeValue | null | undefined): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${JSON.stringify(value)}}`;
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'number':
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return `{"intValue":"${Number.isSafeInteger(value) ? value : BigInt(value)}"}`;
      // JSON has no NaN/Infinity; the proto3 JSON mapping spells them as strings.
      if (Number.isFinite(value)) return `{"doubleValue":${value}}`;
      return `{"doubleValue":"${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}"}`;
    case 'object': {
      if (value === null) return '{}';
      let out = '{"arrayValue":{"values":[';
      for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + anyValue(value[i]);
      return out + ']}}';
    }
    default:
      return '{}';
  }
}

function keyValue(key: string, value: AttributeValue): string {
  return `{"key":${JSON.stringify(key)},"value":${anyValue(value)}}`;
}

function attributeList(attributes: Attributes | null): string {
  let out = '[';
  if (attributes !== null) {
    let first = true;
    for (const key in attributes) {
      const value = attributes[key];
      if (value === undefined) continue;
      out += (first ? '' : ',') + keyValue(key, value);
      first = false;
    }
  }
  return out + ']';
}

function span(s: SpanData): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.traceState !== undefined && s.traceState !== '') out += `,"traceState":${JSON.stringify(s.traceState)}`;
  if (s.parentSpanId !== '') out += `,"parentSpanId":"${s.parentSpanId}"`;
  out += `,"flags":${(s.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE | (s.parentIsRemote ? FLAG_IS_REMOTE : 0)}`;
  out += `,"name":${JSON.stringify(s.name)},"kind":${s.kind + 1}`;
  out += `,"startTimeUnixNano":"${epochNanosString(s.startTime)}","endTimeUnixNano":"${epochNanosString(s.endTime)}"`;
  out += ',"attributes":[';
  for (let i = 0; i < s.attributeCount; i++) out += (i > 0 ? ',' : '') + keyValue(s.attributeKeys[i]!, s.attributeValues[i]!);
  out += ']';
  if (s.droppedAttributesCount > 0) out += `,"droppedAttributesCount":${s.droppedAttributesCount}`;
  out += ',"events":[';
  for (let i = 0; i < s.eventCount; i++) {
    const e = s.events[i]!;
    out += `${i > 0 ? ',' : ''}{"timeUnixNano":"${epochNanosString(e.time)}","name":${JSON.stringify(e.name)},"attributes":${attributeList(e.attributes)}`;
    if (e.droppedAttributesCount > 0) out += `,"droppedAttributesCount":${e.droppedAttributesCount}`;
    out += '}';
  }
  out += ']';
  if (s.droppedEventsCount > 0) out += `,"droppedEventsCount":${s.droppedEventsCount}`;
  out += ',"links":[';
  for (let i = 0; i < s.linkCount; i++) {
    const l = s.links[i]!;
    out += `${i > 0 ? ',' : ''}{"traceId":"${l.traceId}","spanId":"${l.spanId}"`;
    if (l.traceState !== undefined && l.traceState !== '') out += `,"traceState":${JSON.stringify(l.traceState)}`;
    out += `,"attributes":${attributeList(l.attributes)}`;
    if (l.droppedAttributesCount > 0) out += `,"droppedAttributesCount":${l.droppedAttributesCount}`;
    // See otlp-protobuf.ts: link contexts carry no is-remote bit, as OpenTelemetry JS writes them.
    out += `,"flags":${(l.traceFlags & 0xff) | FLAG_HAS_IS_REMOTE}}`;
  }
  out += ']';
  if (s.droppedLinksCount > 0) out += `,"droppedLinksCount":${s.droppedLinksCount}`;
  out += `,"status":{${s.statusMessage !== '' ? `"message":${JSON.stringify(s.statusMessage)},` : ''}"code":${s.statusCode}}}`;
  return out;
}

export function encodeResourceJson(resource: Resource): string {
  let out = '{"attributes":[';
  let first = true;
  for (const key of Object.keys(resource.attributes)) {
    out += (first ? '' : ',') + keyValue(key, resource.attributes[key]!);
    first = false;
  }
  out += ']';
  if (resource.droppedAttributesCount > 0) out += `,"droppedAttributesCount":${resource.droppedAttributesCount}`;
  return out + '}';
}

export class OtlpJsonSerializer {
  private readonly resource: string;
  private readonly scopeNames: string[];

  constructor(resource: Resource) {
    this.resource = encodeResourceJson(resource);
    this.scopeNames = [];
  }

  serialize(spans: readonly SpanData[], count: number): string {
    const names = this.scopeNames;
    names.length = 0;
    for (let i = 0; i < count; i++) {
      const name = spans[i]!.scopeName;
      if (!names.includes(name)) names.push(name);
    }
    let out = `{"resourceSpans":[{"resource":${this.resource},"scopeSpans":[`;
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      out += `${n > 0 ? ',' : ''}{"scope":{"name":${JSON.stringify(name)}},"spans":[`;
      let first = true;
      for (let i = 0; i < count; i++) {
        const s = spans[i]!;
        if (names.length > 1 && s.scopeName !== name) continue;
        out += (first ? '' : ',') + span(s);
        first = false;
      }
      out += ']}';
    }
    return out + ']}]}';
  }
}
