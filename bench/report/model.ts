// What a benchmark run produces: one object, written as reports/latest.json and rendered to
// reports/latest.md and reports/http-overhead.svg.
import type { Verdict } from '../gate.js';
import type { LadderStep } from '../http/ladder.js';
import type { HttpScenarioResult } from '../http/summary.js';
import type { HttpSettings } from '../http/suite.js';
import type { MicroFileOutcome, MicroSettings } from '../micro/run-micro.js';
import type { Environment } from './environment.js';

export interface BenchReport {
  readonly mode: 'full' | 'ci';
  readonly command: string;
  readonly environment: Environment;
  readonly settings: {
    readonly micro: MicroSettings | null;
    readonly http: HttpSettings | null;
    readonly pinning: string;
  };
  readonly micro: readonly MicroFileOutcome[];
  /** Every extra run of a micro file a failing budget asked for, raw (the gate pooled them). */
  readonly microReruns: readonly MicroFileOutcome[];
  readonly http: {
    readonly baseline: string;
    readonly scenarios: readonly HttpScenarioResult[];
    /** The cost ladder of a traced request (bench/http/ladder.ts). */
    readonly ladder: readonly LadderStep[];
    readonly errors: readonly string[];
  } | null;
  readonly gate: {
    /** Which budgets gate this mode: 'all' (npm run bench) or 'micro' (bench:ci). */
    readonly gated: 'all' | 'micro';
    readonly verdicts: readonly Verdict[];
    /** What was measured again after a first failure. */
    readonly reruns: readonly string[];
    readonly passed: boolean;
    /** Why the run failed apart from budgets (errors under load, failed bench files). */
    readonly failures: readonly string[];
  };
  readonly durationS: number;
  /** Load average when the run ended (the environment has the one at the start). */
  readonly loadAverageEnd: string;
}
