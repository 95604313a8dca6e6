export { enableOutboundHttp, disableOutboundHttp, isOutboundHttpEnabled } from './outbound-http.js';
export { injectTraceHeaders } from './inject-trace-headers.js';
export type {
  OutboundHttpOptions,
  OutboundPropagator,
  OutboundSpan,
  OutboundTracer,
} from './outbound-config.js';
export type { PropagateTo } from './propagate-to.js';
export { enableLibrarySpans, startLibrarySpans } from './library-instrumentations.js';
export type { LibrarySpansOptions } from './library-instrumentations.js';
export { resolveLibraryInstrumentations } from './library-options.js';
export type {
  DbInstrumentationOptions,
  DbStatementMode,
  GraphqlInstrumentationOptions,
  LibraryInstrumentationConfig,
  LibraryInstrumentationOptions,
} from './library-options.js';
export { traceMethodCalls } from './method-spans.js';
