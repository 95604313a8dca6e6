// The instrumentation scope OTLP metrics are reported under.
export const SCOPE_NAME = 'nestjs-trace-context';
/** Kept in step with package.json by test/engine/metrics/otlp-metrics-json.test.ts. */
export const SCOPE_VERSION = '0.1.0';
