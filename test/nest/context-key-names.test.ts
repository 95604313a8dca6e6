// RequestContextService's string-named keys: reading a name that was never set (a header value,
// a user id used as a name) makes no key, so hostile input cannot grow the key registry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextKey, RequestContextService, context } from '../../nest/index.js';

test('get and has of 10,000 unknown names make no key; set still makes one, shared with ContextKey.for', () => {
  const before = new ContextKey('probe').id;
  context.run(() => {
    for (let i = 0; i < 10_000; i++) {
      assert.equal(RequestContextService.get(`unknown-${i}`), undefined);
      assert.equal(RequestContextService.has(`unknown-${i}`), false);
    }
  });
  assert.equal(new ContextKey('probe').id, before + 1, 'no key was made between the two probes');
  assert.equal(ContextKey.find('unknown-0'), undefined);
  context.run(() => {
    RequestContextService.set('tenant', 'acme');
    assert.equal(RequestContextService.get('tenant'), 'acme');
    assert.equal(RequestContextService.has('tenant'), true);
    assert.equal(context.get(ContextKey.for<string>('tenant')), 'acme');
  });
});
