// `url.full` of a client span, as the HTTP semantic conventions ask (url.full: "username and
// password SHOULD be redacted"; "query string values for the following keys SHOULD be
// redacted by default: AWSAccessKeyId, Signature, sig, X-Goog-Signature"): a signed URL's
// signature must not reach a trace backend, where it would grant what the URL grants.
// Called only for a span that records: an unsampled call builds no url.full at all.

import { invalidOption } from '../errors.js';

/** The semantic conventions' default list (case-sensitive, as written there). */
export const DEFAULT_SENSITIVE_QUERY_PARAMS: readonly string[] = Object.freeze(['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature']);

/** The replacement, as the semantic conventions write it. */
const REDACTED = 'REDACTED';

/** The defaults plus `extra` (names of query parameters whose values are replaced). */
export function resolveSensitiveQueryParams(extra: unknown, path: string): ReadonlySet<string> {
  const names = new Set(DEFAULT_SENSITIVE_QUERY_PARAMS);
  if (extra === undefined) return names;
  if (!Array.isArray(extra)) throw invalidOption(path, extra, 'an array of query parameter names');
  extra.forEach((name, i) => {
    if (typeof name !== 'string' || name === '') throw invalidOption(`${path}[${i}]`, name, 'a non-empty string');
    names.add(name);
  });
  return names;
}

/** `scheme://user:pw@host` → `scheme://REDACTED:REDACTED@host` (origins from a client's own string may carry userinfo). */
function redactUserinfo(origin: string): string {
  const scheme = origin.indexOf('://');
  const at = origin.lastIndexOf('@');
  return at <= scheme ? origin : `${origin.slice(0, scheme + 3)}${REDACTED}:${REDACTED}@${origin.slice(at + 1)}`;
}

/**
 * `origin + path` with userinfo and the values of `sensitive` query parameters replaced.
 * A path without `?` (most calls) is only concatenated: one indexOf, no scan.
 */
export function urlFull(origin: string, path: string, sensitive: ReadonlySet<string>): string {
  const base = origin.indexOf('@') === -1 ? origin : redactUserinfo(origin);
  const query = path.indexOf('?');
  if (query === -1) return base + path;
  let end = path.indexOf('#', query);
  if (end === -1) end = path.length;
  let out = base + path.slice(0, query + 1);
  let start = query + 1;
  while (start <= end) {
    let amp = path.indexOf('&', start);
    if (amp === -1 || amp > end) amp = end;
    const eq = path.indexOf('=', start);
    if (eq !== -1 && eq < amp && sensitive.has(path.slice(start, eq))) out += path.slice(start, eq + 1) + REDACTED;
    else out += path.slice(start, amp);
    if (amp < end) out += '&';
    start = amp + 1;
  }
  return out + path.slice(end);
}
