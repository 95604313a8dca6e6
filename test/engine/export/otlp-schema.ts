// The official OTLP trace schema (test/fixtures/otlp-proto, Apache-2.0, see its LICENSE),
// loaded with protobufjs, and two readers that turn an export body into the same canonical
// plain object: one for protobuf bytes, one that reads JSON strictly against the schema
// (OTLP/JSON rules: lowerCamelCase names, hex ids, enums as integers, 64-bit integers as
// strings; an unknown field, a wrong type or two members of a oneof is an error).
// Canonical form: every field present (proto3 defaults filled in), bytes as lowercase hex,
// 64-bit integers as decimal strings, enums as numbers.

import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../../../../test/fixtures/otlp-proto/', import.meta.url));

let requestType: protobuf.Type | undefined;

export function traceRequestType(): protobuf.Type {
  if (requestType === undefined) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith(PROTO_ROOT) ? target : PROTO_ROOT + target);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
    root.resolveAll();
    requestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  }
  return requestType;
}

export function traceResponseType(): protobuf.Type {
  traceRequestType();
  return requestType!.root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);

type Canonical = null | string | number | boolean | Canonical[] | { [key: string]: Canonical };

function defaultFor(field: protobuf.Field): Canonical {
  if (field.repeated) return [];
  if (field.resolvedType instanceof protobuf.Type) return null;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  if (INT64.has(field.type)) return '0';
  if (field.type === 'bool') return false;
  if (field.type === 'string' || field.type === 'bytes') return '';
  return 0;
}

/** Members of oneofs are left out when unset (an empty AnyValue stays {}). */
function isOneofMember(field: protobuf.Field): boolean {
  return field.partOf !== null && field.partOf !== undefined;
}

// ---- protobuf ----

function fromDecoded(type: protobuf.Type, message: Record<string, unknown>): Canonical {
  const out: Record<string, Canonical> = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    const present = value !== undefined && value !== null && (!field.repeated || (value as unknown[]).length > 0);
    if (isOneofMember(field)) {
      if (Object.prototype.hasOwnProperty.call(message, field.name) && value !== undefined && value !== null) out[field.name] = scalarOrMessage(field, value);
      continue;
    }
    if (!present) {
      out[field.name] = defaultFor(field);
      continue;
    }
    out[field.name] = field.repeated ? (value as unknown[]).map((v) => scalarOrMessage(field, v)) : scalarOrMessage(field, value);
  }
  return out;
}

function scalarOrMessage(field: protobuf.Field, value: unknown): Canonical {
  if (field.resolvedType instanceof protobuf.Type) return fromDecoded(field.resolvedType, value as Record<string, unknown>);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('hex');
  if (INT64.has(field.type)) return String(value);
  return value as Canonical;
}

export function decodeProtobufRequest(body: Uint8Array): Canonical {
  const type = traceRequestType();
  const message = type.decode(body);
  const plain = type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: false, arrays: false, oneofs: false }) as Record<string, unknown>;
  return fromDecoded(type, plain);
}

// ---- strict JSON ----

export interface StrictJsonOptions {
  /** Accept JSON numbers for 64-bit integers (OTLP receivers must; our exporter never sends them). */
  readonly allowNumericInt64?: boolean;
}

function fail(path: string, message: string): never {
  throw new Error(`OTLP/JSON ${path}: ${message}`);
}

function readMessage(type: protobuf.Type, json: unknown, path: string, options: StrictJsonOptions): Canonical {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, `expected an object for ${type.name}`);
  const byName = new Map(type.fieldsArray.map((f) => [f.name, f]));
  const seenOneofs = new Map<string, string>();
  for (const key of Object.keys(json)) {
    const field = byName.get(key);
    if (field === undefined) fail(`${path}.${key}`, `${type.name} has no field "${key}" (lowerCamelCase names only)`);
    if (field.partOf) {
      const other = seenOneofs.get(field.partOf.name);
      if (other !== undefined) fail(`${path}.${key}`, `oneof ${field.partOf.name} already has ${other}`);
      seenOneofs.set(field.partOf.name, key);
    }
  }
  const obj = json as Record<string, unknown>;
  const out: Record<string, Canonical> = {};
  for (const field of type.fieldsArray) {
    const value = obj[field.name];
    if (isOneofMember(field)) {
      if (value !== undefined) out[field.name] = readValue(field, value, `${path}.${field.name}`, options);
      continue;
    }
    if (value === undefined) {
      out[field.name] = defaultFor(field);
      continue;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) fail(`${path}.${field.name}`, 'expected an array');
      out[field.name] = value.map((v, i) => readValue(field, v, `${path}.${field.name}[${i}]`, options));
    } else out[field.name] = readValue(field, value, `${path}.${field.name}`, options);
  }
  return out;
}

function readValue(field: protobuf.Field, value: unknown, path: string, options: StrictJsonOptions): Canonical {
  if (field.resolvedType instanceof protobuf.Type) return readMessage(field.resolvedType, value, path, options);
  if (field.resolvedType instanceof protobuf.Enum) {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, `enums are integers in OTLP/JSON, got ${JSON.stringify(value)}`);
    if (!Object.values(field.resolvedType.values).includes(value)) fail(path, `${value} is not a value of ${field.resolvedType.name}`);
    return value;
  }
  if (field.type === 'bytes') {
    // OTLP/JSON: trace_id, span_id and parent_span_id are hex, not base64.
    if (typeof value !== 'string' || !/^([0-9a-f]{2})*$/.test(value)) fail(path, `expected lowercase hex bytes, got ${JSON.stringify(value)}`);
    if (/(trace_id|traceId)$/.test(field.name) && value.length !== 32 && value.length !== 0) fail(path, 'a trace id is 16 bytes');
    if (/(span_id|spanId|SpanId)$/.test(field.name) && value.length !== 16 && value.length !== 0) fail(path, 'a span id is 8 bytes');
    return value;
  }
  if (INT64.has(field.type)) {
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return String(BigInt(value));
    if (options.allowNumericInt64 === true && typeof value === 'number' && Number.isInteger(value)) return String(value);
    fail(path, `64-bit integers are decimal strings in OTLP/JSON, got ${JSON.stringify(value)}`);
  }
  if (INT32.has(field.type)) {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, `expected an integer, got ${JSON.stringify(value)}`);
    return value;
  }
  if (field.type === 'double' || field.type === 'float') {
    if (typeof value === 'number') return value;
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    fail(path, `expected a number, got ${JSON.stringify(value)}`);
  }
  if (field.type === 'bool') {
    if (typeof value !== 'boolean') fail(path, `expected a boolean, got ${JSON.stringify(value)}`);
    return value;
  }
  if (field.type === 'string') {
    if (typeof value !== 'string') fail(path, `expected a string, got ${JSON.stringify(value)}`);
    return value;
  }
  return fail(path, `unsupported type ${field.type}`);
}

export function readJsonRequestStrict(body: string | Uint8Array, options: StrictJsonOptions = {}): Canonical {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return readMessage(traceRequestType(), JSON.parse(text), '$', options);
}
