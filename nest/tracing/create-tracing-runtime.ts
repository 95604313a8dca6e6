// Builds the TracingRuntime from the resolved tracing options with the engine's propagator,
// sampler, tracer and export pipeline.

import type { ResolvedTracing } from '../options/resolve-options.js';
import type { TracingRuntime } from './tracing-runtime.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The runtime for `tracing`, or null when this build of the engine has no tracer yet
 * (request context and request ids still work; no span is made).
 */
export function createTracingRuntime(_tracing: ResolvedTracing, _env: Env): TracingRuntime | null {
  return null;
}
