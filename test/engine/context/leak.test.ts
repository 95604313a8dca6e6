import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextKey, context } from '../../../engine/index.js';

const PAYLOAD = new ContextKey<number[]>('payload');
const gc = (globalThis as { gc?: () => void }).gc;

function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

test('after 100,000 runs finish, no context is active outside and the heap does not grow', { skip: gc === undefined && 'needs --expose-gc' }, async () => {
  const collect = async () => {
    for (let i = 0; i < 3; i++) {
      gc!();
      await settle();
    }
  };
  // warm-up so code and inline caches are allocated before the baseline
  for (let i = 0; i < 10_000; i++) context.run(() => context.set(PAYLOAD, [i]));
  await collect();
  const before = process.memoryUsage().heapUsed;
  for (let batch = 0; batch < 100; batch++) {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) {
      pending.push(
        context.run(async () => {
          context.set(PAYLOAD, new Array(16).fill(i));
          await null;
        }),
      );
    }
    await Promise.all(pending);
  }
  assert.equal(context.isActive(), false);
  await collect();
  const growth = process.memoryUsage().heapUsed - before;
  // 100,000 stores with a 16-element array each would be > 15 MB if retained.
  assert.ok(growth < 2 * 1024 * 1024, `heap grew by ${growth} bytes`);
});
