// `ignoreRoutes` compiled once: exact paths in a Set, `prefix/*` patterns as prefixes, RegExps
// as given. Decisions per route template are cached (routes are few and fixed at startup), so
// a known route costs one Map lookup per request; a 404 path is matched without caching, so
// a client cannot grow the cache.

import { invalidOption } from '../../engine/index.js';

export interface RouteMatcher {
  /** Whether `route` (a route template; `path` when `isTemplate` is false) is ignored. */
  matches(route: string, isTemplate: boolean): boolean;
}

export function compileRouteMatcher(path: string, patterns: ReadonlyArray<string | RegExp>): RouteMatcher | null {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const regexps: RegExp[] = [];
  patterns.forEach((p, i) => {
    if (p instanceof RegExp) regexps.push(p);
    else if (typeof p === 'string' && p.startsWith('/')) {
      if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
      else exact.add(p);
    } else {
      throw invalidOption(`${path}[${i}]`, p, 'a path starting with "/", a "/prefix/*" pattern or a RegExp');
    }
  });
  if (exact.size === 0 && prefixes.length === 0 && regexps.length === 0) return null;

  function test(route: string): boolean {
    if (exact.has(route)) return true;
    for (const prefix of prefixes) if (route.startsWith(prefix)) return true;
    for (const re of regexps) {
      re.lastIndex = 0;
      if (re.test(route)) return true;
    }
    return false;
  }
  const cache = new Map<string, boolean>();
  return {
    matches(route: string, isTemplate: boolean): boolean {
      if (!isTemplate) return test(route);
      let hit = cache.get(route);
      if (hit === undefined) {
        hit = test(route);
        cache.set(route, hit);
      }
      return hit;
    },
  };
}
