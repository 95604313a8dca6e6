// GET /traces?limit=20: recent traces, spans grouped by trace id. Each service serves its own
// spans; a service configured with upstreams (the gateway) merges theirs in, so one call shows
// the whole distributed trace.

import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { InMemorySpanStore } from './demo-tracing.js';
import { describeSpan, listTraces, type ListedSpan, type ListedTrace } from './trace-listing.js';

export const TRACES_SOURCE = Symbol('TRACES_SOURCE');

export interface TracesSource {
  readonly service: string;
  readonly store: InMemorySpanStore;
  /** Origins of services whose /traces are merged in. */
  readonly upstreams: readonly string[];
}

/**
 * Spans read per trace asked for: the listing reads the newest `limit × this` spans of the
 * store, not all of it, so a poll costs the same with 100 or 10,000 spans held. A demo trace
 * has 5 spans; a trace with more, or interleaved with many others, may show only its newest.
 */
export const SPANS_READ_PER_TRACE = 50;

function parseLimit(raw: string | undefined): number {
  const n = raw === undefined ? 20 : Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 500) : 20;
}

@Controller('traces')
export class TracesController {
  constructor(@Inject(TRACES_SOURCE) private readonly source: TracesSource) {}

  @Get()
  async list(@Query('limit') limit?: string): Promise<{ service: string; traces: ListedTrace[]; unreachable: string[] }> {
    const n = parseLimit(limit);
    const spans: ListedSpan[] = this.source.store.newest(n * SPANS_READ_PER_TRACE).map((span) => describeSpan(span, this.source.service));
    const unreachable: string[] = [];
    for (const upstream of this.source.upstreams) {
      try {
        const reply = await fetch(`${upstream}/traces?limit=${n}`, { signal: AbortSignal.timeout(2000) });
        const body = (await reply.json()) as { traces?: ListedTrace[] };
        for (const trace of body.traces ?? []) spans.push(...trace.spans);
      } catch {
        unreachable.push(upstream);
      }
    }
    return { service: this.source.service, traces: listTraces(spans, n), unreachable };
  }
}
