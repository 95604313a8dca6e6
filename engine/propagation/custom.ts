// Custom headers: the ids in two named headers as plain hex, e.g.
// `headers: { traceId: 'x-trace-id', spanId: 'x-span-id' }`. Trace id 32 hex (16 is
// left-padded), span id 16 hex, any case (lowered), not zero. The pair carries no sampling
// decision; it arrives as sampled so the default parent-based sampler records the request, as
// a service that sends only these two headers expects for every request.

import { hexIdAnyCase, ZERO_HEX_64 } from '../ids/hex.js';
import { singleValue } from './propagator.js';
import type { IncomingHeaders, Propagator } from './propagator.js';
import { FLAG_SAMPLED, TraceContext } from './trace-context.js';

export interface CustomHeaderNames {
  /** Header carrying the trace id, e.g. `x-trace-id`. */
  readonly traceId: string;
  /** Header carrying the caller's span id, e.g. `x-span-id`. */
  readonly spanId: string;
}

/** Header names must already be validated and lower-cased (createPropagator does both). */
export function createCustomPropagator(names: CustomHeaderNames): Propagator {
  const traceName = names.traceId;
  const spanName = names.spanId;
  return Object.freeze({
    extract(headers: IncomingHeaders): TraceContext | null {
      const rawTrace = singleValue(headers, traceName);
      const rawSpan = singleValue(headers, spanName);
      if (rawTrace === undefined || rawSpan === undefined || rawSpan.length !== 16) return null;
      if (rawTrace.length !== 32 && rawTrace.length !== 16) return null;
      const low = hexIdAnyCase(rawTrace, 0, rawTrace.length);
      const spanId = hexIdAnyCase(rawSpan, 0, 16);
      if (low === null || spanId === null) return null;
      const traceId = low.length === 32 ? low : ZERO_HEX_64 + low;
      return new TraceContext(traceId, spanId, FLAG_SAMPLED, undefined, true, undefined);
    },
    inject(ctx: TraceContext, headers: Record<string, string>): void {
      headers[traceName] = ctx.traceId;
      headers[spanName] = ctx.spanId;
    },
    fields: Object.freeze([traceName, spanName]),
  });
}
