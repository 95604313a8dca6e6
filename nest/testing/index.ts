// `nestjs-trace-context/testing`: read the spans an app exported through
// `exporters: [{ type: 'memory' }]`, in tests.
//
// Spans reach the memory exporter through the batch processor, after the response has been
// sent (the server span ends in onResponse), so use `waitForFinishedSpans(n)` after a request
// or `flushSpans()` before reading.

import type { FinishedSpan } from '../../engine/index.js';
import { getTracingRuntime } from '../tracing/active-runtime.js';
import { defaultMemoryStore } from '../tracing/memory-span-store.js';

export type { FinishedSpan, FinishedSpanEvent, FinishedSpanLink } from '../../engine/index.js';

/** Spans exported so far (oldest first): name, kind, ids, parent span id, attributes, events, status, times. */
export function getFinishedSpans(): FinishedSpan[] {
  return defaultMemoryStore.getFinishedSpans();
}

/** Forgets every exported span. */
export function resetFinishedSpans(): void {
  defaultMemoryStore.reset();
}

/** Exports what the running app has queued now. */
export async function flushSpans(): Promise<void> {
  const runtime = getTracingRuntime();
  if (runtime !== null) await runtime.forceFlush();
}

/**
 * Flushes until at least `count` spans (matching `filter`, when given) were exported, then
 * returns those; rejects after `timeoutMs` (default 2000) saying how many arrived.
 */
export async function waitForFinishedSpans(
  count: number,
  options: { timeoutMs?: number; filter?: (span: FinishedSpan) => boolean } = {},
): Promise<FinishedSpan[]> {
  const until = Date.now() + (options.timeoutMs ?? 2000);
  const filter = options.filter;
  for (;;) {
    await flushSpans();
    const spans = filter === undefined ? getFinishedSpans() : getFinishedSpans().filter(filter);
    if (spans.length >= count) return spans;
    if (Date.now() > until) throw new Error(`waited for ${count} finished spans, ${spans.length} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
