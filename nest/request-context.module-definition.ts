// forRoot / forRootAsync from Nest's ConfigurableModuleBuilder, global by default (one module
// for the whole app, as nestjs-cls and @nestjs/config do); `isGlobal: false` opts out.

import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { invalidOption } from '../engine/index.js';
import type { RequestContextModuleOptions } from './options/request-context-options.js';

/**
 * `isGlobal` of forRoot/forRootAsync: Nest strips extras before the options reach
 * resolveOptions, so it is checked here (a truthy string would otherwise scope nothing).
 */
export function applyIsGlobal(definition: DynamicModule, extras: { isGlobal: boolean }): DynamicModule {
  const isGlobal: unknown = extras.isGlobal === undefined ? true : extras.isGlobal;
  if (typeof isGlobal !== 'boolean') throw invalidOption('isGlobal', isGlobal, 'true or false');
  return { ...definition, global: isGlobal };
}

export const {
  ConfigurableModuleClass: RequestContextConfigurableModule,
  MODULE_OPTIONS_TOKEN: REQUEST_CONTEXT_MODULE_OPTIONS,
  OPTIONS_TYPE: REQUEST_CONTEXT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REQUEST_CONTEXT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RequestContextModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, applyIsGlobal)
  .build();

/** The frozen, validated options (ResolvedOptions) every provider of the module reads. */
export const RESOLVED_OPTIONS = Symbol('nestjs-trace-context.resolved-options');
