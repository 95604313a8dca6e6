// Real servers for integration tests: starts redis-server, nats-server or mariadbd (Debian's packages,
// installed by .ci/run) on a free 127.0.0.1 port, waits until it accepts connections, and stops
// it. A missing binary fails with a message that says how to install it, never a skip: a test
// that silently does not run cannot fail.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { delimiter, join } from 'node:path';

export interface StartedServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` or `nats://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the process (SIGTERM, then SIGKILL after 2 s); safe to call twice. */
  stop(): Promise<void>;
}

// Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

/** The path of an installed server binary; throws saying how to install it (Debian package `pkg`) when missing. */
export function findBinary(name: string, pkg = name): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(
    `${name} is not installed, and this test needs a real one. ` +
      `Install it with: sudo apt-get install -y ${pkg} (Debian/Ubuntu; .ci/run does this).`,
  );
}

/**
 * A port nothing listened on a moment ago, for a server the test starts next (or as an address
 * that refuses). Picked below the kernel's ephemeral range (Linux:
 * /proc/sys/net/ipv4/ip_local_port_range), which every listen(0) and every outgoing connection
 * on the machine draws from: a port from there, released and then bound again by a child, can
 * be taken in between by any process's connection on a busy machine; below it, only by a
 * process that picks the same number at random in the same moment.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low !== null && low > 20_000) {
    for (let i = 0; i < 50; i++) {
      const port = 15_000 + Math.floor(Math.random() * (low - 15_000));
      if (await canBind(port)) return port;
    }
  }
  return kernelPort();
}

function ephemeralLow(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : null;
  } catch {
    return null;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the server; a start that fails because its port was taken meanwhile is tried again on another port. */
async function launch(name: string, args: (port: number) => string[], scheme: string, pkg = name): Promise<StartedServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(name, args, scheme, pkg);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launchOnce(name: string, args: (port: number) => string[], scheme: string, pkg: string): Promise<StartedServer> {
  const binary = findBinary(name, pkg);
  const port = await freePort();
  const child: ChildProcess = spawn(binary, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < 8192) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exitedPromise;
    clearTimeout(timer);
  };

  const until = Date.now() + 60_000; // a hang guard: it exits early when the server does
  for (;;) {
    if (exited) {
      const message = `${name} exited before accepting connections on port ${port}:\n${output}`;
      throw /address already in use|EADDRINUSE/i.test(output) ? new PortTakenError(message) : new Error(message);
    }
    if (await canConnect(port)) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`${name} did not accept connections on port ${port} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { port, url: `${scheme}://127.0.0.1:${port}`, stop };
}

/** A throwaway redis-server: no persistence, bound to 127.0.0.1 on a free port. */
export function startRedis(): Promise<StartedServer> {
  return launch(
    'redis-server',
    (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    'redis',
  );
}

/** A throwaway nats-server (core NATS, no JetStream) on 127.0.0.1 and a free port. */
export function startNats(): Promise<StartedServer> {
  return launch('nats-server', (port) => ['-a', '127.0.0.1', '-p', String(port)], 'nats');
}

/**
 * A throwaway MariaDB server (Debian's mariadb-server): a fresh data directory made by
 * mariadb-install-db in a temporary directory, 127.0.0.1 on a free port, grant tables skipped
 * so any user name connects without a password. Stopping it removes the directory.
 */
export async function startMariadb(): Promise<StartedServer> {
  const install = findBinary('mariadb-install-db', 'mariadb-server');
  findBinary('mariadbd', 'mariadb-server');
  const dir = await mkdtemp(join(tmpdir(), 'ntc-mariadb-'));
  const data = join(dir, 'data');
  // As root the server must be told to run as root; otherwise it runs as the current user.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(install, [`--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb-install-db exited with ${code}:\n${output.slice(-4000)}`))));
  });
  let server: StartedServer;
  try {
    server = await launch(
      'mariadbd',
      (port) => [
        '--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, '--skip-grant-tables',
        '--innodb-buffer-pool-size=16M', '--skip-log-bin', ...user,
      ],
      'mysql',
      'mariadb-server',
    );
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port: server.port,
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Cleanup in reverse order of setup. node:test runs `t.after` hooks first-in first-out, which
 * would stop a broker before the app that is still connected to it closes (ioredis then
 * rejects `quit` with "Connection is closed"). Register everything through `defer` instead.
 */
export function cleanupStack(t: { after(fn: () => unknown): void }): (fn: () => unknown) => void {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    while (stack.length > 0) await stack.pop()!();
  });
  return (fn) => {
    stack.push(fn);
  };
}
