// Endpoints as the library prints them (exporter names in stats, warnings, option errors):
// credentials in a URL's userinfo (`http://user:token@collector`) are replaced, as the HTTP
// semantic conventions ask for `url.full`, so a token never reaches a log or a stats page.
// Header values are never printed at all: any of them may be an API key.

/** What replaces each userinfo part, as the semantic conventions write it. */
export const REDACTED = 'REDACTED';

/** `url`'s href with its username and password (if any) replaced by REDACTED. */
export function redactedHref(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  if (copy.username !== '') copy.username = REDACTED;
  if (copy.password !== '') copy.password = REDACTED;
  return copy.href;
}

/**
 * A string that was meant to be a URL, for an error or a warning: a parseable one loses its
 * userinfo; one that does not parse keeps only what comes after its last `@` (anything before
 * it may be a credential the parser could not place).
 */
export function redactedUrlText(text: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // not a URL: redacted as text below
  }
  // A URL without a host (`user:pw@host` parses as scheme "user:") has no userinfo to clear.
  if (url !== null && url.host !== '') return redactedHref(url);
  const scheme = text.indexOf('://');
  const start = scheme < 0 ? 0 : scheme + 3;
  const at = text.lastIndexOf('@');
  return at < start ? text : `${text.slice(0, start)}${REDACTED}@${text.slice(at + 1)}`;
}
