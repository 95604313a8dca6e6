// `npm start`: runs the orders service and the gateway as two processes (two services, two
// tracers, as in production), prefixes their output, and prints how to try the demo once both
// listen. Ctrl-C stops both; if either exits, the other is stopped too.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { demoConfig } from './demo-config.js';

const entry = fileURLToPath(new URL('./service.main.js', import.meta.url));
const config = demoConfig();
const env = { ...process.env, PORT_GATEWAY: String(config.gatewayPort), PORT_ORDERS: String(config.ordersPort), ORDERS_URL: config.ordersUrl };
const children: ChildProcess[] = [];
const listening = new Set<string>();
let stopping = false;

function start(service: 'gateway' | 'orders'): void {
  const child = spawn(process.execPath, [entry, service], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = `[${service}] `;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(prefix + line);
    if (line.startsWith(`${service} listening on `)) {
      listening.add(service);
      if (listening.size === 2) printBanner();
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(prefix + line));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the demo`);
      stop(code ?? 1);
    }
  });
}

function printBanner(): void {
  const gateway = `http://${config.host}:${config.gatewayPort}`;
  console.log(
    [
      '',
      `Demo running: gateway ${gateway} -> orders ${config.ordersUrl}`,
      `  curl -s ${gateway}/orders/42          # both replies carry the same traceId`,
      `  curl -s ${gateway}/traces             # spans of both services, grouped by trace id`,
      'Each finished span is printed below as one line: service, trace id, span id <- parent, kind, name, duration.',
      '',
    ].join('\n'),
  );
}

function stop(code: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  // Let both flush their last spans; never hang on a child that ignores SIGTERM.
  setTimeout(() => process.exit(code), 3000).unref();
  let open = children.filter((c) => c.exitCode === null).length;
  if (open === 0) process.exit(code);
  for (const child of children) child.once('exit', () => --open === 0 && process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
start('orders');
start('gateway');
