// Every row of the W3C trace-context test harness, driven through the demo gateway's POST /test
// against a local callback server, checking what each callback received (exactly one
// well-formed traceparent, the tracestate, a JSON body) the way the harness does.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { spawnDemo, type DemoProcess } from './demo-process.js';
import { CASES, type Received } from './w3c-cases.js';

interface Callback {
  readonly path: string;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

let gateway: DemoProcess | undefined;
let gatewayPort = 0;
let callbackOrigin = '';
const callbacks: Callback[] = [];
let callbackServer: http.Server | undefined;

before(async () => {
  callbackServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      callbacks.push({ path: req.url ?? '', rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => callbackServer!.listen(0, '127.0.0.1', resolve));
  callbackOrigin = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
  const started = await spawnDemo('service.main.js', ['gateway'], { PORT_GATEWAY: '0', DEMO_W3C_TEST: '1' }, [/gateway listening on http:\/\/[^:]+:(\d+)/]);
  gateway = started;
  gatewayPort = Number(started.matches[0]![1]);
});

after(async () => {
  await gateway?.stop();
  await new Promise<void>((resolve) => (callbackServer === undefined ? resolve() : callbackServer.close(() => resolve())));
});

/** POST /test with header lines exactly as given (names' case and repeats kept). */
function postTest(headerLines: readonly (readonly [string, string])[], body: string): Promise<number> {
  const raw = ['host', `127.0.0.1:${gatewayPort}`, 'content-type', 'application/json', 'accept', 'application/json', 'content-length', String(Buffer.byteLength(body))];
  for (const [name, value] of headerLines) raw.push(name, value);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: gatewayPort, method: 'POST', path: '/test', headers: raw as unknown as http.OutgoingHttpHeaders, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('POST /test took over 5 s (the harness timeout)')));
    req.on('error', reject);
    req.end(body);
  });
}

function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) out.push(rawHeaders[i + 1]!);
  return out;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const TRACESTATE_MEMBER = /^([0-9a-z][_0-9a-z\-*/@]{0,255})=([\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e])$/;

/** Reads a callback as the harness does; fails on anything the harness would reject. */
function readCallback(cb: Callback): Received {
  assert.doesNotThrow(() => JSON.parse(cb.body), `callback body is JSON: ${JSON.stringify(cb.body)}`);
  const parents = headerValues(cb.rawHeaders, 'traceparent');
  assert.equal(parents.length, 1, `exactly one traceparent, got ${JSON.stringify(parents)}`);
  const m = TRACEPARENT.exec(parents[0]!);
  assert.ok(m !== null, `well-formed traceparent: ${parents[0]}`);
  assert.notEqual(m[1], '0'.repeat(32));
  assert.notEqual(m[2], '0'.repeat(16));
  const states = headerValues(cb.rawHeaders, 'tracestate');
  assert.ok(states.length <= 1, 'at most one tracestate header');
  const tracestate: [string, string][] = [];
  if (states.length === 1) {
    for (const part of states[0]!.split(',')) {
      const trimmed = part.replace(/^[ \t]+|[ \t]+$/g, '');
      if (trimmed === '') continue;
      const member = TRACESTATE_MEMBER.exec(trimmed);
      assert.ok(member !== null, `tracestate member parses under the harness grammar: ${JSON.stringify(trimmed)}`);
      tracestate.push([member[1]!, member[2]!]);
    }
  }
  return { traceId: m[1]!, parentId: m[2]!, flags: parseInt(m[3]!, 16), tracestate, rawTracestate: states[0] };
}

let scope = 0;
for (const c of CASES) {
  test(`W3C harness: ${c.name}`, async () => {
    const id = ++scope;
    const calls = c.calls ?? 1;
    const body = JSON.stringify(Array.from({ length: calls }, (_, i) => ({ url: `${callbackOrigin}/${id}.${i}`, arguments: [] })));
    const status = await postTest(c.headers, body);
    assert.equal(status, 200);
    const mine = callbacks.filter((cb) => cb.path.startsWith(`/${id}.`));
    assert.deepEqual(mine.map((cb) => cb.path), Array.from({ length: calls }, (_, i) => `/${id}.${i}`), 'every callback arrived, in order, before the reply');
    c.check(mine.map(readCallback), assert);
  });
}

test('POST /test rejects a body that is not the harness shape with 400, making no call', async () => {
  const before = callbacks.length;
  assert.equal(await postTest([], '{"url": 1}'), 400);
  assert.equal(await postTest([], '[{"url": "file:///etc/passwd", "arguments": []}]'), 400);
  assert.equal(callbacks.length, before);
});
