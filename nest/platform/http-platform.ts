// The platform-specific part of the module, one implementation per Nest HTTP adapter: how the
// request path goes on the app's server (request hooks, where the route template comes from,
// how response headers are set) and how the Prometheus scrape route is registered. Everything
// else (options, tracing runtime, spans, metrics, the service) is shared. Chosen from the
// adapter's getType(), so an app needs no import and no option for its platform.

import type { AbstractHttpAdapter } from '@nestjs/core';
import { ErrorCodes, TraceContextError } from '../../engine/index.js';
import { expressPlatform } from '../express/express-platform.js';
import { fastifyPlatform } from '../fastify/fastify-platform.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import type { TracingRuntime } from '../tracing/tracing-runtime.js';

export interface HttpPlatform {
  /**
   * Installs the request path (and the scrape route) on the adapter's server, or returns false
   * when it must wait until Nest registered the routes: called while Nest builds the providers
   * (`routesRegistered` false) and again in onModuleInit (true) until one call installs.
   */
  install(adapter: AbstractHttpAdapter, options: ResolvedOptions, runtime: TracingRuntime | null, routesRegistered: boolean): boolean;
}

const PLATFORMS: Readonly<Record<string, HttpPlatform>> = { fastify: fastifyPlatform, express: expressPlatform };

/** The platform of the adapter's type; any other type fails startup with ERR_UNSUPPORTED_PLATFORM. */
export function platformOf(adapter: AbstractHttpAdapter): HttpPlatform {
  const type = adapter.getType();
  const platform = Object.hasOwn(PLATFORMS, type) ? PLATFORMS[type] : undefined;
  if (platform === undefined) {
    throw new TraceContextError(
      ErrorCodes.ERR_UNSUPPORTED_PLATFORM,
      `RequestContextModule runs on @nestjs/platform-fastify and @nestjs/platform-express; this app uses "${type}". ` +
        'Create the app with new FastifyAdapter() or new ExpressAdapter() (the default).',
    );
  }
  return platform;
}
