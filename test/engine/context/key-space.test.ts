// Context keys and what they cost: reading a name nobody set makes no key, and a context copy
// (a nested run, a snapshot) is proportional to the keys set, not to how many keys the process
// ever made. Keys are meant to be made at module scope; these are the cases where they were not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextKey, context } from '../../../engine/index.js';
import { currentStore } from '../../../engine/internal.js';
import { DENSE_KEYS } from '../../../engine/context/context-store.js';

const MODULE_KEY = new ContextKey<string>('module-scope');

test('ContextKey.find looks a name up without registering it', () => {
  const name = `find-only-${Math.random()}`;
  assert.equal(ContextKey.find(name), undefined);
  assert.equal(ContextKey.find(name), undefined, 'still none: find made no key');
  const made = ContextKey.for(name);
  assert.equal(ContextKey.find(name), made);
});

test('a nested context copies one entry per key set, not one slot per key ever made', () => {
  // 200,000 keys made (say, one per request by mistake); the last one has id ~200,000.
  let high = new ContextKey<number>('high');
  for (let i = 0; i < 200_000; i++) high = new ContextKey<number>(`per-request-${i}`);
  assert.ok(high.id > 200_000);
  context.run(() => {
    context.set(MODULE_KEY, 'outer');
    context.set(high, 1);
    context.run(() => {
      const values = currentStore()!.values!;
      assert.ok(values.length <= DENSE_KEYS, `the copied array has ${values.length} slots`);
      assert.equal(context.get(high), 1, 'the high key is inherited');
      assert.equal(context.get(MODULE_KEY), 'outer');
      context.set(high, 2);
      assert.equal(context.get(high), 2);
      context.unset(high);
      assert.equal(context.has(high), false);
    });
    assert.equal(context.get(high), 1, 'changes inside never leak out');
    const snap = context.snapshot()!;
    context.set(high, 3);
    context.run(snap, () => assert.equal(context.get(high), 1, 'a snapshot keeps its own copy'));
    assert.throws(() => context.set(high, 4, 'deny'), { code: 'ERR_CONTEXT_KEY_EXISTS' });
    assert.equal(context.require(high), 3);
  });
});
