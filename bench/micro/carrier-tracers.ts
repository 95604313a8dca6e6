// The two tracers the carrier benches (jobs, microservices) compare, set up the same way:
// ours, always on, with a processor that only releases the record (what the batch processor
// does after serializing), installed for trace carriers with W3C; OpenTelemetry JS's
// BasicTracerProvider, always on, no processor, with its W3C propagator and ALS context manager.
import { context as otelContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { configureTraceCarriers } from '../../engine/jobs/carrier-tracing.js';
import { w3cPropagator } from '../../engine/propagation/w3c.js';
import { Tracer } from '../../engine/spans/tracer.js';
import { releasingProcessor } from './releasing-processor.js';

otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

export const ours = new Tracer({
  sampler: { type: 'always_on' },
  processor: releasingProcessor,
});
configureTraceCarriers({ tracer: ours, propagator: w3cPropagator });

export const otel = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench');
export const otelPropagator = new W3CTraceContextPropagator();
