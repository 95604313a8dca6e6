// Turns the suite's raw measurements into the per-scenario figures the gate and the reports
// use: medians and min–max over rounds, every figure also against the `nest` baseline measured
// around it in the same round.
import { spread, type Spread } from '../stats.js';
import type { HttpSuite, Measurement } from './suite.js';

export interface HttpScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason: string;
  readonly sampleRatio: number | null;
  readonly exportsSpans: boolean;
  readonly rounds: readonly Measurement[];
  readonly requestsSent: number;
  readonly spans: number;
  readonly spansPerRequest: number;
  /** Errors, timeouts and non-2xx answers under load. */
  readonly errors: number;
  readonly rps: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly cpuUsPerRequest: Spread;
  readonly rssMiB: Spread;
  /** rps / baseline rps, per round. */
  readonly throughputRatio: Spread;
  /** CPU µs/request minus the baseline's, per round. */
  readonly cpuAddedUs: Spread;
  /** Every figure / the baseline's around it in the same round. */
  readonly ratios: {
    readonly p50Ms: Spread;
    readonly p99Ms: Spread;
    readonly cpuUsPerRequest: Spread;
    readonly rssMiB: Spread;
  };
}

export function summarize(suite: HttpSuite): HttpScenarioResult[] {
  return [...suite.states.values()].map((state) => {
    const rounds = state.measurements;
    const of = (f: (m: Measurement) => number): Spread => spread(rounds.map(f));
    return {
      name: state.scenario.name,
      description: state.scenario.description,
      status: state.status,
      reason: state.reason,
      sampleRatio: state.scenario.sampleRatio,
      exportsSpans: state.scenario.exportsSpans,
      rounds,
      requestsSent: state.requestsSent,
      spans: state.spans,
      spansPerRequest: state.requestsSent > 0 ? state.spans / state.requestsSent : Number.NaN,
      errors: state.errors,
      rps: of((m) => m.rps),
      p50Ms: of((m) => m.p50Ms),
      p99Ms: of((m) => m.p99Ms),
      cpuUsPerRequest: of((m) => m.cpuUsPerRequest),
      rssMiB: of((m) => m.rssMiB),
      throughputRatio: of((m) => m.rps / m.baselineRps),
      cpuAddedUs: of((m) => m.cpuUsPerRequest - m.baselineCpuUs),
      ratios: {
        p50Ms: of((m) => m.p50Ms / m.baselineP50Ms),
        p99Ms: of((m) => m.p99Ms / m.baselineP99Ms),
        cpuUsPerRequest: of((m) => m.cpuUsPerRequest / m.baselineCpuUs),
        rssMiB: of((m) => m.rssMiB / m.baselineRssMiB),
      },
    };
  });
}

/** Per-round values of f(x, ref) over the rounds where both scenarios were measured. */
export function pairedByRound(x: HttpScenarioResult, ref: HttpScenarioResult, f: (a: Measurement, b: Measurement) => number): number[] {
  const values: number[] = [];
  for (const a of x.rounds) {
    const b = ref.rounds.find((m) => m.round === a.round);
    if (b !== undefined) values.push(f(a, b));
  }
  return values;
}

/** One line per scenario for the console: medians, and the status of those not measured. */
export function formatSummary(results: readonly HttpScenarioResult[]): string {
  const f = (v: number, d: number, w: number): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a').padStart(w);
  const lines = [`${'scenario'.padEnd(14)} ${'req/s'.padStart(7)} ${'x nest'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs'.padStart(7)} ${'+µs'.padStart(7)} ${'RSS MiB'.padStart(8)} ${'spans/req'.padStart(9)}`];
  for (const r of results) {
    if (r.status !== 'ok' || r.rounds.length === 0) {
      lines.push(`${r.name.padEnd(14)} ${r.status}${r.reason === '' ? '' : `: ${r.reason}`}`);
      continue;
    }
    lines.push(
      `${r.name.padEnd(14)} ${f(r.rps.median, 0, 7)} ${f(r.throughputRatio.median, 3, 7)} ${f(r.p99Ms.median, 1, 7)} ${f(r.cpuUsPerRequest.median, 1, 7)} ${f(r.cpuAddedUs.median, 1, 7)} ${f(r.rssMiB.median, 0, 8)} ${r.exportsSpans ? f(r.spansPerRequest, 3, 9) : '        –'}`,
    );
  }
  return lines.join('\n');
}
