// Runs the demo the way a user does: real processes from dist/, real ports, real HTTP.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DEMO_DIR = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

export interface DemoProcess {
  /** Every stdout/stderr line so far. */
  readonly lines: string[];
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and resolves when it exited. */
  stop(): Promise<void>;
}


/**
 * Spawns `node dist/examples/demo/<script> ...args` and resolves once every line in `waitFor`
 * has been printed (rejects when the process exits first, or after `timeoutMs`: a hang guard,
 * long because two services starting on a loaded 2-core machine once took over 30 s).
 */
export function spawnDemo(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  waitFor: readonly RegExp[],
  timeoutMs = 120_000,
): Promise<DemoProcess & { matches: RegExpExecArray[] }> {
  const child: ChildProcess = spawn(process.execPath, [DEMO_DIR + script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const matches: (RegExpExecArray | undefined)[] = waitFor.map(() => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`demo ${script} not ready after ${timeoutMs} ms; output:\n${lines.join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string): void => {
      lines.push(line);
      waitFor.forEach((re, i) => {
        if (matches[i] === undefined) matches[i] = re.exec(line) ?? undefined;
      });
      if (matches.every((m) => m !== undefined)) {
        clearTimeout(timer);
        resolve({ lines, stop, matches: matches as RegExpExecArray[] });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo ${script} exited (${code}) before it was ready; output:\n${lines.join('\n')}`));
    });
  });
}

/** Polls `fn` every 100 ms until it returns a non-undefined value (or throws after `timeoutMs`, a hang guard). */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
