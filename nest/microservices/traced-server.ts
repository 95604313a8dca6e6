// Makes a microservice server continue the trace of every message it handles, through the
// hooks Nest made for it (12.1+): Server#setOnProcessingStartHook runs around the handler, so
// the handler, its guards, interceptors, pipes and filters all run in the message's context;
// Server#setOnProcessingEndHook runs once the reply stream settles, and ends the span.

import { Server } from '@nestjs/microservices';
import {
  SpanKind,
  SpanStatusCode,
  clockNow,
  createCounterRequestIdGenerator,
  attachBaggage,
  extractHeaders,
  extractHeadersBaggage,
  invalidArgument,
  startMessageSpan,
  type Attributes,
  type CarrierSpan,
} from '../../engine/index.js';
import {
  carrierTracing,
  createStore,
  currentStore,
  runWithStore,
} from '../../engine/internal.js';
import { recordMessageRequest } from '../metrics/active-metrics.js';
import { messageAttributes, transportSystem } from './message-attributes.js';
import { messageDestination, readMessageCarrier } from './server-carrier.js';

type StartHook = (transportId: unknown, context: unknown, done: () => Promise<unknown>) => unknown;
type EndHook = (transportId: unknown, context: unknown) => void;

/** Per-message state, in `store.frame` while the handler runs. Fixed shape. */
export class MessageFrame {
  readonly span: CarrierSpan;
  /** Set when the reply is an error (so the end hook does not overwrite the status). */
  failed: boolean;
  /** The span name of a request-response message (counted in RED metrics at its end), or null for an event. */
  readonly request: string | null;
  /** Clock time the handling started (for the RED duration). */
  readonly startTime: number;

  constructor(span: CarrierSpan, request: string | null, startTime: number) {
    this.span = span;
    this.failed = false;
    this.request = request;
    this.startTime = startTime;
  }
}

interface ReplySerializer {
  serialize(packet: unknown, options?: unknown): unknown;
}

/**
 * Any server. Not `Server` itself: ServerTCP's, ServerNats' ... typed `on()` make them
 * unassignable to `Server<Record<string, Function>, string>`, so the parts used are picked.
 */
export type AnyServer = Pick<Server, 'setOnProcessingStartHook' | 'setOnProcessingEndHook' | 'getHandlers' | 'getHandlerByPattern'>;

const traced = new WeakSet<AnyServer>();

function endMessage(frame: MessageFrame, endTime: number): void {
  frame.span.end(endTime);
  if (frame.request !== null) recordMessageRequest(frame.request, frame.failed, endTime - frame.startTime);
}

/**
 * Marks the message's span failed, once: error status with the error's message, the exception
 * recorded, and `error.type` (low-cardinality, as the semantic conventions ask: never the message).
 */
