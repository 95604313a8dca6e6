// Several formats at once: extract in the configured order (first valid context wins),
// inject every configured format. Resolved once at startup into two frozen arrays.

import type { IncomingHeaders, Propagator } from './propagator.js';
import type { TraceContext } from './trace-context.js';

function noExtract(): null {
  return null;
}
function noInject(): void {}

/** Reads nothing, writes nothing (`OTEL_PROPAGATORS=none`). */
export const noopPropagator: Propagator = Object.freeze({
  extract: noExtract,
  inject: noInject,
  fields: Object.freeze([] as string[]),
});

export function createCompositePropagator(extractors: readonly Propagator[], injectors: readonly Propagator[]): Propagator {
  // A single propagator on each side that is the same object is returned as is: no wrapper
  // on the hot path for the common one-format setup.
  if (extractors.length === 1 && injectors.length === 1 && extractors[0] === injectors[0]) return extractors[0]!;
  const readers = Object.freeze(extractors.slice());
  const writers = Object.freeze(injectors.slice());
  const fields = new Set<string>();
  for (const p of readers) for (const f of p.fields) fields.add(f);
  for (const p of writers) for (const f of p.fields) fields.add(f);
  return Object.freeze({
    extract(headers: IncomingHeaders): TraceContext | null {
      for (let i = 0; i < readers.length; i++) {
        const ctx = readers[i]!.extract(headers);
        if (ctx !== null) return ctx;
      }
      return null;
    },
    inject(ctx: TraceContext, headers: Record<string, string>): void {
      for (let i = 0; i < writers.length; i++) writers[i]!.inject(ctx, headers);
    },
    fields: Object.freeze([...fields]),
  });
}
