// The baggage a request came with: kept in its store (getBaggage(), outbound propagation) and,
// for the keys of `tracing.baggage.toSpanAttributes`, written on its server span. Runs only
// for a request that carries baggage; the hook's check for one is a property read.

import { attachBaggage, copyBaggageAttributes, type Baggage, type Span } from '../../engine/index.js';
import { type ContextStore } from '../../engine/internal.js';

export function receiveBaggage(store: ContextStore, baggage: Baggage, span: Span | null, keys: readonly string[] | null): void {
  attachBaggage(store, baggage);
  if (keys !== null && span !== null && span.isRecording()) copyBaggageAttributes(span, baggage, keys);
}
