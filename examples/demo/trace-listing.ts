// GET /traces: recent traces, each with its spans, newest trace first. A plain function over
// the memory exporter's spans so both services (and the gateway's merge) share it.

/** The fields of an exported span the listing shows (the memory exporter's FinishedSpan has them). */
export interface ListedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly startTime: number;
  readonly duration: number;
  readonly status: { readonly code: number; readonly message?: string };
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Added by the listing: which demo service recorded the span. */
  readonly service?: string;
}

export interface ListedTrace {
  readonly traceId: string;
  readonly spans: ListedSpan[];
}

const KIND_NAMES = ['internal', 'server', 'client', 'producer', 'consumer'];

/** Groups spans by trace id: traces newest first (by their earliest span), spans by start time. */
export function listTraces(spans: readonly ListedSpan[], limit: number): ListedTrace[] {
  const byTrace = new Map<string, ListedSpan[]>();
  for (const span of spans) {
    let list = byTrace.get(span.traceId);
    if (list === undefined) byTrace.set(span.traceId, (list = []));
    list.push(span);
  }
  const traces: ListedTrace[] = [];
  for (const [traceId, list] of byTrace) traces.push({ traceId, spans: list.sort((a, b) => a.startTime - b.startTime) });
  traces.sort((a, b) => b.spans[0]!.startTime - a.spans[0]!.startTime);
  return traces.slice(0, limit);
}

/** A span as JSON for /traces: ids, name, kind by name, service, times, status, attributes. */
export function describeSpan(span: ListedSpan, service: string): ListedSpan & { kindName: string } {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    kindName: KIND_NAMES[span.kind] ?? 'internal',
    service: span.service ?? service,
    startTime: span.startTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
  };
}
