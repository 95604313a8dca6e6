import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, createSampler, type Attributes } from '../../../engine/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const sampler = createSampler(
  {
    type: 'always_on',
    rules: [
      { route: '/health', sampler: { type: 'always_off' } },
      { name: 'GET /internal/*', sampler: { type: 'always_off' } },
      { kind: 'consumer', attributes: { 'messaging.system': 'redis' }, sampler: { type: 'always_off' } },
      { kind: SpanKind.CLIENT, name: 'POST *', sampler: { type: 'always_off' } },
      { route: '/admin*', sampler: { type: 'always_on' } },
      { route: '/*', sampler: { type: 'traceidratio', ratio: 0 } },
    ],
  },
  {},
);

function decide(name: string, kind: SpanKind, attributes?: Attributes): number {
  return sampler.shouldSample(null, TRACE, name, kind, attributes).decision;
}

test('the first matching rule picks the sampler; no match uses the base sampler', () => {
  assert.equal(decide('GET /health', SpanKind.SERVER, { 'http.route': '/health' }), 0, 'route exact');
  assert.equal(decide('GET /internal/stats', SpanKind.SERVER), 0, 'name prefix');
  assert.equal(decide('job', SpanKind.CONSUMER, { 'messaging.system': 'redis' }), 0, 'kind + attribute');
  assert.equal(decide('job', SpanKind.CONSUMER, { 'messaging.system': 'nats' }), 2, 'attribute differs: falls through to base');
  assert.equal(decide('job', SpanKind.PRODUCER, { 'messaging.system': 'redis' }), 2, 'kind differs');
  assert.equal(decide('POST upstream', SpanKind.CLIENT), 0, 'kind + name prefix');
  assert.equal(decide('POST upstream', SpanKind.INTERNAL), 2);
  assert.equal(decide('GET', SpanKind.SERVER, { 'http.route': '/admin/users' }), 2, 'earlier route rule wins over the later /*');
  assert.equal(decide('GET', SpanKind.SERVER, { 'http.route': '/orders/:id' }), 0, 'catch-all route rule');
  assert.equal(decide('GET', SpanKind.SERVER), 2, 'no route attribute and no route in the name: no route rule matches');
  assert.equal(decide('GET /health', SpanKind.SERVER), 0, 'route read from a `{METHOD} {route}` span name');
  assert.equal(decide('GET /healthz', SpanKind.SERVER), 0, 'falls to the catch-all /* rule, not the exact /health one');
  assert.equal(decide('GET /admin/x', SpanKind.SERVER), 2, 'prefix route from the name');
  assert.equal(decide('GET /health', SpanKind.SERVER, { 'http.route': '/orders' }), 0, 'the attribute wins over the name: /orders matches /*');
  assert.equal(decide('health check', SpanKind.INTERNAL), 2, 'a name without a /route is not a route');
  assert.match(String(sampler), /^RuleBased\{\[route=\/health\]->AlwaysOffSampler/);
});

test('bad rules fail at startup naming the rule path', () => {
  assert.throws(() => createSampler({ rules: [{ sampler: { type: 'nope' as never } }] }, {}), /sampler\.rules\[0\]\.sampler\.type: got "nope"/);
  assert.throws(() => createSampler({ rules: [{ kind: 'server-ish' as never, sampler: {} }] }, {}), /sampler\.rules\[0\]\.kind/);
  assert.throws(() => createSampler({ rules: [{ name: '' , sampler: {} }] }, {}), /sampler\.rules\[0\]\.name/);
  assert.throws(() => createSampler({ rules: [{ route: '/x' } as never] }, {}), /sampler\.rules\[0\]\.sampler: got undefined/);
  assert.throws(() => createSampler({ rules: [{ attributes: { a: {} as never }, sampler: {} }] }, {}), /sampler\.rules\[0\]\.attributes\.a/);
  assert.throws(() => createSampler({ rules: [{ path: '/x', sampler: {} } as never] }, {}), /sampler\.rules\[0\]\.path: .*no such option/);
  assert.throws(() => createSampler({ rules: 'x' as never }, {}), /sampler\.rules: got "x", expected an array/);
});
