import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createCounterRequestIdGenerator,
  createRandomRequestIdGenerator,
  isValidRequestId,
  resolveRequestId,
} from '../../../engine/index.js';

test('valid inbound request ids are kept as they are', () => {
  const gen = createCounterRequestIdGenerator();
  for (const id of ['a', 'req-123', 'A.b_c:d-e', '0'.repeat(128), '550e8400-e29b-41d4-a716-446655440000']) {
    assert.equal(isValidRequestId(id), true, id);
    assert.equal(resolveRequestId(id, gen), id);
  }
});

test('every bad inbound request id yields a generated id, never the bad one', () => {
  const gen = createCounterRequestIdGenerator();
  const bad: Array<string | string[] | undefined> = [
    undefined,
    '',
    'x'.repeat(129),
    'abc\r\nSet-Cookie: a=b',
    'abc\n',
    'tab\there',
    'nul\u0000',
    'del\u007f',
    'space here',
    'é-unicode',
    'slash/no',
    '<script>',
    ['a', 'b'],
    ['only-one'],
  ];
  for (const value of bad) {
    assert.equal(isValidRequestId(value), false, JSON.stringify(value));
    const got = resolveRequestId(value, gen);
    assert.notEqual(got, value);
    assert.ok(isValidRequestId(got), got);
  }
});

test('counter ids are unique, valid and share a random prefix', () => {
  const gen = createCounterRequestIdGenerator();
  const ids = new Set<string>();
  for (let i = 0; i < 10_000; i++) ids.add(gen());
  assert.equal(ids.size, 10_000);
  const [first] = ids;
  assert.match(first!, /^[0-9a-f]{8}-0$/);
  for (const id of ids) assert.ok(isValidRequestId(id));
  assert.notEqual(createCounterRequestIdGenerator()().slice(0, 8), first!.slice(0, 8));
});

test('random ids are 16 lowercase hex digits and unique', () => {
  const gen = createRandomRequestIdGenerator();
  const ids = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const id = gen();
    assert.match(id, /^[0-9a-f]{16}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 10_000);
});
