// forRoot / forRootAsync from Nest's ConfigurableModuleBuilder, global by default (one module
// for the whole app, as nestjs-cls and @nestjs/config do); `isGlobal: false` opts out.

import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RequestContextModuleOptions } from './options/request-context-options.js';

export const {
  ConfigurableModuleClass: RequestContextConfigurableModule,
  MODULE_OPTIONS_TOKEN: REQUEST_CONTEXT_MODULE_OPTIONS,
  OPTIONS_TYPE: REQUEST_CONTEXT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REQUEST_CONTEXT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RequestContextModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The frozen, validated options (ResolvedOptions) every provider of the module reads. */
export const RESOLVED_OPTIONS = Symbol('nestjs-trace-context.resolved-options');
