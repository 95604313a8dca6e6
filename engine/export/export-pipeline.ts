// The one entry point the Nest module (and engine users) call: options and environment in,
// a ready span processor out. Everything is validated here, at startup; nothing on the
// export path re-reads configuration.

import { invalidOption } from '../errors.js';
import type { Attributes, SpanData } from '../spans/span-data.js';
import { BatchSpanProcessor, DEFAULT_SHUTDOWN_TIMEOUT_MILLIS } from './batch-span-processor.js';
import { resolveBatchOptions, type BatchOptions, type ResolvedBatchOptions } from './batch-options.js';
import { ConsoleSpanExporter, type ConsoleExporterConfig } from './console-exporter.js';
import { envString, type Env } from '../config/env.js';
import { consoleLogger, type ExportLogger } from '../config/logger.js';
import { checkOptionKeys, optionPath, optionTimeout } from '../config/option-checks.js';
import { InMemorySpanStore, MemorySpanExporter } from './memory-exporter.js';
import { OtlpTraceExporter, resolveOtlpConfig, type OtlpExporterConfig } from './otlp/otlp-exporter.js';
import { buildResource, type Resource } from './resource.js';
import type { SpanExporter } from './span-exporter.js';
import type { SpanProcessor } from '../spans/span-processor.js';
import type { ExportStats } from './export-stats.js';
import { ZipkinExporter, resolveZipkinConfig, type ZipkinExporterConfig } from './zipkin/zipkin-exporter.js';

export interface MemoryExporterConfig {
  type: 'memory';
  /** Where spans go; pass one to read it from tests. Default: a new store (see `pipeline.memory`). */
  store?: InMemorySpanStore;
  /** Spans kept, newest first; older ones are dropped and counted (`store.dropped`). Sets the bound of `store` when both are given. Default 10000. */
  maxSpans?: number;
}

/** Any object implementing SpanExporter (serialize + send + shutdown). */
export interface CustomExporterConfig {
  type: 'custom';
  exporter: SpanExporter;
}

export type ExporterConfig = OtlpExporterConfig | ZipkinExporterConfig | ConsoleExporterConfig | MemoryExporterConfig | CustomExporterConfig;

export interface ExportPipelineOptions {
  /** Exporters, each sent every batch independently. Absent: OTEL_TRACES_EXPORTER (default 'otlp'). `[]`: export nothing. */
  exporters?: ExporterConfig[];
  batch?: BatchOptions;
  /** The resource's service.name (wins over OTEL_SERVICE_NAME). */
  serviceName?: string;
  /** Extra resource attributes (win over OTEL_RESOURCE_ATTRIBUTES). */
  resource?: Attributes;
  /** Where export warnings go. Default: console.warn. */
  logger?: ExportLogger;
  /**
   * Bound on `flushBeforeShutdown()` and `shutdown()` together, ms: what is not sent by then is
   * dropped and counted (`shutdownDropped`). Each send within it is also bounded by the export
   * timeout (`batch.exportTimeoutMillis`, `OTEL_BSP_EXPORT_TIMEOUT`). Default 5000.
   */
  shutdownTimeoutMillis?: number;
}

export interface ExportPipeline {
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  readonly batch: ResolvedBatchOptions;
  readonly exporters: readonly SpanExporter[];
  /** The first memory exporter's store, or null when none is configured. */
  readonly memory: InMemorySpanStore | null;
  stats(): ExportStats;
  /** Same as `stats()` (the name the processor and the issue use). */
  getExportStats(): ExportStats;
  forceFlush(): Promise<void>;
  /** A flush that starts the shutdown deadline (call it before the last requests drain). */
  flushBeforeShutdown(): Promise<void>;
  shutdown(): Promise<void>;
}

const TYPES = "'otlp' | 'zipkin' | 'console' | 'memory' | 'custom'";
const PIPELINE_KEYS: readonly string[] = ['exporters', 'batch', 'serviceName', 'resource', 'logger', 'shutdownTimeoutMillis'];
const CONSOLE_KEYS: readonly string[] = ['type'];
const MEMORY_KEYS: readonly string[] = ['type', 'store', 'maxSpans'];
const CUSTOM_KEYS: readonly string[] = ['type', 'exporter'];

/**
 * The exporters OTEL_TRACES_EXPORTER chooses (sdk-environment-variables.md "Exporter Selection"):
 * comma-separated, 'none' for nothing, 'otlp' when unset. Exported for an app that lists its
 * exporters in code and still lets the variable choose the remote ones.
 */
