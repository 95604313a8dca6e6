// The contract between a scenario server process and the runner (bench/http/server-process.ts).
// The runner reads the server's CPU time and RSS over the IPC channel, never over HTTP, so the
// measurement adds no request to the load and no route to the app under test.
//
// Messages, child → parent: {type:'ready', port} | {type:'failed', reason} | {type:'stats', ...}
// | {type:'closed'}; parent → child: {type:'stats'} | {type:'close'}.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

export interface StartedServer {
  readonly port: number;
  /** Stops accepting, flushes pending spans (the tracing scenarios), resolves when done. */
  close(): Promise<void>;
}

export interface ServerStats {
  readonly type: 'stats';
  /** process.cpuUsage() of the server process, microseconds. */
  readonly userUs: number;
  readonly systemUs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export type ServerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'failed'; readonly reason: string }
  | ServerStats
  | { readonly type: 'closed' };

export type RunnerMessage = { readonly type: 'stats' } | { readonly type: 'close' };

function send(message: ServerMessage): void {
  process.send?.(message);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return (error.message.split('\n')[0] ?? error.message).slice(0, 300);
  return String(error).slice(0, 300);
}

/** The line `npm run profile` reads to tell steady-state output (deopts) from start-up's. */
export const STEADY_MARK = '--- steady state ---';

/**
 * `npm run profile`: SIGUSR2 (sent after the warm-up load) prints STEADY_MARK and, with
 * BENCH_CPU_PROFILE set, starts a V8 CPU profile written there on stop, so a profile holds the
 * server under load and not its start-up (module loading dominated --cpu-prof's).
 */
function steadyStateProfiler(): () => Promise<void> {
  const file = process.env.BENCH_CPU_PROFILE;
  let session: Session | null = null;
  process.on('SIGUSR2', () => {
    console.log(STEADY_MARK);
    if (file === undefined || session !== null) return;
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () => session!.post('Profiler.start'));
  });
  return () =>
    new Promise<void>((resolve) => {
      if (session === null || file === undefined) return resolve();
      session.post('Profiler.stop', (error, result) => {
        if (error === null) writeFileSync(file, JSON.stringify(result.profile));
        resolve();
      });
    });
}

/**
 * Without an IPC channel (run by hand, or under `npm run profile`): serve until SIGINT/SIGTERM,
 * then close (flush) and exit, so a profiler sees a clean exit.
 */
function serveStandalone(start: () => Promise<StartedServer>): void {
  const stopProfile = steadyStateProfiler();
  start().then(
    (server) => {
      console.log(`listening on http://127.0.0.1:${server.port}`);
      const stop = (): void => {
        stopProfile()
          .then(() => server.close())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`cannot start: ${reasonOf(error)}`);
      process.exitCode = 1;
    },
  );
}

/** Starts the scenario's server and answers the runner until it asks to close. */
export function serveScenario(start: () => Promise<StartedServer>): void {
  if (process.send === undefined) {
    serveStandalone(start);
    return;
  }
  // The runner is gone (it crashed or was killed): a server left behind would hold its CPU and
  // port for nothing.
  process.once('disconnect', () => process.exit(0));
  start().then(
    (server) => {
      process.on('message', (message: RunnerMessage) => {
        if (message.type === 'stats') {
          const cpu = process.cpuUsage();
          const memory = process.memoryUsage();
          send({ type: 'stats', userUs: cpu.user, systemUs: cpu.system, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed });
        } else if (message.type === 'close') {
          server.close().then(
            () => {
              // Exit once the runner has the reply: an SDK's keep-alive sockets must not hold
              // the process open after its spans are flushed.
              process.send?.({ type: 'closed' } satisfies ServerMessage, () => process.exit(0));
            },
            (error: unknown) => {
              process.send?.({ type: 'failed', reason: `close: ${reasonOf(error)}` } satisfies ServerMessage, () => process.exit(1));
            },
          );
        }
      });
      send({ type: 'ready', port: server.port });
    },
    (error: unknown) => {
      send({ type: 'failed', reason: reasonOf(error) });
      process.disconnect();
      process.exitCode = 1;
    },
  );
}

/** BENCH_PORT when set (a profiler run by hand), else 0: the runner reads the real port over IPC. */
export function listenPort(): number {
  const port = Number(process.env.BENCH_PORT ?? 0);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 0;
}

/** The trace id inside a W3C traceparent (`00-<32 hex>-<16 hex>-<2 hex>`), without validation. */
export function traceIdOfTraceparent(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && header.length === 55 ? header.slice(3, 35) : null;
}
