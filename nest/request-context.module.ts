// RequestContextModule.forRoot(options) / forRootAsync({ imports, inject, useFactory }).
// Options are validated when Nest builds the module's providers, so a bad option fails
// NestFactory.create with ERR_INVALID_OPTION naming the option, the value and what is allowed.

import { Module } from '@nestjs/common';
import { resolveOptions } from './options/resolve-options.js';
import type { RequestContextModuleOptions } from './options/request-context-options.js';
import {
  REQUEST_CONTEXT_MODULE_OPTIONS,
  RESOLVED_OPTIONS,
  RequestContextConfigurableModule,
} from './request-context.module-definition.js';
import { SHARED_PROVIDERS } from './request-context.providers.js';
import { RequestContextService } from './request-context.service.js';

@Module({
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      useFactory: (options: RequestContextModuleOptions | undefined) => resolveOptions(options),
      inject: [REQUEST_CONTEXT_MODULE_OPTIONS],
    },
    ...SHARED_PROVIDERS,
  ],
  exports: [RequestContextService],
})
export class RequestContextModule extends RequestContextConfigurableModule {}
