// The process-wide tracer used by the module-level functions (and by code that has no Nest DI,
// such as jobs and scripts). Until setGlobalTracer is called it is a disabled tracer: spans are
// non-recording carriers of the active ids, so runWithTrace/getTraceContext propagation works
// and nothing is recorded.

import type { TraceContext } from '../propagation/trace-context.js';
import type { Span, StartSpanOptions } from './span.js';
import { Tracer, type TraceSeed } from './tracer.js';

let globalTracer: Tracer | null = null;

export function setGlobalTracer(tracer: Tracer): void {
  if (!(tracer instanceof Tracer)) throw new TypeError('setGlobalTracer needs a Tracer');
  globalTracer = tracer;
}

export function getGlobalTracer(): Tracer {
  if (globalTracer === null) globalTracer = new Tracer({ enabled: false, poolSize: 0, sampler: { type: 'always_off' } });
  return globalTracer;
}

export function startSpan(name: string, options?: StartSpanOptions): Span {
  return getGlobalTracer().startSpan(name, options);
}

export function startActiveSpan<R>(name: string, fn: (span: Span) => R): R;
export function startActiveSpan<R>(name: string, options: StartSpanOptions | undefined, fn: (span: Span) => R): R;
export function startActiveSpan<R>(name: string, a: StartSpanOptions | undefined | ((span: Span) => R), b?: (span: Span) => R): R {
  const tracer = getGlobalTracer();
  return typeof a === 'function' ? tracer.startActiveSpan(name, a) : tracer.startActiveSpan(name, a, b as (span: Span) => R);
}

export function withSpan<R>(span: Span, fn: () => R): R {
  return getGlobalTracer().withSpan(span, fn);
}

export function runWithTrace<R>(seed: TraceSeed, fn: () => R): R {
  return getGlobalTracer().runWithTrace(seed, fn);
}

export function getTraceContext(): TraceContext | undefined {
  return getGlobalTracer().getTraceContext();
}

export function getActiveSpan(): Span | undefined {
  return getGlobalTracer().getActiveSpan();
}
