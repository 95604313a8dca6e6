// Microservice messages: the per-message work of the two hooks, ours beside what a user would
// write by hand with OpenTelemetry JS (it has no Nest microservices instrumentation) in the
// same run. Real Nest objects: a ServerTCP (not listening) instrumented with traceServer and
// a TcpContext carrying W3C metadata, as ServerTCP#handleMessage builds them.
// - server: the processing start hook (read metadata, extract, start the server span, open the
//   message's context, run the handler stub) plus the end hook. OTel: extract, startSpan(server,
//   parent), context.with(handler), end.
// - client: the dispatch hook writing the active span's headers into packet.metadata. OTel:
//   propagation.inject of context.active() into the metadata object.
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind as OtelSpanKind, context as otelContext, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { ClientTCP, ServerTCP, TcpContext, Transport, type ReadPacket } from '@nestjs/microservices';
import { traceClient } from '../../nest/microservices/traced-client.js';
import { traceServer } from '../../nest/microservices/traced-server.js';
import { otel, otelPropagator, ours } from './carrier-tracers.js';
import { defineSuite, runStandalone } from './harness.js';


const METADATA = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
const ATTRS = {
  'messaging.system': 'tcp',
  'messaging.destination.name': 'order.create',
  'messaging.operation.type': 'process',
  'messaging.operation.name': 'process',
};
const resolved = Promise.resolve();
const handler = (): Promise<void> => resolved;

type StartHook = (transportId: unknown, ctx: unknown, done: () => Promise<unknown>) => unknown;
type EndHook = (transportId: unknown, ctx: unknown) => void;
const server = traceServer(new ServerTCP({ host: '127.0.0.1', port: 0 }));
// As in an app: the pattern has a handler (registered by Nest's ListenersController).
server.addHandler('order.create', handler, false);
const hooks = server as unknown as { onProcessingStartHook: StartHook; onProcessingEndHook: EndHook };

const oursServer = (): unknown => {
  const ctx = new TcpContext([null as never, 'order.create', METADATA]);
  const result = hooks.onProcessingStartHook(Transport.TCP, ctx, handler);
  hooks.onProcessingEndHook(Transport.TCP, ctx);
  return result;
};

const otelServer = (): unknown => {
  const ctx = new TcpContext([null as never, 'order.create', METADATA]);
  const parent = otelPropagator.extract(ROOT_CONTEXT, ctx.getMetadata(), defaultTextMapGetter);
  const span = otel.startSpan('process order.create', { kind: OtelSpanKind.SERVER, attributes: ATTRS }, parent);
  const result = otelContext.with(trace.setSpan(parent, span), handler);
  span.end();
  return result;
};

// The dispatch hook a traced client installed, called the way ClientProxy#createPacket does.
const client = traceClient(new ClientTCP({ host: '127.0.0.1', port: 1 }));
const dispatch = (client as unknown as { onDispatchHook: (packet: ReadPacket) => void }).onDispatchHook;
const oursParent = ours.startSpan('send order.create');
const otelParentCtx = trace.setSpan(ROOT_CONTEXT, otel.startSpan('send order.create'));

const oursDispatch = (): ReadPacket => {
  const packet: ReadPacket = { pattern: 'order.create', data: METADATA };
  dispatch(packet);
  return packet;
};
const otelDispatch = (): ReadPacket => {
  const packet: ReadPacket = { pattern: 'order.create', data: METADATA };
  const metadata: Record<string, string> = {};
  otelPropagator.inject(otelContext.active(), metadata, defaultTextMapSetter);
  packet.metadata = metadata;
  return packet;
};

export const suite = defineSuite({
  name: 'microservices',
  cases: [
    { name: 'server message start+end hooks (ntc)', impl: 'ntc', fn: oursServer },
    { name: 'server message by hand (otel)', impl: 'otel', fn: otelServer },
    { name: 'client dispatch hook in active span (ntc)', impl: 'ntc', fn: () => ours.withSpan(oursParent, oursDispatch) },
    { name: 'client inject by hand in active span (otel)', impl: 'otel', fn: () => otelContext.with(otelParentCtx, otelDispatch) },
  ],
  comparisons: [
    { id: 'message-server-speedup', ours: 'server message start+end hooks (ntc)', theirs: 'server message by hand (otel)', metric: 'time' },
    { id: 'message-server-bytes', ours: 'server message start+end hooks (ntc)', theirs: 'server message by hand (otel)', metric: 'bytes' },
    { id: 'message-dispatch-speedup', ours: 'client dispatch hook in active span (ntc)', theirs: 'client inject by hand in active span (otel)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
