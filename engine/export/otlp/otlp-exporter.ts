// OTLP/HTTP trace exporter (otlp/docs/specification.md "OTLP/HTTP"): binary protobuf
// (default, as the SDK spec's SHOULD) or JSON, POSTed to /v1/traces.
// Configuration precedence, as in OpenTelemetry's SDKs: options in code, then
// OTEL_EXPORTER_OTLP_TRACES_*, then OTEL_EXPORTER_OTLP_*, then defaults.

import type { SpanData } from '../../spans/span-data.js';
import { envFirst, type Env } from '../env.js';
import type { ExportLogger } from '../export-logger.js';
import {
  checkOptionKeys,
  envEnum,
  envHeaders,
  envTimeout,
  envUrl,
  optionEnum,
  optionHeaders,
  optionTimeout,
  optionUrl,
} from '../exporter-options.js';
import type { Resource } from '../resource.js';
import { outcome, type SendOutcome, type SpanExporter } from '../span-exporter.js';
import { HttpTransport } from '../transport/http-transport.js';
import { redactedHref } from '../redact-endpoint.js';
import { OtlpJsonSerializer } from './otlp-json.js';
import { OtlpProtobufSerializer } from './otlp-protobuf.js';
import { parsePartialSuccessJson, parsePartialSuccessProtobuf, type PartialSuccess } from './otlp-response.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type Compression = 'gzip' | 'none';

export interface OtlpExporterConfig {
  type: 'otlp';
  /** Default 'http/protobuf' (`OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL`). */
  protocol?: OtlpProtocol;
  /** Full URL, used as is. Default `http://localhost:4318/v1/traces` (`OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`). */
  endpoint?: string;
  /** Extra request headers, e.g. `{ 'api-key': '…' }` (merged over `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS`). */
  headers?: Record<string, string>;
  /** Default 'none' (`OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION`). */
  compression?: Compression;
  /** Bound on one export including retries, ms. Default 10000 (`OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT`). */
  timeoutMs?: number;
}

export interface ResolvedOtlpConfig {
  readonly protocol: OtlpProtocol;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: Compression;
  readonly timeoutMs: number;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const COMPRESSIONS: readonly Compression[] = ['gzip', 'none'];
const OTLP_KEYS: readonly string[] = ['type', 'protocol', 'endpoint', 'headers', 'compression', 'timeoutMs'];
const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces';

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: `v1/traces` is appended after a `/`. */
function signalUrl(base: URL): URL {
  const url = new URL(base.href);
  url.pathname = url.pathname.endsWith('/') ? `${url.pathname}v1/traces` : `${url.pathname}/v1/traces`;
  return url;
}

export function resolveOtlpConfig(config: OtlpExporterConfig, env: Env, logger: ExportLogger, path: string): ResolvedOtlpConfig {
  checkOptionKeys(path, config, OTLP_KEYS);
  let protocol = optionEnum(`${path}.protocol`, config.protocol, PROTOCOLS);
  if (protocol === undefined) {
    const found = envFirst(env, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']);
    if (found !== undefined && found.value === 'grpc') {
      logger.warn(`${found.name}=grpc is not supported (OTLP/HTTP only); using http/protobuf`);
    } else {
      protocol = envEnum(env, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'], PROTOCOLS, logger);
    }
  }
  let url = optionUrl(`${path}.endpoint`, config.endpoint);
  if (url === undefined) {
    const specific = envFirst(env, ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
    if (specific !== undefined) url = envUrl(specific.name, specific.value, logger);
  }
  if (url === undefined) {
    const generic = envFirst(env, ['OTEL_EXPORTER_OTLP_ENDPOINT']);
    if (generic !== undefined) {
      const base = envUrl(generic.name, generic.value, logger);
      if (base !== undefined) url = signalUrl(base);
    }
  }
  const headers = {
    ...envHeaders(env, ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'], logger),
    ...optionHeaders(`${path}.headers`, config.headers),
  };
  const compression =
    optionEnum(`${path}.compression`, config.compression, COMPRESSIONS) ??
    envEnum(env, ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'], COMPRESSIONS, logger) ??
    'none';
  const timeoutMs =
    optionTimeout(`${path}.timeoutMs`, config.timeoutMs) ??
    envTimeout(env, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], logger) ??
    10000;
  return Object.freeze({
    protocol: protocol ?? 'http/protobuf',
    url: url ?? new URL(DEFAULT_ENDPOINT),
    headers: Object.freeze(headers),
    compression,
    timeoutMs,
  });
}

export class OtlpTraceExporter implements SpanExporter<Buffer> {
  readonly name: string;
  readonly config: ResolvedOtlpConfig;
  private readonly serializer: { serialize(spans: readonly SpanData[], count: number): Buffer };
  private readonly readResponse: (body: Uint8Array) => PartialSuccess;
  private readonly transport: HttpTransport;

  constructor(config: ResolvedOtlpConfig, resource: Resource) {
    this.config = config;
    this.name = `otlp ${config.protocol} ${redactedHref(config.url)}`;
    const json = config.protocol === 'http/json';
    this.serializer = json ? new OtlpJsonSerializer(resource) : new OtlpProtobufSerializer(resource);
    this.readResponse = json ? parsePartialSuccessJson : parsePartialSuccessProtobuf;
    this.transport = new HttpTransport({
      url: config.url,
      headers: config.headers,
      contentType: json ? 'application/json' : 'application/x-protobuf',
      gzip: config.compression === 'gzip',
    });
  }

  serialize(spans: readonly SpanData[], count: number): Buffer {
    return this.serializer.serialize(spans, count);
  }

  async send(payload: Buffer, count: number, timeoutMs: number): Promise<SendOutcome> {
    const result = await this.transport.post(payload, Math.min(timeoutMs, this.config.timeoutMs));
    if (result.error !== null) return outcome(0, 0, count, result.retries, result.error);
    // otlp spec "Partial Success": the request succeeded, `rejected_spans` were not accepted; no retry.
    const partial = this.readResponse(result.body);
    const rejected = Math.min(count, partial.rejectedSpans);
    if (rejected === 0) return outcome(count, 0, 0, result.retries, null);
    return outcome(
      count - rejected,
      rejected,
      0,
      result.retries,
      new Error(`collector rejected ${rejected} spans${partial.errorMessage === '' ? '' : `: ${partial.errorMessage}`}`),
    );
  }

  stopRetrying(): void {
    this.transport.stopRetrying();
  }

  shutdown(): Promise<void> {
    this.transport.shutdown();
    return Promise.resolve();
  }
}
