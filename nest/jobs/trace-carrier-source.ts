// Points the engine's trace carriers (captureTraceContext, runWithTraceContext, the
// microservice hooks) at the running app's tracing runtime, so a job is captured and continued
// with the formats and tracer the app configured. Imported for this side effect by nest/index.ts.

import { setTraceCarrierSource } from '../../engine/internal.js';
import { getTracingRuntime } from '../tracing/active-runtime.js';

setTraceCarrierSource(getTracingRuntime);
