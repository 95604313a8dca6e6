// Context layer: the cost of reading and writing a value, against the raw ALS floor.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pathToFileURL } from 'node:url';
import { ContextKey, context } from '../../engine/index.js';
import { createCounterRequestIdGenerator, createRandomRequestIdGenerator } from '../../engine/ids/request-id.js';
import { defineSuite, runStandalone } from './harness.js';

const KEY = new ContextKey<number>('n');
const raw = new AsyncLocalStorage<Map<string, unknown>>();
const counterId = createCounterRequestIdGenerator();
const randomId = createRandomRequestIdGenerator();
let i = 0;

export const suite = defineSuite({
  name: 'context',
  cases: [
    { name: 'run+set+get (ntc)', impl: 'ntc', fn: () => context.run(() => (context.set(KEY, i++), context.get(KEY))) },
    {
      name: 'run+set+get (raw ALS + Map)',
      impl: 'floor',
      fn: () => raw.run(new Map(), () => (raw.getStore()!.set('n', i++), raw.getStore()!.get('n'))),
    },
    { name: 'request id counter (ntc default)', impl: 'ntc', fn: () => counterId() },
    { name: 'request id random hex (ntc)', impl: 'ntc', fn: () => randomId() },
    { name: 'request id crypto.randomUUID', impl: 'node', fn: () => crypto.randomUUID() },
  ],
  comparisons: [{ id: 'request-id-counter-vs-uuid', ours: 'request id counter (ntc default)', theirs: 'request id crypto.randomUUID', metric: 'time' }],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runStandalone(suite);
