// Shutdown has one deadline (`tracing.shutdownTimeoutMillis`): against a collector that accepts
// connections and never answers, a real Nest app stopped with SIGTERM exits within it (plus
// Nest's own teardown), and the spans it could not send are counted as dropped at shutdown.
// Without the deadline the same process took 60 s: a 30 s flush wait, then another at shutdown.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ExportStats } from '../../../engine/index.js';
import { request } from '../helpers.js';

const APP = fileURLToPath(new URL('./black-hole-app.js', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 2000;
// The bound asserted is the deadline plus this much for process teardown on a loaded machine:
// far from the 60 s the process took without a deadline, far above the ~100 ms it takes idle.
const TEARDOWN_ALLOWANCE_MS = 8000;
const SECRET = 'sEcReT-t0ken';

/** A TCP server that accepts every connection and never writes a byte. */
async function blackHole(): Promise<{ port: number; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('SIGTERM with a collector that never answers: the app exits within shutdownTimeoutMillis and counts what it could not send', async (t) => {
  const collector = await blackHole();
  t.after(() => collector.close());
  const child = spawn(process.execPath, [APP], {
    env: {
      ...process.env,
      // Credentials in the endpoint must not reach any log line or the stats.
      COLLECTOR_URL: `http://exporter:${SECRET}@127.0.0.1:${collector.port}/v1/traces`,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A failing run must not leave the process behind.
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.after(() => {
    clearTimeout(killer);
    child.kill('SIGKILL');
  });

  const deadline = Date.now() + 30_000;
  let port = 0;
  while (port === 0) {
    const m = lines.map((l) => /^listening on (\d+)$/.exec(l)).find((x) => x !== null);
    if (m) port = Number(m[1]);
    else if (child.exitCode !== null || Date.now() > deadline) assert.fail(`app did not start:\n${lines.join('\n')}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  // 1,500 spans and the request's server span: three full batches leave at once (the first
  // reaches the collector and hangs there), the rest waits for shutdown.
  const reply = await request(`http://127.0.0.1:${port}`, '/spans?n=1500');
  assert.equal(reply.status, 200);

  const signalledAt = Date.now();
  child.kill('SIGTERM');
  await exited;
  const tookMs = Date.now() - signalledAt;
  t.diagnostic(`exited ${tookMs} ms after SIGTERM (deadline ${SHUTDOWN_TIMEOUT_MS} ms)`);

  assert.ok(collector.accepted() >= 1, 'the exporter did reach the collector');
  assert.ok(
    tookMs < SHUTDOWN_TIMEOUT_MS + TEARDOWN_ALLOWANCE_MS,
    `exited ${tookMs} ms after SIGTERM; the bound is ${SHUTDOWN_TIMEOUT_MS} + ${TEARDOWN_ALLOWANCE_MS} ms\n${lines.join('\n')}`,
  );
  const statsLine = lines.find((l) => l.startsWith('stats '));
  assert.ok(statsLine !== undefined, `stats printed at exit:\n${lines.join('\n')}`);
  const stats = JSON.parse(statsLine.slice('stats '.length)) as ExportStats;
  assert.equal(stats.exported, 0);
  assert.equal(stats.exported + stats.dropped + stats.failed, 1501, 'every span ended is accounted for');
  assert.equal(stats.shutdownDropped, 1501, 'the whole backlog, and the batch left hanging, were dropped at the deadline');
  assert.equal(stats.exporters[0]!.shutdownDropped, 1501);
  assert.ok(
    lines.some((l) => l.includes('1501 spans dropped, still unsent when the shutdown deadline (2000 ms) passed')),
    `the drop is logged with its reason:\n${lines.join('\n')}`,
  );
  const leaked = lines.filter((l) => l.includes(SECRET));
  assert.deepEqual(leaked, [], 'no output line carries the endpoint credentials');
});
