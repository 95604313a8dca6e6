// A benchmark child process (scenario server or sink) with an IPC channel, pinned to one CPU
// with `taskset` where it exists so the server under test and the load generator never share
// a core. taskset execs node, which still finds the IPC channel through NODE_CHANNEL_FD.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

let tasksetAvailable: boolean | undefined;

/** True when `taskset` runs here and there are at least two CPUs to separate. */
export function canPin(): boolean {
  if (tasksetAvailable === undefined) {
    tasksetAvailable = availableParallelism() >= 2 && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
  }
  return tasksetAvailable;
}

/** Pins this process (all its threads) to `cpu`; false when pinning is unavailable. */
export function pinSelf(cpu: number): boolean {
  if (!canPin()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

interface Message {
  readonly type: string;
}

export interface PinnedProcessOptions {
  readonly script: string;
  /** CPU to pin to, or null to leave it to the scheduler. */
  readonly cpu: number | null;
  readonly env?: Record<string, string>;
  readonly execArgv?: readonly string[];
  readonly args?: readonly string[];
  /** The node binary; default this process's. */
  readonly execPath?: string;
}

export class PinnedProcess {
  readonly child: ChildProcess;
  #stderr = '';
  #exited: string | null = null;
  #waiters: Array<{ type: string; resolve: (m: Message) => void; reject: (e: Error) => void }> = [];

  constructor(options: PinnedProcessOptions) {
    const nodeArgs = [...(options.execArgv ?? []), options.script, ...(options.args ?? [])];
    const pinned = options.cpu !== null && canPin();
    const node = options.execPath ?? process.execPath;
    const command = pinned ? 'taskset' : node;
    const args = pinned ? ['-c', String(options.cpu), node, ...nodeArgs] : nodeArgs;
    this.child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...options.env },
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    this.child.on('message', (message: Message) => {
      const index = this.#waiters.findIndex((w) => w.type === message.type || message.type === 'failed');
      if (index === -1) return;
      const [waiter] = this.#waiters.splice(index, 1);
      if (message.type === 'failed' && waiter!.type !== 'failed') {
        waiter!.reject(new Error((message as { reason?: string }).reason ?? 'failed'));
      } else waiter!.resolve(message);
    });
    // A send racing the child's exit fails with EPIPE as an 'error' event; the exit handler
    // below already rejects whoever waits, so the event only needs a listener.
    this.child.on('error', (error) => {
      this.#stderr = (this.#stderr + `\n${error.message}`).slice(-4000);
    });
    this.child.on('exit', (code, signal) => {
      this.#exited = `exited (code ${code}, signal ${signal})`;
      const detail = this.lastError();
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error(detail === '' ? this.#exited : `${this.#exited}: ${detail}`));
    });
  }

  /** The last meaningful stderr line (an import error, a stack's first line). */
  lastError(): string {
    const lines = this.#stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('(Use `node'));
    return (lines.find((l) => /Error|error|Cannot|not /.test(l)) ?? lines[0] ?? '').slice(0, 300);
  }

  /** Waits for the next message of `type`; rejects on 'failed', on exit, or after timeoutMs. */
  waitFor<T extends Message>(type: string, timeoutMs: number): Promise<T> {
    if (this.#exited !== null) return Promise.reject(new Error(this.#exited));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(new Error(`no '${type}' message within ${timeoutMs} ms${this.lastError() ? `: ${this.lastError()}` : ''}`));
      }, timeoutMs);
      const waiter = {
        type,
        resolve: (m: Message) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Sends `message` and waits for the reply of type `replyType`. */
  ask<T extends Message>(message: Message, replyType: string, timeoutMs: number): Promise<T> {
    const reply = this.waitFor<T>(replyType, timeoutMs);
    if (this.child.connected) this.child.send(message, () => undefined);
    return reply;
  }

  /** Asks the child to close (flush) and waits for it to exit; kills it after timeoutMs. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.#exited !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      if (this.child.connected) this.child.send({ type: 'close' }, () => undefined);
    } catch {
      // channel already gone: fall through to the kill below
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
