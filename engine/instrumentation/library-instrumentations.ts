// Turning the library instrumentations (ioredis, node-redis, mysql2, GraphQL) on and off. One
// configuration is active at a time, as with outbound HTTP: enabling again replaces it.
// Nothing here loads or patches a library: each subscribes to the TracingChannels the library
// publishes itself, so it works the same under ESM and CommonJS and for a library loaded later.

import { invalidOption } from '../errors.js';
import { instrumentGraphql } from './graphql-channels.js';
import {
  resolveLibraryInstrumentations,
  type LibraryInstrumentationConfig,
  type LibraryInstrumentationOptions,
} from './library-options.js';
import { instrumentMysql2 } from './mysql2-channels.js';
import type { OutboundTracer } from './outbound-config.js';
import { instrumentIoredis, instrumentNodeRedis } from './redis-channels.js';

export interface LibrarySpansOptions extends LibraryInstrumentationOptions {
  /** Makes the spans (children of the active span). */
  readonly tracer: OutboundTracer;
}

let undoCurrent: (() => void) | null = null;

/**
 * Subscribes the configured libraries' channels: every call made in a sampled trace becomes a
 * span. Returns the disposer (a no-op once another enable has replaced this one).
 * Throws ERR_INVALID_OPTION for bad options, naming them under `path`.
 */
export function enableLibrarySpans(options: LibrarySpansOptions, path = 'instrumentations'): () => void {
  const tracer = options?.tracer as unknown;
  if (typeof tracer !== 'object' || tracer === null || typeof (tracer as OutboundTracer).startSpan !== 'function') {
    throw invalidOption('tracer', tracer, 'a tracer with startSpan(name, options)');
  }
  const { tracer: _tracer, ...libraries } = options;
  return startLibrarySpans(tracer as OutboundTracer, resolveLibraryInstrumentations(libraries, path));
}

/** enableLibrarySpans for options already resolved (the Nest module validates them with the rest at startup). */
export function startLibrarySpans(tracer: OutboundTracer, config: LibraryInstrumentationConfig): () => void {
  disableLibrarySpans();
  const undo: Array<() => void> = [];
  if (config.ioredis !== null) undo.push(instrumentIoredis(tracer, config.ioredis));
  if (config.redis !== null) undo.push(instrumentNodeRedis(tracer, config.redis));
  if (config.mysql2 !== null) undo.push(instrumentMysql2(tracer, config.mysql2));
  if (config.graphql !== null) undo.push(instrumentGraphql(tracer, config.graphql));
  const entry = (): void => {
    for (const u of undo) u();
  };
  undoCurrent = entry;
  return () => {
    if (undoCurrent !== entry) return;
    undoCurrent = null;
    entry();
  };
}

/** Removes whatever library instrumentation is active. */
function disableLibrarySpans(): void {
  const entry = undoCurrent;
  undoCurrent = null;
  entry?.();
}
