// 'native' | 'otel' | 'auto': which tracer a process uses, decided once at startup.

import { ErrorCodes, TraceContextError, invalidOption } from '../errors.js';
import { isTracerProviderRegistered, loadOtelApi, type OtelApi } from './otel-api.js';

export type TracingMode = 'native' | 'otel' | 'auto';

export interface ModeSelection {
  /** What runs: never 'auto'. */
  readonly mode: 'native' | 'otel';
  /** The api when `mode` is 'otel', else null. */
  readonly api: OtelApi | null;
  /** Why (for the one startup log line of 'auto'). */
  readonly reason: string;
}

/**
 * Resolves `mode` against what is installed and registered. `load` finds @opentelemetry/api
 * (tests pass their own). 'otel' without a registered SDK throws ERR_OTEL_NOT_REGISTERED; a
 * mode that is not one of the three throws ERR_INVALID_OPTION naming `path`.
 */
export function selectTracingMode(
  mode: unknown,
  path = 'mode',
  load: () => OtelApi | null = loadOtelApi,
): ModeSelection {
  if (mode === undefined || mode === 'native') return { mode: 'native', api: null, reason: 'mode "native"' };
  if (mode !== 'auto' && mode !== 'otel') throw invalidOption(path, mode, '"native", "auto" or "otel"');
  const api = load();
  if (api !== null && isTracerProviderRegistered(api)) {
    return { mode: 'otel', api, reason: 'a registered OpenTelemetry tracer provider was found' };
  }
  const why = api === null ? '@opentelemetry/api is not installed' : 'no OpenTelemetry tracer provider is registered';
  if (mode === 'auto') return { mode: 'native', api: null, reason: why };
  throw new TraceContextError(
    ErrorCodes.ERR_OTEL_NOT_REGISTERED,
    `${path} "otel" needs a registered OpenTelemetry SDK, but ${why}. ` +
      'Start the SDK (new NodeSDK(...).start() or provider.register()) before the Nest app is created, ' +
      'or use mode "auto" (falls back to this library\'s tracer) or "native".',
  );
}