export function markMessageFailed(err: unknown, errorType: string): void {
  const frame = currentStore()?.frame;
  if (!(frame instanceof MessageFrame) || frame.failed) return;
  frame.failed = true;
  let message = '';
  try {
    message = typeof err === 'string' ? err : typeof (err as { message?: unknown }).message === 'string' ? (err as { message: string }).message : '';
  } catch {
    // a hostile getter on a user's RpcException payload
  }
  frame.span.setAttribute('error.type', errorType);
  frame.span.recordException(typeof err === 'string' ? { message: err } : (err as Error));
  frame.span.setStatus(message === '' ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
}

/**
 * The error a reply packet carries (`{ err }`), serialized by Nest's RPC exception filter: what
 * the filter made of the exception ({ status: 'error', message } or the value an RpcException
 * carried); the original error object never reaches the reply.
 */
function markFailedReply(packet: unknown): void {
  if (typeof packet !== 'object' || packet === null) return;
  const err = (packet as { err?: unknown }).err;
  if (err === undefined || err === null) return;
  markMessageFailed(err, 'rpc_error');
}

/**
 * The outcome of a request is only visible in its reply: Nest's RPC exception filter turns a
 * guard denial, a pipe failure or a thrown error into an `{ err }` reply, and the end hook is
 * told nothing. The server's reply serializer (a pluggable component, `options.serializer`)
 * sees every reply inside the message's context, so it is decorated for this one instance.
 * An interceptor would also see handler errors, but an APP_INTERCEPTOR adds Nest's
 * interceptor pipeline to every HTTP route of a hybrid app and never reaches a hybrid
 * microservice connected without `inheritAppConfig`.
 */
function observeReplies(server: AnyServer): void {
  const holder = server as unknown as { serializer?: ReplySerializer };
  const inner = holder.serializer;
  if (inner === undefined || inner === null || typeof inner.serialize !== 'function') return;
  const decorated = Object.create(inner) as ReplySerializer;
  decorated.serialize = (packet: unknown, options?: unknown) => {
    markFailedReply(packet);
    return inner.serialize(packet, options);
  };
  holder.serializer = decorated;
}

/** What a message to one destination gets: span name, kind and attributes. Immutable, shared. */
class Destination {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;

  constructor(system: string, destination: string, event: boolean) {
    this.name = 'process ' + destination;
    this.kind = event ? SpanKind.CONSUMER : SpanKind.SERVER;
    this.attributes = Object.freeze(messageAttributes(system, destination, 'process'));
  }
}

/** The handler registered for `destination`, or null. */
function handlerOf(server: AnyServer, destination: string): { isEventHandler?: boolean } | null {
  // A plain string pattern is its own handler key. getHandlerByPattern JSON.parses the pattern
  // first, which throws for every plain string: ~30 µs per message (exception and stack
  // capture), so it is only asked for object patterns (`{"cmd":"sum"}`), which it normalises.
  const handler = server.getHandlers().get(destination) as { isEventHandler?: boolean } | undefined;
  if (handler !== undefined) return handler;
  return destination.charCodeAt(0) === 0x7b /* { */ ? (server.getHandlerByPattern(destination) as { isEventHandler?: boolean } | null) : null;
}

/**
 * Where the end hook finds the message's frame: a property of Nest's per-message context,
 * cheaper than a WeakMap entry per message (measured); the context lives exactly as long as
 * the message and the end hook receives the same object. A context that cannot take a
 * property (a custom transport's frozen object) uses the WeakMap.
 */
const FRAME: unique symbol = Symbol('nestjs-trace-context.messageFrame');
type WithFrame = { [FRAME]?: MessageFrame | null };
const sealedFrames = new WeakMap<object, MessageFrame>();

function attachFrame(ctx: object, frame: MessageFrame): void {
  if (Object.isExtensible(ctx)) (ctx as WithFrame)[FRAME] = frame;
  else sealedFrames.set(ctx, frame);
}

function detachFrame(ctx: object): MessageFrame | null {
  const frame = (ctx as WithFrame)[FRAME];
  if (frame !== undefined && frame !== null) {
    (ctx as WithFrame)[FRAME] = null;
    return frame;
  }
  const sealed = sealedFrames.get(ctx);
  if (sealed === undefined) return null;
  sealedFrames.delete(ctx);
  return sealed;
}

/**
 * Instruments `server` (idempotent) and returns it: each message runs in a new request
 * context whose active span continues the caller's trace (a new trace when the message
 * carries no valid context: never an error). Span `process {pattern}`, kind server for a
 * request, consumer for an event, with `messaging.system` (the transport) and the pattern;
 * an error reply sets error status. Hooks set before are kept and run inside the context.
 */
export function traceServer<T extends AnyServer>(server: T): T {
  if (!(server instanceof Server)) {
    throw invalidArgument('server', server, 'a microservice Server (app.connectMicroservice(...).getTransportServer())');
  }
  if (traced.has(server)) return server;
  traced.add(server);
  const hooks = server as unknown as { onProcessingStartHook?: StartHook; onProcessingEndHook?: EndHook };
  const previousStart: StartHook = hooks.onProcessingStartHook ?? ((_t, _c, done) => done());
  const previousEnd = hooks.onProcessingEndHook;
  const nextRequestId = createCounterRequestIdGenerator();
  // Per destination that has a handler (so bounded by the app's patterns, whatever a client
  // sends): name, kind and attributes are built once, not per message.
  const destinations = new Map<string, Destination>();
  const destinationOf = (transportId: unknown, destination: string): Destination => {
    let known = destinations.get(destination);
    if (known !== undefined) return known;
    const handler = handlerOf(server, destination);
    known = new Destination(transportSystem(transportId), destination, handler !== null && handler.isEventHandler === true);
    if (handler !== null) destinations.set(destination, known);
    return known;
  };

  server.setOnProcessingStartHook(((transportId: unknown, ctx: unknown, done: () => Promise<unknown>) => {
    if (typeof ctx !== 'object' || ctx === null) return previousStart(transportId, ctx, done);
    const tracing = carrierTracing();
    const propagator = tracing.propagator;
    const headers = readMessageCarrier(ctx, propagator.fields);
    const parent = extractHeaders(propagator, headers);
    const destination = destinationOf(transportId, messageDestination(ctx));
    const span = startMessageSpan(
      tracing.tracer,
      parent,
      destination.name,
      destination.kind,
      false,
      parent === null || parent.sampled ? destination.attributes : undefined,
    );
    const frame = new MessageFrame(span, destination.kind === SpanKind.SERVER ? destination.name : null, clockNow());
    attachFrame(ctx, frame);
    const store = createStore(nextRequestId(), span, frame);
    const baggage = extractHeadersBaggage(propagator, headers);
    if (baggage !== null) attachBaggage(store, baggage);
    // The OpenTelemetry bridge also activates the span in OTel's context (instrumentation spans
    // in the handler nest under it); native mode has no enterStore and stays one call.
    const tracer = tracing.tracer;
    return tracer.enterStore === undefined
      ? runWithStore(store, previousStart, transportId, ctx, done)
      : tracer.enterStore(store, previousStart, transportId, ctx, done);
  }) as never);

  server.setOnProcessingEndHook(((transportId: unknown, ctx: unknown) => {
    if (previousEnd !== undefined) previousEnd(transportId, ctx);
    if (typeof ctx !== 'object' || ctx === null) return;
    const frame = detachFrame(ctx);
    if (frame === null) return;
    // Nest runs this hook when the reply stream settles, before the replies are written: they
    // are serialized from a process.nextTick queue (Server#send), so an error reply is only
    // seen after this point. End with this moment's time once that queue has run.
    setImmediate(endMessage, frame, clockNow());
  }) as never);

  observeReplies(server);
  return server;
}

/** Whether `server` was instrumented by `traceServer`. */
export function isTracedServer(server: unknown): boolean {
  return server instanceof Server && traced.has(server);
}
