// What POST /test may do: exactly what the W3C trace-context harness needs, nothing a caller
// could turn into an open relay or a port scanner.

import { isIP } from 'node:net';

/** The harness's largest request (AdvancedTest's test_multiple_requests_*) asks for 3 calls. */
export const RELAY_MAX_CALLS = 3;

/** One deadline for all the calls of a request: the harness itself gives up on /test after 5 s. */
export const RELAY_DEADLINE_MS = 3000;

/** The harness's callback answers a few bytes of JSON; anything past this is not read. */
export const RELAY_MAX_REPLY_BYTES = 16 * 1024;

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // new URL() has already normalised IPv4 forms (0x7f.1, 2130706433) to dotted decimal.
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/**
 * The URL when `raw` is an http(s) URL on a loopback address or a listed host (`name` or
 * `name:port`), else null. No credentials in the URL: the demo never forwards any.
 */
export function relayTarget(raw: unknown, allowHosts: readonly string[]): URL | null {
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (isLoopback(url.hostname)) return url;
  return allowHosts.includes(url.hostname) || allowHosts.includes(url.host) ? url : null;
}

/** Reads at most RELAY_MAX_REPLY_BYTES of the reply, then drops the connection. */
export async function discardReply(reply: Response): Promise<void> {
  if (reply.body === null) return;
  const reader = reply.body.getReader();
  let read = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    read += chunk.value.byteLength;
    if (read > RELAY_MAX_REPLY_BYTES) {
      await reader.cancel();
      return;
    }
  }
}
