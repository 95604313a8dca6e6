// The demo gateway's POST /test (the W3C harness relay) driven as a hostile client would: it is
// absent unless DEMO_W3C_TEST=1, and when on it calls only loopback targets, at most three
// times, never follows a redirect, gives up on a target that never answers, and stops reading
// a reply that does not end.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { spawnDemo, type DemoProcess } from './demo-process.js';

const LISTENING = [/gateway listening on http:\/\/[^:]+:(\d+)/];

interface Target {
  readonly origin: string;
  /** Paths requested so far, in order. */
  readonly paths: string[];
  /** Bytes of reply body written to /huge before the gateway hung up. */
  hugeBytes: number;
  close(): Promise<void>;
}

/** A loopback server: /redirect answers 302 to /redirected, /huge streams until the client hangs up, anything else `{}`. */
async function startTarget(): Promise<Target> {
  const target: Target = { origin: '', paths: [], hugeBytes: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    target.paths.push(req.url ?? '');
    req.resume();
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/redirected' }).end();
    } else if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        // Up to 200 MiB, as a hostile upstream would send; stops when the gateway hangs up.
        while (!res.destroyed && target.hugeBytes < 200 * 1024 * 1024) {
          target.hugeBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else {
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(target, {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function post(port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // Far above the relay's own deadline: this only turns a hang into a failure.
    req.setTimeout(60_000, () => req.destroy(new Error(`POST ${path} got no answer within 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const calls = (...urls: string[]): string => JSON.stringify(urls.map((url) => ({ url, arguments: [] })));

let target: Target;
let enabled: DemoProcess & { matches: RegExpExecArray[] };
let enabledPort = 0;
let blackHole: net.Server;
let blackHoleOrigin = '';
const heldSockets = new Set<net.Socket>();

before(async () => {
  target = await startTarget();
  // Accepts connections and never answers.
  blackHole = net.createServer((socket) => {
    heldSockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => heldSockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHoleOrigin = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
  enabled = await spawnDemo('service.main.js', ['gateway'], { PORT_GATEWAY: '0', DEMO_W3C_TEST: '1' }, LISTENING);
  enabledPort = Number(enabled.matches[0]![1]);
});

after(async () => {
  await enabled?.stop();
  for (const socket of heldSockets) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  await target.close();
});

test('without DEMO_W3C_TEST=1 the gateway has no POST /test route and calls nothing', async (t) => {
  const off = await spawnDemo('service.main.js', ['gateway'], { PORT_GATEWAY: '0', DEMO_W3C_TEST: '' }, LISTENING);
  t.after(() => off.stop());
  const before = target.paths.length;
  const reply = await post(Number(off.matches[0]![1]), '/test', calls(`${target.origin}/off`));
  assert.equal(reply.status, 404);
  assert.equal(target.paths.length, before);
});

test('a loopback target is called, as the W3C harness needs', async () => {
  const reply = await post(enabledPort, '/test', calls(`${target.origin}/ok.0`, `${target.origin}/ok.1`));
  assert.equal(reply.status, 200);
  assert.deepEqual(target.paths.filter((p) => p.startsWith('/ok.')), ['/ok.0', '/ok.1']);
});

test('more calls than the harness ever sends are refused before any is made', async () => {
  const before = target.paths.length;
  const many = Array.from({ length: 1000 }, (_, i) => `${target.origin}/many.${i}`);
  const reply = await post(enabledPort, '/test', calls(...many));
  assert.equal(reply.status, 400);
  assert.equal(await post(enabledPort, '/test', calls(...many.slice(0, 4))).then((r) => r.status), 400);
  assert.equal(target.paths.length, before, 'no call made');
});

test('targets off loopback are refused, with no call made (not an open relay, not a port scanner)', async () => {
  const before = target.paths.length;
  for (const url of [
    'http://10.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://example.com/',
    'http://[::ffff:10.0.0.1]/',
    `http://user:pw@127.0.0.1:${new URL(target.origin).port}/creds`,
    'file:///etc/passwd',
  ]) {
    const reply = await post(enabledPort, '/test', calls(`${target.origin}/first`, url));
    assert.equal(reply.status, 400, url);
  }
  assert.equal(target.paths.length, before, 'a bad entry anywhere in the body means no call at all');
});

test('a redirect is not followed', async () => {
  const reply = await post(enabledPort, '/test', calls(`${target.origin}/redirect`));
  assert.equal(reply.status, 200);
  assert.ok(target.paths.includes('/redirect'));
  assert.ok(!target.paths.includes('/redirected'), 'the Location was never requested');
});

test('a target that never answers gets the request a 504, not a hang', async () => {
  const reply = await post(enabledPort, '/test', calls(`${blackHoleOrigin}/never`));
  assert.equal(reply.status, 504);
});

test('a reply that does not end is read no further than a small cap', async () => {
  const reply = await post(enabledPort, '/test', calls(`${target.origin}/huge`));
  assert.equal(reply.status, 200);
  // 200 MiB were on offer; the gateway hung up after its 16 KiB cap plus what the sockets buffer.
  assert.ok(target.hugeBytes < 16 * 1024 * 1024, `${target.hugeBytes} bytes were written before the gateway hung up`);
});
