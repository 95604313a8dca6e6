// `nestjs-trace-context`: the Nest integration plus the engine's public API.
export {
  ErrorCodes,
  TraceContextError,
  TraceContextTypeError,
  ContextKey,
  ContextSnapshot,
  context,
  isValidRequestId,
  TraceContext,
  SpanKind,
  SpanStatusCode,
} from '../engine/index.js';
