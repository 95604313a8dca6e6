// The OpenTelemetry SDK this test process runs on. By default the 2.x SDK of the root
// devDependencies; a process started with scripts/otel-sdk-v3.mjs (scripts/run-tests.mjs starts
// one for the OpenTelemetry-mode files) resolves @opentelemetry/* from the 3.x tree and sets
// OTEL_SDK_MAJOR=3. Package names differ between the majors: 2.x apps register a
// NodeTracerProvider (sdk-trace-node); 3.x has no sdk-trace-node release, and its
// @opentelemetry/sdk-trace README registers a TracerProvider, an AsyncLocalStorage context
// manager and the W3C propagators itself, which is what registerProvider does there.
// Everything else the tests import (@opentelemetry/api, core, instrumentation,
// instrumentation-http, @fastify/otel) has the same name in both majors.

import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

export type { ReadableSpan, Sampler } from '@opentelemetry/sdk-trace';

export const sdkMajor: 2 | 3 = process.env['OTEL_SDK_MAJOR'] === '3' ? 3 : 2;

// sdk-trace-base 2.x and sdk-trace 3.x export the same processor, exporter and sampler classes;
// 3.x processors take one options object ({ exporter, ... }), 2.x ones the exporter first.
const base = sdkMajor === 3 ? await import('@opentelemetry/sdk-trace') : await import('@opentelemetry/sdk-trace-base');
export const { InMemorySpanExporter, SamplingDecision } = base;

/** What these tests set on a batch processor (typed here: the root's sdk-trace types are 2.x's). */
export interface BatchOptions {
  scheduledDelayMillis?: number;
}
type ExporterFirst = new (exporter: SpanExporter, options?: BatchOptions) => SpanProcessor;
type OptionsObject = new (options: BatchOptions & { exporter: SpanExporter }) => SpanProcessor;

function processor(ctor: unknown, exporter: SpanExporter, options: BatchOptions): SpanProcessor {
  return sdkMajor === 3 ? new (ctor as OptionsObject)({ ...options, exporter }) : new (ctor as ExporterFirst)(exporter, options);
}

/** A tracer provider that is not registered: 2.x's BasicTracerProvider, 3.x's TracerProvider. */
export function unregisteredProvider(): TracerProvider {
  const classes = base as unknown as { TracerProvider?: new () => TracerProvider; BasicTracerProvider?: new () => TracerProvider };
  const Provider = sdkMajor === 3 ? classes.TracerProvider! : classes.BasicTracerProvider!;
  return new Provider();
}

export function simpleProcessor(exporter: SpanExporter): SpanProcessor {
  return processor(base.SimpleSpanProcessor, exporter, {});
}

export function batchProcessor(exporter: SpanExporter, options: BatchOptions): SpanProcessor {
  return processor(base.BatchSpanProcessor, exporter, options);
}

export interface TracerProviderHandle extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A tracer provider with these processors (and sampler), registered globally as an app on this major registers it. */
export async function registerProvider(config: { sampler?: Sampler; spanProcessors: SpanProcessor[] }): Promise<TracerProviderHandle> {
  if (sdkMajor === 2) {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const provider = new NodeTracerProvider(config);
    provider.register();
    return provider;
  }
  const [{ TracerProvider }, { AsyncLocalStorageContextManager }, core] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] }));
  const provider = new TracerProvider(config);
  trace.setGlobalTracerProvider(provider);
  return provider;
}
