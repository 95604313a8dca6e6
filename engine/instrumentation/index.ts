export { enableOutboundHttp, disableOutboundHttp, isOutboundHttpEnabled } from './outbound-http.js';
export { injectTraceHeaders } from './inject-trace-headers.js';
export type {
  OutboundHttpOptions,
  OutboundPropagator,
  OutboundSpan,
  OutboundTracer,
} from './outbound-config.js';
export type { PropagateTo } from './propagate-to.js';
