import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OriginCache, splitAuthority } from '../../../engine/instrumentation/origin-info.js';

test('server.address and server.port come from the authority, IPv6 without brackets, default ports filled in', () => {
  const cases: [string, string, string, number][] = [
    ['api.example.com', 'https:', 'api.example.com', 443],
    ['api.example.com', 'http:', 'api.example.com', 80],
    ['api.example.com:8443', 'https:', 'api.example.com', 8443],
    ['127.0.0.1:3001', 'http:', '127.0.0.1', 3001],
    ['[::1]:3001', 'http:', '::1', 3001],
    ['[2001:db8::7]', 'https:', '2001:db8::7', 443],
    ['host:notaport', 'http:', 'host', 80],
    ['host:99999', 'http:', 'host', 80],
  ];
  for (const [authority, protocol, address, port] of cases) {
    assert.deepEqual(splitAuthority(authority, protocol), { address, port }, authority);
  }
});

test('origins are parsed once and cached; the origin list decision is cached with them', () => {
  let asked = 0;
  const cache = new OriginCache((origin) => (asked++, origin === 'http://orders:3001'));
  const a = cache.getByOrigin('http://orders:3001');
  assert.equal(a.origin, 'http://orders:3001');
  assert.equal(a.address, 'orders');
  assert.equal(a.port, 3001);
  assert.equal(a.listed, true);
  assert.equal(cache.get('http:', 'orders:3001'), a, 'undici and node:http forms of one origin share the entry');
  assert.equal(cache.getByOrigin('https://other.example').listed, false);
  assert.equal(asked, 2);
});
