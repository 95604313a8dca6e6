// TraceContextModule.forRoot({ mode, ...tracingOptions }): the tracing-first entry of the seed.
// Same providers as RequestContextModule; the options are the tracing options at top level.
// `mode: 'auto' | 'otel'` needs the OpenTelemetry bridge, which this build does not have: it is
// refused at startup (ERR_MODE_UNAVAILABLE) rather than silently running natively.

import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { ErrorCodes, TraceContextError, invalidOption } from '../engine/index.js';
import { resolveOptions } from './options/resolve-options.js';
import type { TraceContextModuleOptions } from './options/request-context-options.js';
import { RESOLVED_OPTIONS } from './request-context.module-definition.js';
import { SHARED_PROVIDERS } from './request-context.providers.js';
import { RequestContextService } from './request-context.service.js';

export const {
  ConfigurableModuleClass: TraceContextConfigurableModule,
  MODULE_OPTIONS_TOKEN: TRACE_CONTEXT_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<TraceContextModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** Splits TraceContextModule options into RequestContextModule's shape, checking `mode`. */
export function toRequestContextOptions(options: TraceContextModuleOptions | undefined) {
  const { mode = 'native', requestId, onRequestEnd, ...tracing } = options ?? {};
  if (mode === 'auto' || mode === 'otel') {
    throw new TraceContextError(
      ErrorCodes.ERR_MODE_UNAVAILABLE,
      `TraceContextModule mode "${mode}" needs the OpenTelemetry bridge, which this version does not include yet. ` +
        'Use mode: "native" (this library\'s tracer and exporters).',
    );
  }
  if (mode !== 'native') throw invalidOption('mode', mode, '"native", "auto" or "otel"');
  return { requestId, onRequestEnd, tracing };
}

@Module({
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      useFactory: (options: TraceContextModuleOptions | undefined) => resolveOptions(toRequestContextOptions(options)),
      inject: [TRACE_CONTEXT_MODULE_OPTIONS],
    },
    ...SHARED_PROVIDERS,
  ],
  exports: [RequestContextService],
})
export class TraceContextModule extends TraceContextConfigurableModule {}
