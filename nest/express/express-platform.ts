// Express's part of the module: the request path of nest/express/request-path.ts and the
// scrape route, installed in onModuleInit, once Nest registered its routes (the route layers
// go into them) and before it adds its 404 handler.

import { PROMETHEUS_CONTENT_TYPE, invalidOption, renderPrometheusText } from '../../engine/index.js';
import type { HttpPlatform } from '../platform/http-platform.js';
import type { ExpressAdapterLike, ExpressApp, ExpressResponse } from './express-types.js';
import { installExpressRequestPath } from './request-path.js';

export const expressPlatform: HttpPlatform = {
  install(adapter, options, runtime, routesRegistered) {
    if (!routesRegistered) return false;
    const metrics = options.metrics;
    const scrape = metrics === null ? null : metrics.appRoute;
    if (metrics !== null && scrape !== null) {
      // Before the route layers go in, so the scrape route is traced and metered like any route.
      const red = metrics.red;
      const app = adapter.getInstance<ExpressApp>();
      // Express serves the first of two routes on one path: an app route there would silently
      // shadow the scrape route (Fastify refuses the duplicate itself).
      if (app.router.stack.some((layer) => layer.route != null && layer.route.path === scrape && layer.route.methods['get'] === true)) {
        throw invalidOption('metrics.prometheus.route', scrape, 'a path no route of the app serves with GET');
      }
      app.get(scrape, function scrapeMetrics(_req, res: ExpressResponse): void {
        res.setHeader('content-type', PROMETHEUS_CONTENT_TYPE);
        res.end(renderPrometheusText(red));
      });
    }
    installExpressRequestPath(adapter as unknown as ExpressAdapterLike, options, runtime);
    return true;
  },
};
