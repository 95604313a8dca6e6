// Puts the module's layer first in the routes of an Express router: each Nest route, and each
// route of a router mounted in it. Express 5 keeps a route's handlers in `route.stack`, run in
// order for the request's method; the layer is added through the route's own method functions
// (so Express builds it) and moved to the front.

import type { ExpressLayer, ExpressRoute, RouteHandler } from './express-types.js';

type LayerFactory = (path: string, method: string | null, nested: boolean) => RouteHandler;

/**
 * Puts a layer from `makeLayer` first in every route of `stack`, and of the routers mounted in
 * it. One route answers one method (Nest registers each handler as its own route) or all
 * (`@All()`); a route of several methods gets the layer for each.
 */
export function hookRoutes(stack: ExpressLayer[], nested: boolean, makeLayer: LayerFactory): void {
  for (const layer of stack) {
    const route = layer.route;
    if (route !== undefined && route !== null) {
      if (typeof route.path === 'string') prependLayer(route, nested, makeLayer);
      continue;
    }
    // A Router mounted with app.use([path,] router) is a function with its own stack.
    const mounted = layer.handle as ((...args: unknown[]) => unknown) & { stack?: unknown };
    if (typeof mounted === 'function' && Array.isArray(mounted.stack)) hookRoutes(mounted.stack as ExpressLayer[], true, makeLayer);
  }
}

function prependLayer(route: ExpressRoute, nested: boolean, makeLayer: LayerFactory): void {
  const path = route.path as string;
  const before = route.stack.length;
  if (route.methods['_all'] === true) {
    route.all(makeLayer(path, null, nested));
  } else {
    // A layer per method: Express runs a route's layers of the request's method only.
    for (const m of Object.keys(route.methods)) {
      if (route.methods[m] === true) (route[m] as (handler: RouteHandler) => unknown).call(route, makeLayer(path, m.toUpperCase(), nested));
    }
  }
  const added = route.stack.splice(before);
  route.stack.unshift(...added);
}
