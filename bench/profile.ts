// `npm run profile`: a flame graph of one HTTP scenario under load (default `ntc-100`, this
// module tracing every request and exporting OTLP to the local sink), written under
// reports/profile/ (git-ignored).
// With clinic installed (a dev dependency): `clinic flame` with its --autocannon load, every
// request carrying a sampled traceparent. Without it, or with BENCH_PROFILER=cpu-prof:
// `node --cpu-prof` under this suite's own load generator (open the .cpuprofile in Chrome
// DevTools or speedscope).
// Usage: node dist/bench/profile.js [scenario]   knobs: BENCH_PROFILE_DURATION_S (20), BENCH_CONNECTIONS (10)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runLoad } from './http/load.js';
import { PinnedProcess } from './http/pinned-process.js';
import { SCENARIOS } from './http/scenarios.js';
import { nextTraceparent } from './http/traceparent-source.js';

const OUT = fileURLToPath(new URL('../../reports/profile/', import.meta.url));
const CLINIC = fileURLToPath(new URL('../../node_modules/clinic/bin.js', import.meta.url));
const SERVERS = fileURLToPath(new URL('./http/servers/', import.meta.url));
const SINK = fileURLToPath(new URL('./http/sink.js', import.meta.url));

function exitOf(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function withClinic(script: string, env: NodeJS.ProcessEnv, durationS: number, connections: number): Promise<number> {
  const args = [CLINIC, 'flame', '--open=false', '--dest', OUT, '--autocannon', '[', '-c', String(connections), '-d', String(durationS)];
  args.push('--headers', `traceparent=${nextTraceparent()}`, '/orders/1', ']', '--', process.execPath, script);
  console.log(`clinic flame on ${script} (${durationS} s, ${connections} connections)`);
  // NO_INSIGHT: clinic otherwise asks on a TTY-less run whether it may send usage data, and exits.
  return exitOf(spawn(process.execPath, args, { stdio: 'inherit', env: { ...env, NO_INSIGHT: '1' } }));
}

async function withCpuProf(script: string, env: NodeJS.ProcessEnv, durationS: number, connections: number): Promise<number> {
  console.log(`node --cpu-prof on ${script} (${durationS} s, ${connections} connections)`);
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, script], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`server exited before listening: ${text.slice(0, 300)}`)));
  });
  const load = await runLoad(port, { connections, durationS });
  console.log(`${load.requests} requests, ${load.rps.toFixed(0)} req/s, p99 ${load.p99Ms} ms, ${load.errors} errors`);
  const exited = exitOf(child);
  child.kill('SIGINT');
  return exited;
}

async function main(): Promise<number> {
  const name = process.argv[2] ?? 'ntc-100';
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (scenario === undefined) throw new TypeError(`unknown scenario ${name}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const durationS = Number(process.env.BENCH_PROFILE_DURATION_S ?? 20);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  mkdirSync(OUT, { recursive: true });
  const sink = new PinnedProcess({ script: SINK, cpu: null });
  try {
    const sinkPort = (await sink.waitFor<{ type: 'ready'; port: number }>('ready', 10_000)).port;
    const env = { ...process.env, ...scenario.env, BENCH_SINK_URL: `http://127.0.0.1:${sinkPort}/${name}/v1/traces`, NODE_ENV: 'production' };
    const script = SERVERS + scenario.script;
    const useClinic = existsSync(CLINIC) && process.env.BENCH_PROFILER !== 'cpu-prof';
    const code = useClinic ? await withClinic(script, env, durationS, connections) : await withCpuProf(script, env, durationS, connections);
    const counts = await sink.ask<{ type: 'counts'; spans: Record<string, number> }>({ type: 'counts' }, 'counts', 5_000);
    console.log(`sink received ${counts.spans[name] ?? 0} spans from ${name}; profile under ${OUT}`);
    return code;
  } finally {
    await sink.stop(5_000);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
