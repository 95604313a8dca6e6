// The micro harness: every 'time' and 'added-ns' comparison carries its interleaved rounds
// (what an "every round" budget is judged on), an 'added-ns' value is the median of its rounds'
// differences, and a 'bytes' comparison has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineSuite, runSuite } from '../../bench/micro/harness.js';
import { median } from '../../bench/stats.js';

let sink = 0;
const work = (n: number) => () => {
  for (let i = 0; i < n; i++) sink = (sink + i) | 0;
  return sink;
};

const suite = defineSuite({
  name: 'harness',
  cases: [
    { name: 'short', impl: 'ntc', fn: work(10) },
    { name: 'long', impl: 'otel', fn: work(1000) },
  ],
  comparisons: [
    { id: 'speedup', ours: 'short', theirs: 'long', metric: 'time' },
    { id: 'added', ours: 'long', theirs: 'short', metric: 'added-ns' },
    { id: 'bytes', ours: 'short', theirs: 'long', metric: 'bytes' },
  ],
});

test('time and added-ns comparisons carry nine interleaved rounds; bytes comparisons none', async () => {
  const { comparisons } = await runSuite(suite, { timeMs: 20, warmupMs: 5 });
  const byId = new Map(comparisons.map((c) => [c.id, c]));
  assert.equal(byId.get('speedup')!.rounds!.length, 9);
  const added = byId.get('added')!;
  assert.equal(added.rounds!.length, 9);
  assert.equal(added.ratio, median(added.rounds!));
  assert.equal(byId.get('bytes')!.rounds, undefined);
});
