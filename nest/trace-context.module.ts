// TraceContextModule.forRoot({ mode, ...tracingOptions }): the tracing-first entry.
// Same providers as RequestContextModule; the options are the tracing options at top level.
// `mode: 'otel'` traces through the app's registered OpenTelemetry SDK (nest/otel,
// engine/otel), `'auto'` does when one is registered; settled once, when the options resolve.

import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { resolveTracingMode } from './otel/tracing-mode.js';
import { TRACE_CONTEXT_TOP_LEVEL_PATH, resolveOptions, type ResolvedOptions } from './options/resolve-options.js';
import type { TraceContextModuleOptions } from './options/request-context-options.js';
import { RESOLVED_OPTIONS, applyIsGlobal } from './request-context.module-definition.js';
import { SHARED_PROVIDERS } from './request-context.providers.js';
import { RequestContextService } from './request-context.service.js';

export const {
  ConfigurableModuleClass: TraceContextConfigurableModule,
  MODULE_OPTIONS_TOKEN: TRACE_CONTEXT_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<TraceContextModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, applyIsGlobal)
  .build();

/** Splits TraceContextModule options into RequestContextModule's shape (`mode` is applied after). */
function toRequestContextOptions(options: TraceContextModuleOptions | undefined) {
  const { mode: _mode, requestId, onRequestEnd, metrics, ...tracing } = options ?? {};
  return { requestId, onRequestEnd, metrics, tracing };
}

/**
 * The resolved options with `mode` applied: with tracing on, 'otel' (or 'auto' finding an SDK)
 * points the tracing runtime at OpenTelemetry. A bad mode, or 'otel' without an SDK, throws.
 */
function resolveTraceContextOptions(options: TraceContextModuleOptions | undefined): ResolvedOptions {
  // The tracing options are top level here: errors name `format`, not `tracing.format`.
  const resolved = resolveOptions(toRequestContextOptions(options), process.env, TRACE_CONTEXT_TOP_LEVEL_PATH);
  const mode = options?.mode;
  // Tracing off: nothing to choose (no SDK is needed), but a misspelt mode still fails.
  if (resolved.tracing === null) {
    if (mode !== undefined && mode !== 'native' && mode !== 'auto' && mode !== 'otel') resolveTracingMode(mode);
    return resolved;
  }
  const otel = resolveTracingMode(mode);
  return otel === null ? resolved : Object.freeze({ ...resolved, tracing: Object.freeze({ ...resolved.tracing, otel }) });
}

@Module({
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      useFactory: resolveTraceContextOptions,
      inject: [TRACE_CONTEXT_MODULE_OPTIONS],
    },
    ...SHARED_PROVIDERS,
  ],
  exports: [RequestContextService],
})
export class TraceContextModule extends TraceContextConfigurableModule {}
