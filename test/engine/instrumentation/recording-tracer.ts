// A small tracer for the instrumentation tests until they run on engine/spans' Tracer: it
// parents each span on the active trace (as the real tracer does) and keeps every span it made.

import { currentStore, runWithSpan } from '../../../engine/context/index.js';
import { TraceContext } from '../../../engine/propagation/trace-context.js';
import { generateSpanId, generateTraceId } from '../../../engine/ids/trace-ids.js';
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode } from '../../../engine/spans/span-data.js';
import type { OutboundSpan, OutboundTracer } from '../../../engine/instrumentation/index.js';
import { activeTraceContext } from '../../../engine/instrumentation/active-trace.js';

export class RecordedSpan implements OutboundSpan {
  readonly attributes: Record<string, AttributeValue> = {};
  status: { code: SpanStatusCode; message?: string } = { code: 0 };
  exceptions: unknown[] = [];
  ended = false;
  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    readonly context: TraceContext,
    attributes: Attributes | undefined,
  ) {
    for (const key in attributes) if (attributes[key] !== undefined) this.attributes[key] = attributes[key]!;
  }
  spanContext(): TraceContext {
    return this.context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setStatus(status: { code: SpanStatusCode; message?: string }): this {
    this.status = status;
    return this;
  }
  recordException(exception: unknown): void {
    this.exceptions.push(exception);
  }
  end(): void {
    if (this.ended) throw new Error(`span ${this.name} ended twice`);
    this.ended = true;
  }
}

export class RecordingTracer implements OutboundTracer {
  readonly spans: RecordedSpan[] = [];
  startSpan(name: string, options: { kind: SpanKind; attributes?: Attributes }): RecordedSpan {
    const store = currentStore();
    const parent = store === undefined ? null : activeTraceContext(store);
    const ctx =
      parent === null
        ? new TraceContext(generateTraceId(), generateSpanId(), 1, undefined, false, undefined)
        : new TraceContext(parent.traceId, generateSpanId(), parent.traceFlags, parent.traceState, false, parent.spanId);
    const span = new RecordedSpan(name, options.kind, ctx, options.attributes);
    this.spans.push(span);
    return span;
  }
}

/** Runs `fn` in a new context whose active trace is `parent` (a remote parent, as after extract). */
export function inTrace<R>(parent: TraceContext, fn: () => R): R {
  return runWithSpan(parent, fn);
}

export const REMOTE_PARENT = new TraceContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7', true, undefined);
export const UNSAMPLED_PARENT = new TraceContext('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 0, undefined, true, undefined);
