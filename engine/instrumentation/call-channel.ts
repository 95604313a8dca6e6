// Subscribing one library TracingChannel (`ioredis:command`, `mysql2:query`, ...) to spans.
//
// Context, per channel, by what the library runs inside the traced call:
// - `nest`: the call runs other traced work inside it (a node-redis or ioredis batch runs its
//   commands, a GraphQL execute its resolvers): `start` is bound to the context store
//   (`bindStore`), so inside the call the new span is active and that work becomes its child.
//   Binding costs an `AsyncLocalStorage.run` per call, so channels whose call only queues a
//   command (a single Redis command) take a plain `start` subscriber instead.
// - `callbacks`: the library invokes the caller's callback from its socket (mysql2's callback
//   API, which mysql2/promise uses too): `asyncStart` is bound to the caller's store, so the
//   callback runs in the request that made the call rather than in whichever context opened
//   the connection. This applies sampled or not: it is context, not recording.
// Subscribing before the library is loaded costs nothing more than the subscription: the
// library looks the channel up by name when it loads and finds the subscribers there.

import diagnosticsChannel from 'node:diagnostics_channel';
import { bindChannelStore, currentStore, storeWithSpan, type ContextStore } from '../context/index.js';
import { finishCallSpan, recordsHere, SPAN, type TracedMessage } from './channel-span.js';
import type { OutboundSpan } from './outbound-config.js';

const CALLER = Symbol('nestjs-trace-context.caller');

interface CallerMessage extends TracedMessage {
  [CALLER]?: ContextStore | undefined;
}

interface CallChannelOptions<M> {
  /** Starts the call's span (the scope records; checked before) and returns it, or null to leave this call out. */
  readonly begin: (message: M) => OutboundSpan | null;
  /** Bind `start` so work inside the call is the span's child. */
  readonly nest?: boolean;
  /** Bind `asyncStart` so the caller's callback runs in the caller's context. */
  readonly callbacks?: boolean;
  /**
   * The library publishes a synchronous result on `end` and no `asyncEnd` (GraphQL's
   * traceMixed): end the span there when the message already has its result.
   */
  readonly syncResults?: boolean;
  /** Reads a successful result into the span before it ends (GraphQL's `errors`). */
  readonly onResult?: (span: OutboundSpan, message: M) => void;
}

function beginSafely<M>(begin: (message: M) => OutboundSpan | null, message: M): OutboundSpan | null {
  try {
    return begin(message);
  } catch {
    // A message shaped unlike the versions checked must never fail the user's call.
    return null;
  }
}

/** Subscribes the TracingChannel `name`; returns the unsubscriber. */
export function subscribeCallChannel<M extends TracedMessage>(name: string, options: CallChannelOptions<M>): () => void {
  const channel = diagnosticsChannel.tracingChannel(name);
  const { begin, onResult } = options;
  const undo: Array<() => void> = [];

  if (options.nest === true) {
    undo.push(
      bindChannelStore(channel.start, (message: unknown): ContextStore | undefined => {
        const store = currentStore();
        if (!recordsHere(store)) return store;
        const span = beginSafely(begin, message as M);
        return span === null ? store : storeWithSpan(span);
      }),
    );
  } else {
    const callbacks = options.callbacks === true;
    const start = (message: unknown): void => {
      const store = currentStore();
      if (callbacks) (message as CallerMessage)[CALLER] = store;
      if (recordsHere(store)) beginSafely(begin, message as M);
    };
    channel.start.subscribe(start);
    undo.push(() => channel.start.unsubscribe(start));
  }
  if (options.callbacks === true) {
    undo.push(bindChannelStore(channel.asyncStart, (message: unknown) => (message as CallerMessage)[CALLER]));
  }

  const finish = (message: unknown): void => {
    const m = message as M;
    const span = m[SPAN];
    if (span === undefined || span === null) return;
    if (onResult !== undefined && m.error === undefined) {
      try {
        onResult(span, m);
      } catch {
        // a result shaped unlike the versions checked: end the span as it is
      }
    }
    finishCallSpan(m);
  };
  // `end` fires when the call returns. A call that threw synchronously never gets `asyncEnd`;
  // with syncResults, neither does one that returned a plain value.
  const end = options.syncResults === true
    ? (message: unknown): void => {
        const m = message as TracedMessage;
        if (m.error !== undefined || 'result' in m) finish(m);
      }
    : (message: unknown): void => {
        if ((message as TracedMessage).error !== undefined) finish(message);
      };
  channel.end.subscribe(end);
  channel.asyncEnd.subscribe(finish);
  undo.push(() => {
    channel.end.unsubscribe(end);
    channel.asyncEnd.unsubscribe(finish);
  });
  return () => {
    for (const u of undo) u();
  };
}
