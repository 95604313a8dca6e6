// Bad arguments to the context API give a clear ERR_INVALID_ARGUMENT TypeError naming what was
// wrong, never a raw TypeError from inside and never a silent write: a string used as a key
// used to land in one shared slot that every other non-key then read back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextKey, ErrorCodes, TraceContextTypeError, context } from '../../../engine/index.js';

const KEY = new ContextKey<number>('count');

function invalid(fn: () => unknown, names: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TraceContextTypeError, String(err));
    assert.ok(err instanceof TypeError);
    assert.equal((err as TraceContextTypeError).code, ErrorCodes.ERR_INVALID_ARGUMENT);
    assert.match((err as Error).message, names);
    return true;
  });
}

test('set, unset and require reject anything that is not a ContextKey, and nothing is written', () => {
  context.run(() => {
    for (const bad of ['count', { id: KEY.id, name: 'count' }, null, undefined, 7]) {
      invalid(() => context.set(bad as never, 1), /key for context\.set.*ContextKey/);
      invalid(() => context.unset(bad as never), /key for context\.unset/);
      invalid(() => context.require(bad as never), /key for context\.require/);
    }
    assert.equal(context.has(KEY), false, 'a look-alike object with the key\'s id did not write its slot');
    assert.equal(context.get('other' as never), undefined, 'no shared slot for non-keys');
  });
});

test('merge and run values check every key before writing any', () => {
  const OTHER = new ContextKey<number>('other');
  context.run(() => {
    invalid(() => context.merge([[OTHER, 1], ['count' as never, 2]]), /key for context\.merge/);
    assert.equal(context.has(OTHER), false, 'all or nothing');
    invalid(() => context.merge(42 as never), /entries for context\.merge/);
    invalid(() => context.merge(null as never), /entries for context\.merge/);
    invalid(() => context.merge([KEY] as never), /entry 0 for context\.merge/);
    context.merge(new Map([[OTHER, 3]]));
    assert.equal(context.get(OTHER), 3);
  });
  invalid(() => context.run({ values: [['count' as never, 1]] }, () => 0), /key for context\.run/);
  invalid(() => context.run({ values: 5 as never }, () => 0), /entries for context\.run/);
  assert.equal(context.run({ values: [[KEY, 4]] }, () => context.get(KEY)), 4);
});

test('run rejects a non-object initial context and a non-string request id', () => {
  invalid(() => context.run(null as never, () => 0), /initial context for context\.run/);
  invalid(() => context.run('req-1' as never, () => 0), /initial context for context\.run/);
  invalid(() => context.run({ requestId: 42 as never }, () => 0), /requestId for context\.run/);
  assert.equal(context.run({ requestId: 'req-1' }, () => context.getRequestId()), 'req-1');
});

test('a ContextKey needs a non-empty string name', () => {
  invalid(() => new ContextKey(''), /ContextKey name/);
  invalid(() => new ContextKey(42 as never), /ContextKey name.*non-empty string/);
});
