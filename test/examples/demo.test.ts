// The two-service demo, run as `npm start` runs it (the launcher spawning both services) on
// free ports, called over real HTTP.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from '../nest/helpers.js';
import { freePort } from '../helpers/servers.js';
import { eventually, spawnDemo } from './demo-process.js';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
  status: { code: number };
  attributes: Record<string, unknown>;
}

const SERVER = 1;
const CLIENT = 2;
const INTERNAL = 0;

test('npm start runs both services; one gateway call makes one trace across them, served at /traces', async (t) => {
  // Port 0 for both: the launcher starts the gateway with the address orders actually got.
  const demo = await spawnDemo('launcher.js', [], { PORT_GATEWAY: '0', PORT_ORDERS: '0' }, [
    /^Demo running: gateway (http:\/\/\S+) -> orders (http:\/\/127\.0\.0\.1:(\d+))$/,
  ]);
  t.after(() => demo.stop());
  const match = demo.matches[0]!;
  const gateway = match[1]!;
  const ordersUrl = match[2]!;
  const ordersPort = Number(match[3]);

  const reply = await request(gateway, '/orders/42');
  assert.equal(reply.status, 200, reply.body);
  const body = reply.json<{ traceId: string; orders: { traceId: string; order: { id: string; total: number } } }>();
  assert.equal(body.orders.order.id, '42');
  assert.match(body.traceId, /^[0-9a-f]{32}$/);
  assert.equal(body.orders.traceId, body.traceId, 'the orders service continued the gateway\'s trace');
  assert.match(String(reply.headers.traceparent), new RegExp(`^00-${body.traceId}-[0-9a-f]{16}-0[13]$`), 'sampled (random bit may be set)');

  // Spans reach the memory store through the batch processor (100 ms in the demo).
  const spans = await eventually(async () => {
    const traces = (await request(gateway, '/traces')).json<{ traces: { traceId: string; spans: Span[] }[] }>().traces;
    const found = traces.find((tr) => tr.traceId === body.traceId);
    return found !== undefined && found.spans.length >= 5 ? found.spans : undefined;
  });
  const one = (pred: (s: Span) => boolean, what: string): Span => {
    const matching = spans.filter(pred);
    assert.equal(matching.length, 1, `exactly one ${what} in ${JSON.stringify(spans, null, 1)}`);
    return matching[0]!;
  };
  const gatewayServer = one((s) => s.service === 'gateway' && s.kind === SERVER, 'gateway server span');
  const client = one((s) => s.service === 'gateway' && s.kind === CLIENT, 'gateway client span');
  const ordersServer = one((s) => s.service === 'orders' && s.kind === SERVER, 'orders server span');
  const find = one((s) => s.service === 'orders' && s.name === 'orders.find', 'orders.find span');
  const price = one((s) => s.service === 'orders' && s.name === 'orders.price', 'orders.price span');

  assert.equal(gatewayServer.parentSpanId, undefined, 'the gateway span is the root');
  assert.equal(client.parentSpanId, gatewayServer.spanId);
  assert.equal(client.name, 'GET');
  assert.equal(client.attributes['http.request.method'], 'GET');
  assert.equal(client.attributes['url.full'], `${ordersUrl}/orders/42`);
  assert.equal(client.attributes['server.address'], '127.0.0.1');
  assert.equal(client.attributes['server.port'], ordersPort);
  assert.equal(client.attributes['http.response.status_code'], 200);
  assert.equal(ordersServer.parentSpanId, client.spanId, 'the orders server span is the child of the client span');
  assert.equal(find.kind, INTERNAL);
  assert.equal(find.parentSpanId, ordersServer.spanId);
  assert.equal(price.parentSpanId, find.spanId);
  assert.equal(price.attributes['orders.item_count'], 3);

  // The console exporter printed the same trace from both processes.
  await eventually(async () =>
    demo.lines.some((l) => l.startsWith('[orders] orders ' + body.traceId)) && demo.lines.some((l) => l.startsWith('[gateway] gateway ' + body.traceId))
      ? true
      : undefined,
  );
});

test('the gateway answers 502 when the orders service is down, and records the failed client span', async (t) => {
  const deadPort = await freePort();
  const demo = await spawnDemo(
    'service.main.js',
    ['gateway'],
    { PORT_GATEWAY: '0', ORDERS_URL: `http://127.0.0.1:${deadPort}` },
    [/gateway listening on (http:\/\/\S+)/],
  );
  t.after(() => demo.stop());
  const gateway = demo.matches[0]![1]!;
  const reply = await request(gateway, '/orders/7');
  assert.equal(reply.status, 502);
  const traceId = /^00-([0-9a-f]{32})-/.exec(String(reply.headers.traceparent))?.[1];
  assert.ok(traceId !== undefined, 'the gateway answers with its traceparent');
  const client = await eventually(async () => {
    const traces = (await request(gateway, '/traces')).json<{ traces: { traceId: string; spans: Span[] }[] }>().traces;
    return traces.find((tr) => tr.traceId === traceId)?.spans.find((s) => s.kind === CLIENT);
  });
  assert.equal(client.status.code, 2);
  assert.equal(client.attributes['error.type'], 'ECONNREFUSED');
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT set, a demo service sends its spans to that collector instead of the console', async (t) => {
  const { startSink } = await import('../engine/instrumentation/helpers.js');
  const collector = await startSink();
  const demo = await spawnDemo(
    'service.main.js',
    ['orders'],
    { PORT_ORDERS: '0', OTEL_EXPORTER_OTLP_ENDPOINT: collector.origin, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    [/orders listening on (http:\/\/\S+)/],
  );
  t.after(() => demo.stop());
  const reply = await request(demo.matches[0]![1]!, '/orders/9');
  const traceId = reply.json<{ traceId: string }>().traceId;
  const post = await eventually(async () => collector.received.find((r) => r.url === '/v1/traces' && r.body.includes(traceId)));
  assert.equal(post.method, 'POST');
  assert.match(String(post.headers['content-type']), /application\/json/);
  assert.ok(post.body.includes('"orders.find"'));
  assert.equal(demo.lines.filter((l) => l.includes(traceId)).length, 0, 'nothing printed by a console exporter');
});
