// Every knob of `npm run bench` / `bench:ci`, from the command line and BENCH_* variables,
// resolved once. Defaults: the full run fits in about 12 minutes on a 2-core machine; the CI
// smoke run in well under 6.
import { pathToFileURL } from 'node:url';
import type { HttpSettings } from './http/suite.js';
import type { MicroSettings } from './micro/run-micro.js';

export interface RunSettings {
  readonly mode: 'full' | 'ci';
  readonly micro: MicroSettings | null;
  readonly http: HttpSettings | null;
  /** Scenario names to run (the baseline is always added); empty: all. */
  readonly scenarios: readonly string[];
  readonly pin: boolean;
  readonly writeReport: boolean;
  readonly reportDir: URL;
}

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name}=${raw}: expected a positive number`);
  return value;
}

function listFrom(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export const USAGE = `usage: node dist/bench/run.js [--ci] [--micro-only | --http-only] [--scenarios=a,b] [--micro=area,...] [--no-report]
  --ci            short smoke run of every micro and HTTP scenario; micro budgets gated, HTTP reported
  --micro-only    skip the HTTP suite        --http-only   skip the micro suites
  --scenarios=    HTTP scenarios to run (nest, the baseline, is always run)   [BENCH_SCENARIOS]
  --micro=        bench/micro files whose name contains one of these          [BENCH_MICRO]
  --no-report     do not write reports/
knobs (environment): BENCH_ROUNDS, BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_INITIAL_WARMUP_S,
  BENCH_CONNECTIONS, BENCH_TIME_MS, BENCH_WARMUP_MS (micro, per case), BENCH_NO_PIN=1,
  BENCH_NODE (node binary of the HTTP scenario servers, default this one's), BENCH_NODE_FLAGS
  (flags for them, e.g. --no-async-context-frame),
  BENCH_REPORT_DIR (default reports/, ci: reports/ci/), BENCH_HTTP_BUDGET_S (full run: seconds of
  first-pass HTTP rounds the measured window is fitted to, 330; BENCH_DURATION_S overrides it)`;

export function resolveSettings(argv: readonly string[]): RunSettings {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    flags.set(eq === -1 ? arg : arg.slice(0, eq), eq === -1 ? '' : arg.slice(eq + 1));
  }
  const known = ['--ci', '--micro-only', '--http-only', '--scenarios', '--micro', '--no-report', '--help'];
  for (const flag of flags.keys()) {
    if (!known.includes(flag)) throw new TypeError(`unknown argument ${flag}\n${USAGE}`);
  }
  if (flags.has('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const ci = flags.has('--ci');
  const pin = process.env.BENCH_NO_PIN !== '1';
  const micro: MicroSettings = {
    timeMs: numberFrom('BENCH_TIME_MS', ci ? 150 : 600),
    warmupMs: numberFrom('BENCH_WARMUP_MS', ci ? 50 : 200),
    cpu: pin ? 1 : null,
    filter: listFrom(flags.get('--micro') ?? process.env.BENCH_MICRO),
  };
  const http: HttpSettings = {
    rounds: Math.round(numberFrom('BENCH_ROUNDS', ci ? 1 : 3)),
    durationS: numberFrom('BENCH_DURATION_S', ci ? 1 : 4),
    // Full run: ~5.5 minutes of first-pass rounds, whatever the number of scenarios.
    roundsBudgetS: ci || process.env.BENCH_DURATION_S ? null : numberFrom('BENCH_HTTP_BUDGET_S', 330),
    warmupS: numberFrom('BENCH_WARMUP_S', 1),
    initialWarmupS: numberFrom('BENCH_INITIAL_WARMUP_S', ci ? 1 : 2),
    connections: Math.round(numberFrom('BENCH_CONNECTIONS', 10)),
    serverCpu: pin ? 1 : null,
    loadCpu: pin ? 0 : null,
    serverNode: process.env.BENCH_NODE ? process.env.BENCH_NODE : null,
    serverNodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== ''),
  };
  return {
    mode: ci ? 'ci' : 'full',
    micro: flags.has('--http-only') ? null : micro,
    http: flags.has('--micro-only') ? null : http,
    scenarios: listFrom(flags.get('--scenarios') ?? process.env.BENCH_SCENARIOS),
    pin,
    writeReport: !flags.has('--no-report'),
    reportDir: process.env.BENCH_REPORT_DIR
      ? pathToFileURL(process.env.BENCH_REPORT_DIR.endsWith('/') ? process.env.BENCH_REPORT_DIR : `${process.env.BENCH_REPORT_DIR}/`)
      : new URL(ci ? '../../reports/ci/' : '../../reports/', import.meta.url),
  };
}
