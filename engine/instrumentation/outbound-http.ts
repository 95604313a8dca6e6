// Turning the outbound HTTP instrumentation on and off. One configuration is active at a time:
// enabling again replaces it (the Nest module enables it at startup; a second app in the same
// process wins, as with any process-wide instrumentation).

import { instrumentNodeHttp } from './node-http-client.js';
import { injectW3C, resolveOutboundConfig, type OutboundConfig, type OutboundHttpOptions } from './outbound-config.js';
import { instrumentUndici } from './undici-client.js';

let current: { readonly config: OutboundConfig; readonly undo: () => void } | null = null;

/**
 * Instruments global fetch (undici) and node:http/https: every call made inside a context with
 * an active trace gets a client span and the propagation headers. Returns the disposer (also
 * safe to call twice, and a no-op once another enable has replaced this one).
 * Throws ERR_INVALID_OPTION for bad options, named under `path` (where the caller nests them).
 */
export function enableOutboundHttp(options: OutboundHttpOptions, path = 'outboundHttp'): () => void {
  const config = resolveOutboundConfig(options, path);
  disableOutboundHttp();
  const undoFetch = config.fetch ? instrumentUndici(config) : null;
  const undoHttp = config.http ? instrumentNodeHttp(config) : null;
  const entry = {
    config,
    undo(): void {
      undoFetch?.();
      undoHttp?.();
    },
  };
  current = entry;
  return () => {
    if (current !== entry) return;
    current = null;
    entry.undo();
  };
}

/** Removes whatever outbound instrumentation is active. */
export function disableOutboundHttp(): void {
  const entry = current;
  current = null;
  entry?.undo();
}

export function isOutboundHttpEnabled(): boolean {
  return current !== null;
}

/** The propagator's inject of the active configuration, or W3C when none is enabled. */
export function activeInject(): OutboundConfig['inject'] {
  return current === null ? injectW3C : current.config.inject;
}
