// OTLP/HTTP trace exporter (otlp/docs/specification.md "OTLP/HTTP"): binary protobuf
// (default, as the SDK spec's SHOULD) or JSON, POSTed to /v1/traces.
// Configuration precedence, as in OpenTelemetry's SDKs: options in code, then
// OTEL_EXPORTER_OTLP_TRACES_*, then OTEL_EXPORTER_OTLP_*, then defaults.

import type { SpanData } from '../../spans/span-data.js';
import type { Env } from '../../config/env.js';
import type { ExportLogger } from '../../config/logger.js';
import { checkOptionKeys } from '../../config/option-checks.js';
import { resolveOtlpHttpSettings, type OtlpHttpOptions, type OtlpHttpSettings } from '../../otlp/otlp-http-settings.js';
import type { Resource } from '../resource.js';
import { outcome, type SendOutcome, type SpanExporter } from '../span-exporter.js';
import { HttpTransport } from '../transport/http-transport.js';
import { redactedHref } from '../../config/redact-endpoint.js';
import { OtlpJsonSerializer } from './otlp-json.js';
import { OtlpProtobufSerializer } from './otlp-protobuf.js';
import { parsePartialSuccessJson, parsePartialSuccessProtobuf, type PartialSuccess } from './otlp-response.js';

export type { OtlpCompression as Compression, OtlpProtocol } from '../../otlp/otlp-http-settings.js';

/** `endpoint` is the full traces URL, used as is (default `http://localhost:4318/v1/traces`, or from `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`). */
export interface OtlpExporterConfig extends OtlpHttpOptions {
  type: 'otlp';
}

export type ResolvedOtlpConfig = OtlpHttpSettings;

const OTLP_KEYS: readonly string[] = ['type', 'protocol', 'endpoint', 'headers', 'compression', 'timeoutMs'];

export function resolveOtlpConfig(config: OtlpExporterConfig, env: Env, logger: ExportLogger, path: string): ResolvedOtlpConfig {
  checkOptionKeys(path, config, OTLP_KEYS);
  return resolveOtlpHttpSettings('traces', config, env, logger, path);
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
