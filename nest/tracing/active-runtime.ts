// The tracing runtime of the running app, set when the module starts and cleared when it
// stops. Static RequestContextService calls, decorators and later layers (outbound HTTP,
// microservices) read it here rather than through DI, so they work from plain functions too.

import type { TracingRuntime } from './tracing-runtime.js';

let active: TracingRuntime | null = null;

/** The runtime of the started module, or null (not started, or tracing off). */
export function getTracingRuntime(): TracingRuntime | null {
  return active;
}

export function setTracingRuntime(runtime: TracingRuntime | null): void {
  active = runtime;
}
