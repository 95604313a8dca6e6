import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextKey, ErrorCodes, TraceContextError, TraceContextTypeError, context } from '../../../engine/index.js';

const USER = new ContextKey<{ id: string }>('user');
const TENANT = new ContextKey<string>('tenant');

test('outside any context get returns undefined, has is false and isActive is false', () => {
  assert.equal(context.get(USER), undefined);
  assert.equal(context.has(USER), false);
  assert.equal(context.isActive(), false);
  assert.equal(context.getRequestId(), undefined);
});

test('set outside a context throws ERR_CONTEXT_NOT_ACTIVE with a how-to message', () => {
  assert.throws(
    () => context.set(TENANT, 'a'),
    (err: unknown) => {
      assert.ok(err instanceof TraceContextError);
      assert.equal((err as TraceContextError).code, ErrorCodes.ERR_CONTEXT_NOT_ACTIVE);
      assert.match((err as Error).message, /context\.run/);
      return true;
    },
  );
});

test('require outside a context throws ERR_CONTEXT_NOT_ACTIVE; inside, an unset key throws ERR_CONTEXT_KEY_MISSING naming the key', () => {
  assert.throws(() => context.require(TENANT), { code: 'ERR_CONTEXT_NOT_ACTIVE' });
  context.run(() => {
    assert.throws(() => context.require(TENANT), (err: unknown) => {
      assert.equal((err as TraceContextError).code, ErrorCodes.ERR_CONTEXT_KEY_MISSING);
      assert.match((err as Error).message, /"tenant"/);
      return true;
    });
    context.set(TENANT, 't1');
    assert.equal(context.require(TENANT), 't1');
  });
});

test('set policies: overwrite replaces, ignore keeps the first, deny throws ERR_CONTEXT_KEY_EXISTS', () => {
  context.run(() => {
    context.set(TENANT, 'a');
    context.set(TENANT, 'b');
    assert.equal(context.get(TENANT), 'b');
    context.set(TENANT, 'c', 'ignore');
    assert.equal(context.get(TENANT), 'b');
    assert.throws(() => context.set(TENANT, 'd', 'deny'), { code: ErrorCodes.ERR_CONTEXT_KEY_EXISTS });
    assert.equal(context.get(TENANT), 'b');
    context.set(USER, { id: 'u' }, 'deny'); // absent key: deny allows the first write
    assert.deepEqual(context.get(USER), { id: 'u' });
  });
});

test('a bad policy is rejected with a TypeError naming the allowed values', () => {
  context.run(() => {
    context.set(TENANT, 'a');
    assert.throws(() => context.set(TENANT, 'b', 'replace' as never), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.ok(err instanceof TraceContextTypeError);
      assert.equal((err as TraceContextTypeError).code, ErrorCodes.ERR_INVALID_ARGUMENT);
      assert.match((err as Error).message, /"overwrite", "ignore" or "deny"/);
      return true;
    });
  });
});

test('undefined is a real value: has is true after set(key, undefined)', () => {
  context.run(() => {
    context.set(TENANT, undefined as unknown as string);
    assert.equal(context.has(TENANT), true);
    assert.equal(context.require(TENANT), undefined);
    context.unset(TENANT);
    assert.equal(context.has(TENANT), false);
  });
});

test('merge writes several keys; deny is all or nothing', () => {
  context.run(() => {
    context.merge([
      [TENANT, 'x'],
      [USER, { id: '1' }],
    ]);
    assert.equal(context.get(TENANT), 'x');
    context.merge([[TENANT, 'y']], 'ignore');
    assert.equal(context.get(TENANT), 'x');
    const OTHER = new ContextKey<number>('other');
    assert.throws(() => context.merge([[OTHER, 1], [TENANT, 'z']], 'deny'), { code: 'ERR_CONTEXT_KEY_EXISTS' });
    assert.equal(context.has(OTHER), false);
    context.merge(new Map<ContextKey<any>, unknown>([[OTHER, 2]]));
    assert.equal(context.get(OTHER), 2);
  });
});

test('keys are distinct by identity, not by name; ContextKey.for shares one key per name', () => {
  const a = new ContextKey<string>('same');
  const b = new ContextKey<string>('same');
  context.run(() => {
    context.set(a, 'A');
    assert.equal(context.get(b), undefined);
  });
  assert.equal(ContextKey.for('shared'), ContextKey.for('shared'));
  assert.notEqual(ContextKey.for('same'), a);
  assert.throws(() => new ContextKey(''), TypeError);
});

test('keys named like Object.prototype members cannot reach the prototype', () => {
  const proto = ContextKey.for<string>('__proto__');
  context.run(() => {
    assert.equal(context.get(proto), undefined);
    context.set(proto, 'safe');
    assert.equal(context.get(proto), 'safe');
  });
});

test('instanceof survives a second copy of the package (brand, not class identity)', async () => {
  const copy = await import(`../../../engine/errors.js?copy=${Date.now()}`);
  assert.notEqual(copy.TraceContextError, TraceContextError);
  const foreign = new copy.TraceContextError('ERR_CONTEXT_NOT_ACTIVE', 'x');
  assert.ok(foreign instanceof TraceContextError);
  assert.equal(foreign instanceof TraceContextTypeError, false);
  const foreignType = copy.invalidOption('a.b', 1, 'a string');
  assert.ok(foreignType instanceof TraceContextTypeError);
  assert.ok(foreignType instanceof TypeError);
  assert.equal(foreignType instanceof TraceContextError, false);
  assert.equal(new Error('plain') instanceof TraceContextError, false);
});

test('option errors name the option, the value and what is allowed', async () => {
  const { invalidOption } = await import('../../../engine/errors.js');
  const err = invalidOption('tracing.sampler.ratio', 2, 'a number from 0 to 1');
  assert.equal(err.code, 'ERR_INVALID_OPTION');
  assert.equal(err.message, 'Invalid option tracing.sampler.ratio: got 2, expected a number from 0 to 1.');
});

test('run without a function is a clear TypeError', () => {
  assert.throws(() => context.run({}, undefined as never), { code: 'ERR_INVALID_ARGUMENT' });
});
