// The Propagator contract over OpenTelemetry's configured global propagator ('otel' mode), so
// incoming headers are read, and outgoing calls written, in the formats the SDK was set up
// with (OTEL_PROPAGATORS, NodeSDK's textMapPropagator), baggage included.

import type { IncomingHeaders, Propagator } from '../propagation/propagator.js';
import type { TraceContext } from '../propagation/trace-context.js';
import type { OtelApi } from './otel-api.js';
import { otelContextOf } from './otel-context.js';
import { OtelRemoteParent } from './otel-span.js';

export class OtelPropagator implements Propagator {
  readonly fields: readonly string[];
  private readonly api: OtelApi;

  constructor(api: OtelApi) {
    this.api = api;
    let fields: string[] = [];
    try {
      fields = api.propagation.fields();
    } catch {
      // A propagator whose fields() throws still extracts and injects.
    }
    this.fields = Object.freeze(Array.isArray(fields) ? fields.slice() : []);
  }

  /** The caller's context as OTel's propagator reads it, or null. Never throws. */
  extract(headers: IncomingHeaders): TraceContext | null {
    const api = this.api;
    try {
      const ctx = api.propagation.extract(api.ROOT_CONTEXT, headers as Record<string, unknown>);
      const span = api.trace.getSpan(ctx);
      if (span === undefined) return null;
      const sc = span.spanContext();
      return api.trace.isSpanContextValid(sc) ? new OtelRemoteParent(sc, ctx) : null;
    } catch {
      return null;
    }
  }

  /** Writes `ctx` (and the active baggage) with OTel's propagator. Never throws. */
  inject(ctx: TraceContext, headers: Record<string, string>): void {
    const api = this.api;
    try {
      api.propagation.inject(otelContextOf(api, ctx, api.context.active()), headers);
    } catch {
      // A failing third-party propagator must not fail the outgoing call.
    }
  }
}
