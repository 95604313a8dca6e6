// Header names of every format, lower case (Node lower-cases incoming names; we emit lower case).

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';
export const B3 = 'b3';
export const X_B3_TRACE_ID = 'x-b3-traceid';
export const X_B3_SPAN_ID = 'x-b3-spanid';
export const X_B3_PARENT_SPAN_ID = 'x-b3-parentspanid';
export const X_B3_SAMPLED = 'x-b3-sampled';
export const X_B3_FLAGS = 'x-b3-flags';
export const UBER_TRACE_ID = 'uber-trace-id';
export const UBERCTX_PREFIX = 'uberctx-';
export const JAEGER_BAGGAGE = 'jaeger-baggage';
export const X_DATADOG_TRACE_ID = 'x-datadog-trace-id';
export const X_DATADOG_PARENT_ID = 'x-datadog-parent-id';
export const X_DATADOG_SAMPLING_PRIORITY = 'x-datadog-sampling-priority';
export const X_DATADOG_ORIGIN = 'x-datadog-origin';
export const X_DATADOG_TAGS = 'x-datadog-tags';
export const NEWRELIC = 'newrelic';
