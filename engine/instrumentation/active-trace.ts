// The trace context of the active scope. The context store's `span` slot is owned by
// engine/spans: it holds a span (anything with spanContext()) or, for a remote parent that has
// no local span yet, the extracted TraceContext itself.

import type { ContextStore } from '../context/index.js';
import { TraceContext } from '../propagation/trace-context.js';

interface HasSpanContext {
  spanContext(): TraceContext;
}

export function activeTraceContext(store: ContextStore): TraceContext | null {
  const slot = store.span;
  if (slot === null) return null;
  if (slot instanceof TraceContext) return slot;
  if (typeof (slot as Partial<HasSpanContext>).spanContext === 'function') {
    const ctx = (slot as HasSpanContext).spanContext();
    return ctx instanceof TraceContext ? ctx : null;
  }
  return null;
}
