// `npm start`: runs the orders service and the gateway as two processes (two services, two
// tracers, as in production), prefixes their output, and prints how to try the demo once both
// listen. The gateway starts once orders listens, and is told orders' actual address (so
// PORT_ORDERS=0 works: the tests use it to avoid port races). Ctrl-C stops both; if either
// exits, the other is stopped too.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { demoConfig } from './demo-config.js';

type Service = 'gateway' | 'orders';

const entry = fileURLToPath(new URL('./service.main.js', import.meta.url));
const config = demoConfig();
const LISTENING = / listening on (http:\/\/\S+)$/;
const children: ChildProcess[] = [];
let stopping = false;

function start(service: Service, env: NodeJS.ProcessEnv, onListening: (origin: string) => void): void {
  const child = spawn(process.execPath, [entry, service], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = `[${service}] `;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(prefix + line);
    const match = line.startsWith(service) ? LISTENING.exec(line) : null;
    if (match !== null) onListening(match[1]!);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(prefix + line));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the demo`);
      stop(code ?? 1);
    }
  });
}

function printBanner(gateway: string, orders: string): void {
  console.log(
    [
      '',
      `Demo running: gateway ${gateway} -> orders ${orders}`,
      `  curl -s ${gateway}/orders/42          # both replies carry the same traceId`,
      `  curl -s ${gateway}/traces             # spans of both services, grouped by trace id`,
      `  open ${gateway}/traces/ui in a browser: recent traces, waterfall, RED metrics per route`,
      `  curl -s ${gateway}/metrics            # Prometheus: every request counted, sampled or not`,
      'Each finished span is printed below as one line: service, trace id, span id <- parent, kind, name, duration.',
      '',
    ].join('\n'),
  );
}

function stop(code: number): void {
  stopping = true;
  let open = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (open.length === 0) process.exit(code);
  // Let both flush their last spans; never hang on a child that ignores SIGTERM.
  setTimeout(() => process.exit(code), 3000).unref();
  for (const child of open) {
    child.once('exit', () => {
      open = open.filter((c) => c !== child);
      if (open.length === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
start('orders', { ...process.env, PORT_ORDERS: String(config.ordersPort) }, (orders) => {
  const ordersUrl = process.env.ORDERS_URL ?? orders;
  start('gateway', { ...process.env, PORT_GATEWAY: String(config.gatewayPort), ORDERS_URL: ordersUrl }, (gateway) =>
    printBanner(gateway, ordersUrl),
  );
});
