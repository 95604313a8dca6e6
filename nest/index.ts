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

// the Nest module (issue 6)
export { RequestContextModule } from './request-context.module.js';
export { TraceContextModule } from './trace-context.module.js';
export { RequestContextService } from './request-context.service.js';
export type { KeyLike } from './request-context.service.js';
export { Ctx } from './decorators/ctx.decorator.js';
export { TraceCtx } from './decorators/trace-ctx.decorator.js';
export { RequestId } from './decorators/request-id.decorator.js';
export { Span } from './decorators/span.decorator.js';
export { getTracingRuntime } from './tracing/active-runtime.js';
export type { TracingRuntime } from './tracing/tracing-runtime.js';
export type { RequestObserver } from './request-observer.js';
export type {
  RequestContextModuleOptions,
  TraceContextModuleOptions,
  TraceContextMode,
  TracingOptions,
  RequestIdOptions,
  ResponseHeaderOptions,
} from './options/request-context-options.js';
export type { PropagationFormat } from '../engine/index.js';
