// Builds the TracingRuntime from the resolved tracing options: the export pipeline (exporters,
// batch processor, resource) and the engine's Tracer with the configured sampler feeding it.

import { TailSampler, Tracer, createExportPipeline, createSampler, type ExporterConfig, type SamplerConfig, type SpanEndHook } from '../../engine/index.js';
import type { Env, ResolvedTracing } from '../options/resolve-options.js';
import { createOtelRuntime } from '../otel/otel-runtime.js';
import { defaultMemoryStore } from './memory-span-store.js';
import type { TracingRuntime } from './tracing-runtime.js';

/** `{ type: 'memory' }` without a store writes to the process-wide testing store. */
function withDefaultStore(config: Readonly<Record<string, unknown>>): ExporterConfig {
  return (config['type'] === 'memory' && config['store'] === undefined ? { ...config, store: defaultMemoryStore } : config) as unknown as ExporterConfig;
}

/** `onSpanEnd`: RED metrics' hook (every ended CLIENT/CONSUMER/SERVER span, sampled or not), or null. */
export function createTracingRuntime(tracing: ResolvedTracing, env: Env, onSpanEnd: SpanEndHook | null = null): TracingRuntime {
  if (tracing.otel !== null) return createOtelRuntime(tracing.otel, onSpanEnd);
  // Built here rather than by the Tracer so its errors name the option as written
  // (`tracing.sampler.ratio`), and before the pipeline so a bad sampler leaves no exporter behind.
  const sampler = createSampler(
    tracing.sampler as SamplerConfig | undefined,
    env as NodeJS.ProcessEnv,
    tracing.optionPath === '' ? 'sampler' : `${tracing.optionPath}.sampler`,
  );
  const pipeline = createExportPipeline(
    {
      exporters: tracing.exporters?.map(withDefaultStore),
      batch: tracing.batch as never,
      serviceName: tracing.serviceName,
      resource: tracing.resource,
      shutdownTimeoutMillis: tracing.shutdownTimeoutMillis as never,
    },
    env,
    tracing.optionPath,
  );
  const tracer = new Tracer({ sampler, processor: pipeline.processor, onSpanEnd, env, baggageAttributes: tracing.baggageAttributes ?? undefined });
  return Object.freeze({
    tracer,
    propagator: tracing.propagator,
    // A tail sampler's counters ride in the export stats: what it kept and dropped is export volume.
    stats: sampler instanceof TailSampler ? () => ({ ...pipeline.stats(), tail: sampler.stats() }) : () => pipeline.stats(),
    forceFlush: () => pipeline.forceFlush(),
    flushBeforeShutdown: () => pipeline.flushBeforeShutdown(),
    shutdown: () => pipeline.shutdown(),
  });
}
