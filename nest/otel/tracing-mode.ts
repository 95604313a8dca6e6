// TraceContextModule's `mode`, settled once when the module builds its options. 'auto' logs its
// choice once per app start, through Nest's logger, so it shows with the app's startup lines.

import { Logger } from '@nestjs/common';
import { selectTracingMode, type OtelApi } from '../../engine/index.js';

/** The OpenTelemetry api to trace through, or null for the native engine. Throws for 'otel' without an SDK. */
export function resolveTracingMode(mode: unknown, load?: () => OtelApi | null): OtelApi | null {
  const selection = selectTracingMode(mode, 'mode', load);
  if (mode === 'auto') {
    new Logger('TraceContextModule').log(
      selection.mode === 'otel'
        ? `mode "auto": tracing through OpenTelemetry (${selection.reason})`
        : `mode "auto": tracing natively (${selection.reason})`,
    );
  }
  return selection.api;
}
