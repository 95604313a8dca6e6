// Builds the TracingRuntime from the resolved tracing options: the engine's Tracer with the
// configured sampler, feeding the export pipeline.

import { Tracer, type SamplerConfig } from '../../engine/index.js';
import type { Env, ResolvedTracing } from '../options/resolve-options.js';
import type { TracingRuntime } from './tracing-runtime.js';

export function createTracingRuntime(tracing: ResolvedTracing, env: Env): TracingRuntime {
  const tracer = new Tracer({
    sampler: tracing.sampler as SamplerConfig | undefined,
    processor: null,
    env: env as NodeJS.ProcessEnv,
  });
  return Object.freeze({
    tracer,
    propagator: tracing.propagator,
    forceFlush: () => tracer.forceFlush(),
    shutdown: () => tracer.shutdown(),
  });
}
