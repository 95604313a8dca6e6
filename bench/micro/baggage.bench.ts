// Baggage and log correlation: W3C Baggage extract and inject beside OpenTelemetry JS's
// W3CBaggagePropagator in the same run, the cost of a request that brings no baggage, and
// traceLogFields() per log line, inside and outside a request.
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, propagation } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { Baggage } from '../../engine/baggage/baggage.js';
import { w3cBaggageCodec } from '../../engine/baggage/baggage-propagation.js';
import { createStore, runWithStore } from '../../engine/context/request-context.js';
import { traceLogFields } from '../../engine/logging/trace-log-fields.js';
import { TraceContext } from '../../engine/propagation/trace-context.js';
import { defineSuite, runStandalone } from './harness.js';

// Distinct header strings per call, as a server sees them (one reused string would let V8's
// caches flatter the split-based parser), flat one-byte strings as Node's parser makes them.
const REQUESTS = 1024;
const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');
const requests = Array.from({ length: REQUESTS }, (_, i) => ({
  host: 'example.test',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  baggage: flat(`tenant.id=acme${i},user.tier=gold;ttl=30,session=Am%C3%A9lie%20${i & 15}`),
}));
const bare = { host: 'example.test', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
let next = 0;
function nextRequest(): Record<string, string> {
  next = (next + 1) & (REQUESTS - 1);
  return requests[next]!;
}

const otel = new W3CBaggagePropagator();
// The same three entries as the extracted headers carry, one needing percent-encoding.
const ours = new Baggage([]).with('tenant.id', 'acme').with('user.tier', 'gold', 'ttl=30').with('session', 'Amélie Poulain');
const otelCtx = propagation.setBaggage(
  ROOT_CONTEXT,
  propagation.createBaggage(Object.fromEntries(ours.entries.map((e) => [e.key, { value: e.value }]))),
);

const store = createStore('req-1', new TraceContext('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 1, undefined, false, undefined), null);
const noop = (): number => 0;

export const suite = defineSuite({
  name: 'baggage',
  cases: [
    { name: 'baggage extract (ntc)', impl: 'ntc', fn: () => w3cBaggageCodec.extract(nextRequest()) },
    { name: 'baggage extract (otel)', impl: 'otel', fn: () => otel.extract(ROOT_CONTEXT, nextRequest(), defaultTextMapGetter) },
    { name: 'no baggage header (ntc)', impl: 'ntc', fn: () => w3cBaggageCodec.extract(bare) },
    {
      name: 'baggage inject (ntc)',
      impl: 'ntc',
      fn: () => {
        const h: Record<string, string> = {};
        w3cBaggageCodec.inject(ours, h);
        return h;
      },
    },
    {
      name: 'baggage inject (otel)',
      impl: 'otel',
      fn: () => {
        const h: Record<string, string> = {};
        otel.inject(otelCtx, h, defaultTextMapSetter);
        return h;
      },
    },
    // A log line outside any request: the shared frozen empty object, no allocation.
    { name: 'traceLogFields outside a context (ntc)', impl: 'ntc', fn: () => traceLogFields() },
    // Inside a request: includes entering the context for the call; the floor case below is
    // that entry alone, so the difference is traceLogFields itself.
    { name: 'traceLogFields in a request (ntc)', impl: 'ntc', fn: () => runWithStore(store, traceLogFields) },
    { name: 'context entry only (floor)', impl: 'floor', fn: () => runWithStore(store, noop) },
  ],
  comparisons: [
    { id: 'baggage-extract-speedup', ours: 'baggage extract (ntc)', theirs: 'baggage extract (otel)', metric: 'time' },
    { id: 'baggage-inject-speedup', ours: 'baggage inject (ntc)', theirs: 'baggage inject (otel)', metric: 'time' },
  ],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runStandalone(suite);
}
