// The broker helper itself: a missing binary is a clear failure (never a silent skip), and a
// started server accepts connections until it is stopped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { findBinary, startRedis } from './servers.js';

test('a missing server binary fails with the apt-get line that installs it', () => {
  assert.throws(() => findBinary('no-such-server-h10'), {
    message: /no-such-server-h10 is not installed.*apt-get install -y no-such-server-h10/s,
  });
});

test('startRedis gives a server on a free port that is gone after stop()', async () => {
  const redis = await startRedis();
  const reachable = (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: redis.port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  assert.equal(await reachable(), true);
  assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  await redis.stop();
  await redis.stop();
  assert.equal(await reachable(), false);
});
