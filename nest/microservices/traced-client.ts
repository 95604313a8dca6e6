// Makes a ClientProxy carry the trace. Propagation goes through the hook Nest made for it,
// ClientProxy#setOnDispatchHook (12.1+): it sees every outgoing packet and writes the active
// context's headers where the transport carries them (client-carrier.ts). The hook alone cannot
// see the reply, so `send` and `emit` of this one instance are wrapped to give each message a
// span that ends when the reply, the error or the completion arrives; the packet is created
// inside that span's scope, so the hook propagates the message span, not its parent.

import { ClientProxy, type ReadPacket } from '@nestjs/microservices';
import { Observable, type Observer, type Subscriber, type Subscription } from 'rxjs';
import {
  SpanKind,
  activeTraceContext,
  failSpan,
  invalidArgument,
  type CarrierSpan,
} from '../../engine/index.js';
import { carrierTracing, runWithSpan } from '../../engine/internal.js';
import { clientTransport, type AnyClientProxy, type CarrierWriter } from './client-carrier.js';
import { ClientMessages } from './message-attributes.js';

type DispatchHook = (packet: ReadPacket) => void;
type Send = (pattern: unknown, data: unknown) => Observable<unknown>;

const traced = new WeakSet<AnyClientProxy>();

function createDispatchHook(write: CarrierWriter, previous: DispatchHook | undefined): DispatchHook {
  return (packet) => {
    if (previous !== undefined) previous(packet);
    const ctx = activeTraceContext();
    if (ctx === null) return;
    try {
      const headers: Record<string, string> = {};
      carrierTracing().propagator.inject(ctx, headers);
      write(packet, headers);
    } catch {
      // Never fail the user's message because of propagation: it goes out without headers.
    }
  };
}

/**
 * One outgoing message: its span (ended once, whichever of reply, error, completion or
 * unsubscribe comes first) and, for `send`, the caller's subscriber. It is also the observer of
 * Nest's observable, so a message costs one object rather than a closure per callback.
 */
class OutgoingMessage implements Observer<unknown> {
  private span: CarrierSpan | null;
  private readonly subscriber: Subscriber<unknown> | null;

  constructor(span: CarrierSpan, subscriber: Subscriber<unknown> | null) {
    this.span = span;
    this.subscriber = subscriber;
  }

  next(value: unknown): void {
    this.subscriber?.next(value);
  }

  error(error: unknown): void {
    const span = this.span;
    if (span !== null) {
      this.span = null;
      failSpan(span, error);
      span.end();
    }
    this.subscriber?.error(error);
  }

  complete(): void {
    this.end();
    this.subscriber?.complete();
  }

  end(): void {
    const span = this.span;
    if (span === null) return;
    this.span = null;
    span.end();
  }
}

function startClientSpan(messages: ClientMessages, pattern: unknown, operation: 'send' | 'publish'): CarrierSpan {
  const message = messages.of(pattern, operation);
  // No attribute object for a message whose trace is not recorded (only ids are propagated).
  const parent = activeTraceContext();
  return carrierTracing().tracer.startSpan(message.name, {
    kind: operation === 'send' ? SpanKind.CLIENT : SpanKind.PRODUCER,
    attributes: parent === null || parent.sampled ? message.attributes : undefined,
  });
}

function subscribeInside(source: Observable<unknown>, observer: OutgoingMessage): Subscription {
  return source.subscribe(observer);
}

function callEmit(client: AnyClientProxy, emit: Send, pattern: unknown, data: unknown): Observable<unknown> {
  return emit.call(client, pattern, data);
}

function tracedSend(client: AnyClientProxy, send: Send, messages: ClientMessages, pattern: unknown, data: unknown): Observable<unknown> {
  // Cold like Nest's own send: each subscription is one message with its own span. Nest
  // creates the packet (and runs the dispatch hook) only once subscribed, so subscribing inside
  // the span's scope is what makes the hook propagate this span.
  return new Observable<unknown>((subscriber) => {
    const span = startClientSpan(messages, pattern, 'send');
    const message = new OutgoingMessage(span, subscriber);
    const inner = runWithSpan(span, subscribeInside, send.call(client, pattern, data), message);
    return () => {
      inner.unsubscribe();
      // Unsubscribed before a reply (timeout(), take(1) of a stream): the wait is over.
      message.end();
    };
  });
}

function tracedEmit(client: AnyClientProxy, emit: Send, messages: ClientMessages, pattern: unknown, data: unknown): Observable<unknown> {
  const span = startClientSpan(messages, pattern, 'publish');
  // Nest's emit is hot (it connects and dispatches at once); dispatch it inside the span's
  // scope and follow it with a subscription of our own, so the span ends even when the
  // caller never subscribes.
  const source = runWithSpan(span, callEmit, client, emit, pattern, data);
  source.subscribe(new OutgoingMessage(span, null));
  return source;
}

/**
 * Instruments `client` (idempotent) and returns it: every `send` gets a client span and every
 * `emit` a producer span, and each packet carries the span's context in the transport's
 * headers. A dispatch hook set before is kept and runs first. Tracing reads the app's
 * runtime per message, so a client instrumented before the app started is fine.
 */
export function traceClient<T extends AnyClientProxy>(client: T): T {
  if (!(client instanceof ClientProxy)) {
    throw invalidArgument('client', client, 'a ClientProxy (from ClientsModule or ClientProxyFactory.create)');
  }
  if (traced.has(client)) return client;
  traced.add(client);
  const transport = clientTransport(client);
  // The hook set before us (protected field): chained, not replaced.
  const previous = (client as unknown as { onDispatchHook?: DispatchHook }).onDispatchHook;
  client.setOnDispatchHook(createDispatchHook(transport.write, previous));
  const send = client.send as Send;
  const emit = client.emit as Send;
  const messages = new ClientMessages(transport.system);
  Object.defineProperty(client, 'send', {
    configurable: true,
    writable: true,
    value: (pattern: unknown, data: unknown) => tracedSend(client, send, messages, pattern, data),
  });
  Object.defineProperty(client, 'emit', {
    configurable: true,
    writable: true,
    value: (pattern: unknown, data: unknown) => tracedEmit(client, emit, messages, pattern, data),
  });
  return client;
}

/** Whether `client` was instrumented by `traceClient`. */
export function isTracedClient(client: unknown): boolean {
  return client instanceof ClientProxy && traced.has(client);
}
