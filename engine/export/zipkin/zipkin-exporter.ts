// Zipkin v2 exporter: a JSON array of spans POSTed to /api/v2/spans (zipkin2-api.yaml; the
// server answers 202). Same transport and retry rules as OTLP: Zipkin defines none of its own,
// and a collector behind a proxy answers 429/503 the same way.

import type { SpanData } from '../../spans/span-data.js';
import { envFirst, type Env } from '../../config/env.js';
import type { ExportLogger } from '../../config/logger.js';
import { redactedHref } from '../../config/redact-endpoint.js';
import { checkOptionKeys, envTimeout, envUrl, optionHeaders, optionTimeout, optionUrl } from '../../config/option-checks.js';
import type { Resource } from '../resource.js';
import { outcome, type SendOutcome, type SpanExporter } from '../span-exporter.js';
import { HttpTransport } from '../transport/http-transport.js';
import { ZipkinJsonSerializer } from './zipkin-json.js';

export interface ZipkinExporterConfig {
  type: 'zipkin';
  /** Default `http://localhost:9411/api/v2/spans` (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`). */
  endpoint?: string;
  headers?: Record<string, string>;
  /** Bound on one export including retries, ms. Default 10000 (`OTEL_EXPORTER_ZIPKIN_TIMEOUT`). */
  timeoutMs?: number;
}

export interface ResolvedZipkinConfig {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

const ZIPKIN_KEYS: readonly string[] = ['type', 'endpoint', 'headers', 'timeoutMs'];

export function resolveZipkinConfig(config: ZipkinExporterConfig, env: Env, logger: ExportLogger, path: string): ResolvedZipkinConfig {
  checkOptionKeys(path, config, ZIPKIN_KEYS);
  let url = optionUrl(`${path}.endpoint`, config.endpoint);
  if (url === undefined) {
    const found = envFirst(env, ['OTEL_EXPORTER_ZIPKIN_ENDPOINT']);
    if (found !== undefined) url = envUrl(found.name, found.value, logger);
  }
  return Object.freeze({
    url: url ?? new URL('http://localhost:9411/api/v2/spans'),
    headers: Object.freeze(optionHeaders(`${path}.headers`, config.headers)),
    timeoutMs: optionTimeout(`${path}.timeoutMs`, config.timeoutMs) ?? envTimeout(env, ['OTEL_EXPORTER_ZIPKIN_TIMEOUT'], logger) ?? 10000,
  });
}

export class ZipkinExporter implements SpanExporter<string> {
  readonly name: string;
  readonly config: ResolvedZipkinConfig;
  private readonly serializer: ZipkinJsonSerializer;
  private readonly transport: HttpTransport;

  constructor(config: ResolvedZipkinConfig, resource: Resource) {
    this.config = config;
    this.name = `zipkin ${redactedHref(config.url)}`;
    this.serializer = new ZipkinJsonSerializer(String(resource.attributes['service.name']));
    this.transport = new HttpTransport({ url: config.url, headers: config.headers, contentType: 'application/json', gzip: false });
  }

  serialize(spans: readonly SpanData[], count: number): string {
    return this.serializer.serialize(spans, count);
  }

  async send(payload: string, count: number, timeoutMs: number): Promise<SendOutcome> {
    const result = await this.transport.post(payload, Math.min(timeoutMs, this.config.timeoutMs));
    return result.error === null ? outcome(count, 0, 0, result.retries, null) : outcome(0, 0, count, result.retries, result.error);
  }

  stopRetrying(): void {
    this.transport.stopRetrying();
  }

  shutdown(): Promise<void> {
    this.transport.shutdown();
    return Promise.resolve();
  }
}
