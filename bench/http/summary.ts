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
  readonly rps: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly cpuUsPerRequest: Spread;
  readonly rssMiB: Spread;
  /** rps / baseline rps, per round. */
  readonly throughputRatio: Spread;
  /** CPU µs/request minus the baseline's, per round. */
  readonly cpuAddedUs: Spread;
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
      rps: of((m) => m.rps),
      p50Ms: of((m) => m.p50Ms),
      p99Ms: of((m) => m.p99Ms),
      cpuUsPerRequest: of((m) => m.cpuUsPerRequest),
      rssMiB: of((m) => m.rssMiB),
      throughputRatio: of((m) => m.rps / m.baselineRps),
      cpuAddedUs: of((m) => m.cpuUsPerRequest - m.baselineCpuUs),
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
