// Zipkin v2 JSON (openzipkin/zipkin-api zipkin2-api.yaml, definitions/Span) mapped as the
// OpenTelemetry spec says (specification/trace/sdk_exporters/zipkin.md): INTERNAL has no
// kind, times in epoch microseconds, duration at least 1 µs, tags are strings (arrays as JSON),
// status as otel.status_code / error tags, events as annotations, service.name as
// localEndpoint.serviceName, peer attributes as remoteEndpoint for CLIENT/PRODUCER spans.

import { isIP } from 'node:net';
import type { AttributeValue, Attributes, SpanData } from '../../spans/span-data.js';
import { toEpochMicros } from '../../spans/clock.js';

const KIND = ['', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

function tagValue(value: AttributeValue): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function remoteEndpoint(span: SpanData): string {
  let service: string | undefined;
  let address: string | undefined;
  let port: number | undefined;
  for (let i = 0; i < span.attributeCount; i++) {
    const key = span.attributeKeys[i]!;
    const value = span.attributeValues[i]!;
    if (key === 'peer.service' && typeof value === 'string') service = value;
    else if ((key === 'server.address' || key === 'net.peer.name') && typeof value === 'string') address ??= value;
    else if ((key === 'server.port' || key === 'net.peer.port') && typeof value === 'number') port ??= value;
  }
  if (service === undefined && address === undefined) return '';
  const parts: string[] = [];
  const ipVersion = address === undefined ? 0 : isIP(address);
  if (service !== undefined) parts.push(`"serviceName":${JSON.stringify(service)}`);
  else if (ipVersion === 0) parts.push(`"serviceName":${JSON.stringify(address)}`);
  if (ipVersion === 4) parts.push(`"ipv4":"${address}"`);
  if (ipVersion === 6) parts.push(`"ipv6":${JSON.stringify(address)}`);
  if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65536) parts.push(`"port":${port}`);
  return `,"remoteEndpoint":{${parts.join(',')}}`;
}

function attributesJson(attributes: Attributes): string {
  const plain: Record<string, AttributeValue> = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) plain[key] = value;
  }
  return JSON.stringify(plain);
}

function zipkinSpan(span: SpanData, localEndpoint: string): string {
  const start = toEpochMicros(span.startTime);
  const duration = Math.max(1, toEpochMicros(span.endTime) - start);
  let out = `{"traceId":"${span.traceId}","id":"${span.spanId}"`;
  if (span.parentSpanId !== '') out += `,"parentId":"${span.parentSpanId}"`;
  const kind = KIND[span.kind] ?? '';
  if (kind !== '') out += `,"kind":"${kind}"`;
  out += `,"name":${JSON.stringify(span.name)},"timestamp":${start},"duration":${duration},"localEndpoint":${localEndpoint}`;
  if (kind === 'CLIENT' || kind === 'PRODUCER') out += remoteEndpoint(span);
  if (span.eventCount > 0) {
    out += ',"annotations":[';
    for (let i = 0; i < span.eventCount; i++) {
      const e = span.events[i]!;
      const hasAttributes = e.attributes !== null && Object.keys(e.attributes).length > 0;
      // zipkin.md "Events": the value is the name, or {"<name>":{attributes}} when it has some.
      const value = hasAttributes ? `{${JSON.stringify(e.name)}:${attributesJson(e.attributes!)}}` : e.name;
      out += `${i > 0 ? ',' : ''}{"timestamp":${toEpochMicros(e.time)},"value":${JSON.stringify(value)}}`;
    }
    out += ']';
  }
  out += ',"tags":{';
  let first = true;
  const put = (key: string, value: string): void => {
    out += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    first = false;
  };
  for (let i = 0; i < span.attributeCount; i++) put(span.attributeKeys[i]!, tagValue(span.attributeValues[i]!));
  if (span.statusCode === 1) put('otel.status_code', 'OK');
  else if (span.statusCode === 2) {
    put('otel.status_code', 'ERROR');
    put('error', span.statusMessage);
  }
  if (span.scopeName !== '') put('otel.scope.name', span.scopeName);
  if (span.droppedAttributesCount > 0) put('otel.dropped_attributes_count', String(span.droppedAttributesCount));
  if (span.droppedEventsCount > 0) put('otel.dropped_events_count', String(span.droppedEventsCount));
  return out + '}}';
}

export class ZipkinJsonSerializer {
  private readonly localEndpoint: string;

  constructor(serviceName: string) {
    this.localEndpoint = `{"serviceName":${JSON.stringify(serviceName)}}`;
  }

  serialize(spans: readonly SpanData[], count: number): string {
    let out = '[';
    for (let i = 0; i < count; i++) out += (i > 0 ? ',' : '') + zipkinSpan(spans[i]!, this.localEndpoint);
    return out + ']';
  }
}
