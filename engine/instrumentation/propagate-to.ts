// The `propagateTo` option: which origins receive propagation headers. Resolved once at enable
// time into an origin test (cached per origin by OriginCache) and an optional per-call
// predicate, so the call path holds no option branches beyond two null checks.

import { invalidOption } from '../errors.js';

/**
 * `true` (default): every origin. `false`: none. A list of origins (`https://api.example.com`,
 * default ports may be written or not). A predicate called per call with the span's `url.full`
 * and the origin, returning whether that call may carry the headers.
 */
export type PropagateTo = boolean | readonly string[] | ((url: string, origin: string) => boolean);

interface ResolvedPropagateTo {
  /** Per-origin test (its result is cached per origin), or null for "every origin". */
  readonly isListed: ((origin: string) => boolean) | null;
  /** Per-call test, or null. */
  readonly predicate: ((url: string, origin: string) => boolean) | null;
}

const ORIGIN_EXPECTED = 'an http(s) origin such as "https://api.example.com" or "http://127.0.0.1:3001"';

function normaliseOrigin(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidOption(path, value, ORIGIN_EXPECTED);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOption(path, value, ORIGIN_EXPECTED);
  }
  // A path, query or credentials would be silently ignored by an origin match: refuse them so
  // a list entry never looks more specific than it is.
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) throw invalidOption(path, value, ORIGIN_EXPECTED);
  return url.origin;
}

const NONE = (): boolean => false;

export function resolvePropagateTo(value: unknown, path = 'propagateTo'): ResolvedPropagateTo {
  if (value === undefined || value === true) return { isListed: null, predicate: null };
  if (value === false) return { isListed: NONE, predicate: null };
  if (typeof value === 'function') return { isListed: null, predicate: value as (url: string, origin: string) => boolean };
  if (Array.isArray(value)) {
    const origins = new Set<string>();
    value.forEach((entry, i) => origins.add(normaliseOrigin(entry, `${path}[${i}]`)));
    return { isListed: (origin) => origins.has(origin), predicate: null };
  }
  throw invalidOption(path, value, 'true, false, a list of origins, or a function (url, origin) => boolean');
}
