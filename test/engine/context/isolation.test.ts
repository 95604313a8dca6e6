import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextKey, context } from '../../../engine/index.js';

const FLOW = new ContextKey<number>('flow');
const STEP = new ContextKey<string>('step');

function randomDelay(): Promise<void> {
  return sleep(Math.floor(Math.random() * 5));
}

test('1,000 concurrent flows with random awaits and timers each see only their own values', async () => {
  const seen: number[] = [];
  const flows = Array.from({ length: 1000 }, (_, i) =>
    context.run(async () => {
      context.set(FLOW, i);
      await randomDelay();
      assert.equal(context.get(FLOW), i);
      await new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 3));
      assert.equal(context.get(FLOW), i);
      await new Promise<void>((resolve) => setImmediate(resolve));
      context.set(STEP, `step-${i}`);
      await randomDelay();
      assert.equal(context.get(STEP), `step-${i}`);
      seen.push(context.get(FLOW)!);
    }),
  );
  await Promise.all(flows);
  assert.equal(seen.length, 1000);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.equal(context.isActive(), false);
});

test('a value set after an await is visible later in the same flow and nowhere else', async () => {
  let otherSaw: number | undefined = -1;
  await Promise.all([
    context.run(async () => {
      await randomDelay();
      context.set(FLOW, 1);
      await randomDelay();
      assert.equal(context.get(FLOW), 1);
    }),
    context.run(async () => {
      await sleep(10);
      otherSaw = context.get(FLOW);
    }),
  ]);
  assert.equal(otherSaw, undefined);
});

test('values reach setTimeout, setImmediate, queueMicrotask and promise chains', async () => {
  await context.run(async () => {
    context.set(FLOW, 7);
    const inTimeout = await new Promise((r) => setTimeout(() => r(context.get(FLOW)), 1));
    const inImmediate = await new Promise((r) => setImmediate(() => r(context.get(FLOW))));
    const inMicrotask = await new Promise((r) => queueMicrotask(() => r(context.get(FLOW))));
    const inChain = await Promise.resolve()
      .then(() => context.get(FLOW))
      .then((v) => [v, context.get(FLOW)]);
    assert.equal(inTimeout, 7);
    assert.equal(inImmediate, 7);
    assert.equal(inMicrotask, 7);
    assert.deepEqual(inChain, [7, 7]);
  });
});

test('a value set inside a timer callback is seen by later work of the same flow', async () => {
  await context.run(async () => {
    await new Promise<void>((r) =>
      setTimeout(() => {
        context.set(STEP, 'from-timer');
        r();
      }, 1),
    );
    assert.equal(context.get(STEP), 'from-timer');
  });
});

test('bind: an EventEmitter listener runs in the context that bound it, not the emitter\'s', async () => {
  const emitter = new EventEmitter();
  const got: Array<number | undefined> = [];
  context.run(() => {
    context.set(FLOW, 1);
    emitter.on('ping', context.bind(() => got.push(context.get(FLOW))));
  });
  context.run(() => {
    context.set(FLOW, 2);
    emitter.on('ping', () => got.push(context.get(FLOW))); // unbound: sees the emitter's context
    emitter.emit('ping');
  });
  emitter.emit('ping'); // outside any context
  assert.deepEqual(got, [1, 2, 1, undefined]);
});

test('bind outside any context runs the function outside any context', () => {
  const bound = context.bind(() => context.isActive());
  const inside = context.run(() => bound());
  assert.equal(inside, false);
});

test('nested run starts from a copy of the parent values and never leaks back', async () => {
  await context.run(async () => {
    context.set(FLOW, 1);
    context.set(STEP, 'outer');
    await context.run(async () => {
      assert.equal(context.get(FLOW), 1);
      context.set(FLOW, 2);
      await randomDelay();
      assert.equal(context.get(FLOW), 2);
      assert.equal(context.get(STEP), 'outer');
    });
    assert.equal(context.get(FLOW), 1);
  });
});

test('nested run changes in the parent after the child starts do not reach the child', async () => {
  await context.run(async () => {
    context.set(FLOW, 1);
    const child = context.run(async () => {
      await sleep(5);
      return context.get(FLOW);
    });
    context.set(FLOW, 99);
    assert.equal(await child, 1);
  });
});

test('run returns the function result, sync or async, and takes initial values and a request id', async () => {
  assert.equal(context.run(() => 42), 42);
  assert.equal(await context.run(async () => 43), 43);
  const result = context.run({ requestId: 'req-1', values: [[FLOW, 5]] }, () => [context.getRequestId(), context.get(FLOW)]);
  assert.deepEqual(result, ['req-1', 5]);
});

test('snapshot and restore copy values; the snapshot is frozen and later sets do not change it', () => {
  context.run(() => {
    context.set(FLOW, 1);
    const snap = context.snapshot()!;
    context.set(FLOW, 2);
    assert.equal(context.get(FLOW), 2);
    context.restore(snap);
    assert.equal(context.get(FLOW), 1);
    context.set(FLOW, 3);
    context.restore(snap);
    assert.equal(context.get(FLOW), 1);
    assert.ok(Object.isFrozen(snap));
    // run(snapshot, fn) opens a context with the snapshot's values
    assert.equal(context.run(snap, () => context.get(FLOW)), 1);
  });
  assert.equal(context.snapshot(), undefined);
});

test('a value first set inside a span scope (runWithSpan) is visible to the rest of the request', async () => {
  const { runWithSpan } = await import('../../../engine/internal.js');
  await context.run(async () => {
    await runWithSpan({}, async () => {
      await randomDelay();
      context.set(STEP, 'inside-span');
    });
    assert.equal(context.get(STEP), 'inside-span');
  });
});