export function exportersFromEnv(env: Env = process.env, logger: ExportLogger = consoleLogger): ExporterConfig[] {
  const value = envString(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp';
  const out: ExporterConfig[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    if (name === 'none') continue;
    if (name === 'otlp' || name === 'zipkin' || name === 'console') out.push({ type: name });
    else logger.warn(`ignoring OTEL_TRACES_EXPORTER entry ${JSON.stringify(name)}: expected otlp, zipkin, console or none`);
  }
  if (seen.has('none') && out.length > 0) logger.warn('OTEL_TRACES_EXPORTER lists "none" with other exporters; using the others');
  return out;
}

function createExporter(config: ExporterConfig, path: string, resource: Resource, env: Env, logger: ExportLogger): SpanExporter {
  if (typeof config !== 'object' || config === null) throw invalidOption(path, config, `an exporter object { type: ${TYPES}, … }`);
  switch (config.type) {
    case 'otlp':
      return new OtlpTraceExporter(resolveOtlpConfig(config, env, logger, path), resource);
    case 'zipkin':
      return new ZipkinExporter(resolveZipkinConfig(config, env, logger, path), resource);
    case 'console':
      checkOptionKeys(path, config, CONSOLE_KEYS);
      return new ConsoleSpanExporter(String(resource.attributes['service.name']));
    case 'memory':
      checkOptionKeys(path, config, MEMORY_KEYS);
      if (config.store !== undefined && !(config.store instanceof InMemorySpanStore)) {
        throw invalidOption(`${path}.store`, config.store, 'an InMemorySpanStore');
      }
      if (config.maxSpans !== undefined && !(typeof config.maxSpans === 'number' && Number.isInteger(config.maxSpans) && config.maxSpans >= 1)) {
        throw invalidOption(`${path}.maxSpans`, config.maxSpans, 'an integer >= 1');
      }
      {
        const store = config.store ?? new InMemorySpanStore();
        if (config.maxSpans !== undefined) store.setMaxSpans(config.maxSpans);
        return new MemorySpanExporter(store);
      }
    case 'custom': {
      checkOptionKeys(path, config, CUSTOM_KEYS);
      const e = config.exporter as Partial<SpanExporter> | undefined;
      if (typeof e !== 'object' || e === null || typeof e.serialize !== 'function' || typeof e.send !== 'function' || typeof e.shutdown !== 'function') {
        throw invalidOption(`${path}.exporter`, config.exporter, 'an object with serialize(), send() and shutdown()');
      }
      return config.exporter;
    }
    default:
      throw invalidOption(`${path}.type`, (config as { type?: unknown }).type, TYPES);
  }
}

/** A processor for "export nothing": releases each record at once. */
const releasingProcessor: SpanProcessor = {
  onEnd(span: SpanData): void {
    span.release();
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * @param path where these options sit in the caller's configuration, so errors name the option
 *   the user wrote (the Nest module passes 'tracing': `tracing.exporters[0].endpont`). Default
 *   '' (top level: `exporters[0].endpont`).
 */
export function createExportPipeline(options: ExportPipelineOptions = {}, env: Env = process.env, path = ''): ExportPipeline {
  if (typeof options !== 'object' || options === null) throw invalidOption(path === '' ? 'export' : path, options, 'an object');
  checkOptionKeys(path, options, PIPELINE_KEYS);
  const logger = options.logger ?? consoleLogger;
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw invalidOption(optionPath(path, 'logger'), options.logger, 'an object with a warn(message) method');
  }
  const resource = buildResource(options.serviceName, options.resource, env, logger, path);
  const batch = resolveBatchOptions(options.batch, env, logger, optionPath(path, 'batch'));
  const shutdownTimeoutMillis =
    optionTimeout(optionPath(path, 'shutdownTimeoutMillis'), options.shutdownTimeoutMillis) ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const exportersPath = optionPath(path, 'exporters');
  if (options.exporters !== undefined && !Array.isArray(options.exporters)) {
    throw invalidOption(exportersPath, options.exporters, `an array of exporter objects { type: ${TYPES}, … }`);
  }
  const configs = options.exporters ?? exportersFromEnv(env, logger);
  const exporters = configs.map((config, i) => createExporter(config, `${exportersPath}[${i}]`, resource, env, logger));
  const memoryExporter = exporters.find((e): e is MemorySpanExporter => e instanceof MemorySpanExporter);
  if (exporters.length === 0) {
    const empty: ExportStats = Object.freeze({ exported: 0, dropped: 0, failed: 0, retried: 0, queueLength: 0, queueDropped: 0, shutdownDropped: 0, exporters: [] });
    return Object.freeze({
      processor: releasingProcessor,
      resource,
      batch,
      exporters,
      memory: null,
      stats: () => empty,
      getExportStats: () => empty,
      forceFlush: releasingProcessor.forceFlush,
      flushBeforeShutdown: releasingProcessor.forceFlush,
      shutdown: releasingProcessor.shutdown,
    });
  }
  const processor = new BatchSpanProcessor(exporters, batch, logger, shutdownTimeoutMillis);
  return Object.freeze({
    processor,
    resource,
    batch,
    exporters,
    memory: memoryExporter?.store ?? null,
    stats: () => processor.getExportStats(),
    getExportStats: () => processor.getExportStats(),
    forceFlush: () => processor.forceFlush(),
    flushBeforeShutdown: () => processor.flushBeforeShutdown(),
    shutdown: () => processor.shutdown(),
  });
}
