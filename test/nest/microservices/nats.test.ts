// Nest microservices over NATS with a real nats-server (started on a free port): the trace
// travels in NATS message headers, since NATS packet metadata never reaches NatsContext.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ClientProxyFactory, NatsRecordBuilder, Transport, type ReadPacket } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { runWithTraceContext } from '../../../engine/index.js';
import { traceClient } from '../../../nest/microservices/index.js';
import { resetFinishedSpans } from '../../../nest/testing/index.js';
import { cleanupStack, startNats } from '../../helpers/servers.js';
import { INCOMING, ORDERS, assertGatewayTrace, oneSpan, startGateway, startOrders, waitForSpans, type Seen } from './fixtures.js';


interface NatsHeaders {
  get(name: string): string;
  set(name: string, value: string): void;
}
interface NatsMsg {
  json<T>(): T;
}
interface NatsConnection {
  request(subject: string, data: string, opts: { timeout: number; headers?: NatsHeaders }): Promise<NatsMsg>;
  close(): Promise<void>;
}
const nats = createRequire(import.meta.url)('@nats-io/transport-node') as {
  connect(opts: { servers: string[] }): Promise<NatsConnection>;
  headers(): NatsHeaders;
};

async function setup(t: { after(fn: () => unknown): void }) {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const server = await startNats();
  defer(() => server.stop());
  const options = { servers: [server.url] };
  const orders = await startOrders({ transport: Transport.NATS, options });
  defer(() => orders.close());
  // The gateway's RequestContextModule is the tracing runtime of the process.
  const gateway = await startGateway({ name: ORDERS, transport: Transport.NATS, options });
  defer(() => gateway.close());
  return { options, origin: gateway.origin };
}

test('gateway HTTP -> send over NATS -> reply is one trace, carried in NATS headers', async (t) => {
  const { origin } = await setup(t);
  await assertGatewayTrace(origin, 'nats', 5);
});

test('NATS: the header is set on packet.headers (not metadata), and a NatsRecord keeps its own headers', async (t) => {
  const { options } = await setup(t);
  const client = ClientProxyFactory.create({ transport: Transport.NATS, options });
  t.after(() => client.close());
  const packets: ReadPacket[] = [];
  client.setOnDispatchHook((packet) => packets.push(packet));
  traceClient(client);
  await runWithTraceContext({ traceparent: INCOMING }, 'caller', () => firstValueFrom(client.send('order.create', { n: 1 })));
  const first = await oneSpan('send order.create');
  const headers = (packets[0] as ReadPacket & { headers?: NatsHeaders }).headers!;
  assert.equal(packets[0]!.metadata, undefined);
  assert.equal(JSON.stringify({ ...packets[0] }).includes('headers'), false, 'the headers stay out of the JSON body');
  assert.equal(headers.get('traceparent'), `00-${first.traceId}-${first.spanId}-01`);

  resetFinishedSpans();
  const own = nats.headers();
  own.set('x-tenant', 'acme');
  const record = new NatsRecordBuilder({ n: 2 }).setHeaders(own).build();
  const seen = await runWithTraceContext({ traceparent: INCOMING }, 'caller', () => firstValueFrom(client.send<Seen>('order.create', record)));
  const server = await oneSpan('process order.create');
  assert.equal(server.parentSpanId, (await oneSpan('send order.create')).spanId, 'continued through the record headers');
  assert.equal(seen.n, 2);
  assert.equal(own.get('x-tenant'), 'acme');
});

test('NATS messages with bad or missing trace headers start a new trace and never throw', async (t) => {
  const { options } = await setup(t);
  const connection = await nats.connect(options);
  t.after(() => connection.close());
  const values = [
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-b7ad6b7169203331-01',
    '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
    '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
    'x'.repeat(60_000),
  ];
  for (let i = 0; i < values.length; i++) {
    const headers = nats.headers();
    if (values[i] !== undefined) headers.set('traceparent', values[i]!);
    const msg = await connection.request('order.create', JSON.stringify({ pattern: 'order.create', data: { n: i }, id: `raw-${i}` }), {
      timeout: 60_000,
      headers,
    });
    const body = msg.json<{ response?: Seen; err?: unknown }>();
    assert.equal(body.err, undefined);
    assert.equal(body.response!.n, i);
  }
  const spans = await waitForSpans('process order.create', values.length);
  assert.equal(spans.length, values.length);
  for (const span of spans) assert.equal(span.parentSpanId, undefined, 'a new root');
});
