// The integration surface the Nest layer builds on: the context store it opens per request, the
// hooks that point jobs and message carriers at its tracing runtime, the option resolvers it
// maps its own options onto, and the OpenTelemetry api registration. Not a package entry:
// package.json does not export it, so application code sees only engine/index.ts.

// the request's context store
export { ContextStore, currentStore, runWithStore, createStore, runWithSpan } from './context/index.js';

// propagation options (`propagation`, `OTEL_PROPAGATORS`)
export { parsePropagatorsEnv, resolvePropagationFormat, resolvePropagationFormats } from './propagation/create-propagator.js';

// library spans as the module options configure them
export { startLibrarySpans, resolveLibraryInstrumentations } from './instrumentation/index.js';

// jobs and message carriers: where their tracing comes from
export { setTraceCarrierSource, carrierTracing } from './jobs/carrier-tracing.js';

// 'otel' mode: the engine registered in @opentelemetry/api
export { registerOtelApiGlobals } from './otel/api-global.js';
