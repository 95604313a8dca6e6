// The span handed out when no tracer runs (tracing off): one shared object whose methods do
// nothing (OpenTelemetry's NonRecordingSpan idea), so application code never branches on it.

import { TraceContext } from '../../engine/index.js';
import type { RuntimeSpan } from './tracing-runtime.js';

const INVALID_CONTEXT = new TraceContext('00000000000000000000000000000000', '0000000000000000', 0, undefined, false, undefined);

export const NON_RECORDING_SPAN: RuntimeSpan = Object.freeze({
  spanContext: () => INVALID_CONTEXT,
  isRecording: () => false,
  setAttribute: () => NON_RECORDING_SPAN,
  setStatus: () => NON_RECORDING_SPAN,
  recordException: () => NON_RECORDING_SPAN,
  updateName: () => NON_RECORDING_SPAN,
  end: () => undefined,
});
