// Batch processor settings: options in code win over OTEL_BSP_* (sdk-environment-variables.md
// "Batch Span Processor"), which win over the spec defaults (2048 / 512 / 5000 ms / 30000 ms).

import { invalidOption } from '../errors.js';
import { envInteger, type Env } from '../config/env.js';
import type { ExportLogger } from '../config/logger.js';
import { checkOptionKeys } from '../config/option-checks.js';

export interface BatchOptions {
  /** Spans held before new ones are dropped. Default 2048 (`OTEL_BSP_MAX_QUEUE_SIZE`). */
  maxQueueSize?: number;
  /** Spans per export request. Default 512, at most maxQueueSize (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`). */
  maxExportBatchSize?: number;
  /** Longest a span waits in the queue, ms. Default 5000 (`OTEL_BSP_SCHEDULE_DELAY`). */
  scheduledDelayMillis?: number;
  /** Bound on one export (retries included), and on forceFlush/shutdown, ms. Default 30000 (`OTEL_BSP_EXPORT_TIMEOUT`). */
  exportTimeoutMillis?: number;
}

export interface ResolvedBatchOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

const BATCH_KEYS: readonly string[] = ['maxQueueSize', 'maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis'];

function optionInteger(path: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  throw invalidOption(path, value, `an integer >= ${min}`);
}

export function resolveBatchOptions(
  options: BatchOptions | undefined,
  env: Env,
  logger: ExportLogger,
  path = 'batch',
): ResolvedBatchOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalidOption(path, options, 'an object { maxQueueSize?, maxExportBatchSize?, scheduledDelayMillis?, exportTimeoutMillis? }');
  }
  const o = options ?? {};
  checkOptionKeys(path, o, BATCH_KEYS);
  const maxQueueSize =
    optionInteger(`${path}.maxQueueSize`, o.maxQueueSize, 1) ?? envInteger(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 1, logger) ?? 2048;
  let maxExportBatchSize =
    optionInteger(`${path}.maxExportBatchSize`, o.maxExportBatchSize, 1) ??
    envInteger(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1, logger) ??
    512;
  const scheduledDelayMillis =
    optionInteger(`${path}.scheduledDelayMillis`, o.scheduledDelayMillis, 0) ?? envInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 0, logger) ?? 5000;
  const exportTimeoutMillis =
    optionInteger(`${path}.exportTimeoutMillis`, o.exportTimeoutMillis, 1) ?? envInteger(env, 'OTEL_BSP_EXPORT_TIMEOUT', 1, logger) ?? 30000;
  if (maxExportBatchSize > maxQueueSize) {
    // sdk.md: "maxExportBatchSize ... must be less than or equal to maxQueueSize"; OpenTelemetry
    // JS clamps with a warning rather than failing, and so do we.
    logger.warn(`maxExportBatchSize ${maxExportBatchSize} is above maxQueueSize ${maxQueueSize}; using ${maxQueueSize}`);
    maxExportBatchSize = maxQueueSize;
  }
  return Object.freeze({ maxQueueSize, maxExportBatchSize, scheduledDelayMillis, exportTimeoutMillis });
}
