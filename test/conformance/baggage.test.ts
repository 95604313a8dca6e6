// W3C Baggage conformance: the spec's own examples (baggage/HTTP_HEADER_FORMAT.md), its limits,
// and input that must never throw.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Baggage, parseBaggage, serializeBaggage, w3cBaggageCodec } from '../../engine/index.js';

function entries(b: Baggage | null): [string, string, string][] {
  return b === null ? [] : b.entries.map((e) => [e.key, e.value, e.properties]);
}

describe('W3C Baggage: the spec examples', () => {
  test('properties example: key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue', () => {
    assert.deepEqual(entries(parseBaggage('key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue')), [
      ['key1', 'value1', 'property1;property2'],
      ['key2', 'value2', ''],
      ['key3', 'value3', 'propertyKey=propertyValue'],
    ]);
  });

  test('userId=alice,serverNode=DF%2028,isProduction=false: values are percent-decoded', () => {
    assert.deepEqual(parseBaggage('userId=alice,serverNode=DF%2028,isProduction=false')!.toObject(), {
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
  });

  test('UTF-8 values: userId=Am%C3%A9lie', () => {
    assert.equal(parseBaggage('userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false')!.get('userId'), 'Amélie');
  });

  test('several baggage headers combine (the limits apply to all of them together)', () => {
    assert.deepEqual(parseBaggage(['userId=alice', 'serverNode=DF%2028,isProduction=false'])!.toObject(), {
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
  });

  test('"=" inside a value: the key ends at the first "="', () => {
    assert.equal(parseBaggage('k=a=b==')!.get('k'), 'a=b==');
  });

  test('percent-sequences that are not UTF-8 decode to U+FFFD', () => {
    assert.equal(parseBaggage('k=a%FFb')!.get('k'), 'a\uFFFDb');
    assert.equal(parseBaggage('k=%C3')!.get('k'), '\uFFFD');
  });

  test('an empty value is a value (value = *baggage-octet)', () => {
    assert.equal(parseBaggage('k=')!.get('k'), '');
  });
});

describe('W3C Baggage: bad members are dropped, the rest is kept', () => {
  const cases: [string, string][] = [
    ['key not a token', 'bad key=1,ok=2'],
    ['no "="', 'nokey,ok=2'],
    ['space inside a value', 'a=b c,ok=2'],
    ['DQUOTE in a value', 'a="x",ok=2'],
    ['backslash in a value', 'a=x\\y,ok=2'],
    ['a "%" that starts no percent-sequence', 'a=50%,ok=2'],
    ['a property that is not key or key=value', 'a=1;=x,ok=2'],
    ['a non-ASCII character', 'a=é,ok=2'],
  ];
  for (const [why, header] of cases) {
    test(why, () => assert.deepEqual(parseBaggage(header)!.toObject(), { ok: '2' }));
  }

  test('empty list elements are ignored; a header with no valid member is no baggage', () => {
    assert.deepEqual(parseBaggage(' , a=1,, ')!.toObject(), { a: '1' });
    assert.equal(parseBaggage(''), null);
    assert.equal(parseBaggage('garbage'), null);
  });

  test('hostile input never throws', () => {
    const inputs: unknown[] = [undefined, null, 42, {}, [1, null, {}], '\u0000', '%', '='.repeat(20000), ','.repeat(20000), 'a=%E0%A4%A', 'k=\ud800'];
    for (const input of inputs) assert.doesNotThrow(() => parseBaggage(input));
    assert.equal(w3cBaggageCodec.extract(null as never), null);
    assert.equal(w3cBaggageCodec.extract({}), null);
  });
});

describe('W3C Baggage: limits (180 members, 8192 bytes)', () => {
  test('members past the 180th are dropped', () => {
    const header = Array.from({ length: 200 }, (_, i) => `k${i}=v`).join(',');
    const b = parseBaggage(header)!;
    assert.equal(b.size, 180);
    assert.equal(b.get('k179'), 'v');
    assert.equal(b.get('k180'), undefined);
  });

  test('reading stops at the first member that would pass 8192 bytes; no member is cut', () => {
    const big = 'x'.repeat(5000);
    const b = parseBaggage(`a=${big},b=${big},c=1`)!;
    assert.deepEqual(b.entries.map((e) => e.key), ['a']);
    assert.equal(b.get('a'), big);
  });

  test('inject writes at most 180 members and 8192 bytes, leaving out whole members', () => {
    let b = new Baggage([]);
    for (let i = 0; i < 200; i++) b = b.with(`k${i}`, 'v');
    assert.equal(serializeBaggage(b).split(',').length, 180);
    const big = new Baggage([]).with('a', 'x'.repeat(5000)).with('b', 'y'.repeat(5000)).with('c', '1');
    const header = serializeBaggage(big);
    assert.ok(header.length <= 8192);
    assert.deepEqual(parseBaggage(header)!.entries.map((e) => e.key), ['a', 'c']);
  });
});

describe('W3C Baggage: inject', () => {
  test('values are percent-encoded where the grammar needs it, and read back unchanged', () => {
    const b = new Baggage([]).with('user', 'Amélie Poulain, 50% "off";\\').with('plain', 'abc-1.2_x');
    const header = serializeBaggage(b);
    assert.match(header, /^user=Am%C3%A9lie%20Poulain%2C%2050%25%20%22off%22%3B%5C,plain=abc-1\.2_x$/);
    assert.deepEqual(parseBaggage(header)!.toObject(), b.toObject());
  });

  test('properties travel as they came; malformed ones set through the API are left out', () => {
    const header = serializeBaggage(parseBaggage('k=v;ttl=30;secret')!.with('x', '1', 'bad,prop'));
    assert.equal(header, 'k=v;ttl=30;secret,x=1');
  });

  test('a lone surrogate is written as U+FFFD (encodeURIComponent would throw)', () => {
    assert.equal(parseBaggage(serializeBaggage(new Baggage([]).with('k', 'a\ud800b')))!.get('k'), 'a\uFFFDb');
  });

  test('keys must be tokens', () => {
    assert.throws(() => new Baggage([]).with('bad key', 'v'), { code: 'ERR_INVALID_ARGUMENT' });
  });
});
