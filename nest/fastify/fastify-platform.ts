// Fastify's part of the module: the hooks of nest/fastify/request-hooks.ts and the scrape route,
// installed while Nest builds the providers so the onRoute hook sees every route.

import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../platform/http-platform.js';
import { installRequestHooks } from './request-hooks.js';

export const fastifyPlatform: HttpPlatform = {
  install(adapter, options, runtime, routesRegistered) {
    const fastify = adapter.getInstance<FastifyInstance>();
    installRequestHooks(fastify, options, runtime, routesRegistered);
    options.metrics?.registerRoute(fastify);
    return true;
  },
};
