// Real servers for integration tests: starts redis-server, nats-server, mariadbd, rabbitmq-server,
// mosquitto or prometheus (Debian's packages, installed by .ci/run) on a free 127.0.0.1 port,
// waits until it accepts connections, and stops it. A missing binary fails with a message that says how to
// install it, never a skip: a test that silently does not run cannot fail.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { delimiter, join } from 'node:path';

export interface StartedServer {
  readonly port: number;
  /** `<scheme>://127.0.0.1:<port>`: redis, nats, amqp or mqtt. */
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

/** How to run one kind of server on a given port. */
interface ServerSpec {
  readonly name: string;
  /** The Debian package that installs `name`, when it is not named the same. */
  readonly pkg?: string;
  readonly scheme: string;
  /** The executable to run once `name` is known to be installed (Debian's wrappers re-exec as a service user). */
  readonly executable?: string;
  /** Arguments and extra environment for a start on `port`, with `dir` a fresh temp directory. */
  prepare(port: number, dir: string): Promise<{ args: string[]; env?: Record<string, string> }>;
  /** Servers that fork helpers (Erlang's beam, its port programs) run in their own process group, stopped as one. */
  readonly group?: boolean;
  readonly killAfterMs?: number;
}

/** Starts the server; a start that fails because its port was taken meanwhile is tried again on another port. */
async function launch(spec: ServerSpec): Promise<StartedServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(spec);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launchOnce(spec: ServerSpec): Promise<StartedServer> {
  const { name } = spec;
  const installed = findBinary(name, spec.pkg);
  const binary = spec.executable ?? installed;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `ntc-${name}-`));
  const { args, env } = await spec.prepare(port, dir);
  const child: ChildProcess = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: spec.group === true,
    env: env === undefined ? process.env : { ...process.env, ...env },
  });
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
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (spec.group === true) process.kill(-child.pid!, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };

  const stop = async (): Promise<void> => {
    if (!exited) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), spec.killAfterMs ?? 2000);
      await exitedPromise;
      clearTimeout(timer);
      // The group's other members (beam under a wrapper script) may outlive the leader by a moment.
      if (spec.group === true) signal('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const until = Date.now() + 180_000; // a hang guard (RabbitMQ boots for a minute on a loaded box): it exits early when the server does
  for (;;) {
    if (exited) {
      const message = `${name} exited before accepting connections on port ${port}:\n${output}`;
      rmSync(dir, { recursive: true, force: true });
      throw /address already in use|EADDRINUSE|eaddrinuse/i.test(output) ? new PortTakenError(message) : new Error(message);
    }
    if (await canConnect(port)) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`${name} did not accept connections on port ${port} within 180 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { port, url: `${spec.scheme}://127.0.0.1:${port}`, stop };
}

/** A throwaway redis-server: no persistence, bound to 127.0.0.1 on a free port. */
export function startRedis(): Promise<StartedServer> {
  return launch({
    name: 'redis-server',
    scheme: 'redis',
    prepare: async (port) => ({
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    }),
  });
}

/** A throwaway nats-server (core NATS, no JetStream) on 127.0.0.1 and a free port. */
export function startNats(): Promise<StartedServer> {
  return launch({ name: 'nats-server', scheme: 'nats', prepare: async (port) => ({ args: ['-a', '127.0.0.1', '-p', String(port)] }) });
}

// Debian's /usr/sbin/rabbitmq-server re-runs itself as the rabbitmq user with the system's data
// directories; the script it wraps takes the RABBITMQ_* variables as given.
const RABBITMQ_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/**
 * A throwaway RabbitMQ node (AMQP 0-9-1 on 127.0.0.1 and a free port, no plugins) with its own
 * node name, Mnesia and log directories and distribution port, so it never meets another node on
 * the machine. It boots in seconds on an idle machine and much slower under load.
 */
export function startRabbitMq(): Promise<StartedServer> {
  return launch({
    name: 'rabbitmq-server',
    scheme: 'amqp',
    executable: existsSync(RABBITMQ_SCRIPT) ? RABBITMQ_SCRIPT : undefined,
    group: true,
    killAfterMs: 15_000,
    prepare: async (port, dir) => {
      writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
      writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users = none\n');
      return {
        args: [],
        env: {
          HOME: dir,
          RABBITMQ_NODENAME: `ntc${process.pid}p${port}@localhost`,
          RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
          RABBITMQ_NODE_PORT: String(port),
          RABBITMQ_DIST_PORT: String(await freePort()),
          RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
          RABBITMQ_LOG_BASE: join(dir, 'log'),
          RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
          RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
          RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
        },
      };
    },
  });
}

/** A throwaway mosquitto (MQTT 3.1.1 and 5) on 127.0.0.1 and a free port, anonymous, no persistence. */
export function startMosquitto(): Promise<StartedServer> {
  return launch({
    name: 'mosquitto',
    scheme: 'mqtt',
    prepare: async (port, dir) => {
      const config = join(dir, 'mosquitto.conf');
      writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
      return { args: ['-c', config] };
    },
  });
}

/**
 * A throwaway Prometheus server (its own TSDB in a temp dir, HTTP API on 127.0.0.1 and a free
 * port) scraping `metricsPath` on each `127.0.0.1:<port>` target every `intervalSeconds`.
 */
export function startPrometheus(targets: readonly number[], metricsPath: string, intervalSeconds = 1): Promise<StartedServer> {
  return launch({
    name: 'prometheus',
    scheme: 'http',
    prepare: async (port, dir) => {
      const config = join(dir, 'prometheus.yml');
      const list = targets.map((target) => `'127.0.0.1:${target}'`).join(', ');
      writeFileSync(
        config,
        `global:\n  scrape_interval: ${intervalSeconds}s\n  scrape_timeout: ${intervalSeconds}s\n` +
          `scrape_configs:\n  - job_name: app\n    metrics_path: '${metricsPath}'\n    static_configs:\n      - targets: [${list}]\n`,
      );
      return {
        args: [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      };
    },
  });
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
    server = await launch({
      name: 'mariadbd',
      pkg: 'mariadb-server',
      scheme: 'mysql',
      prepare: async (port) => ({
        args: [
          '--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1',
          `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, '--skip-grant-tables',
          '--innodb-buffer-pool-size=16M', '--skip-log-bin', ...user,
        ],
      }),
    });
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
