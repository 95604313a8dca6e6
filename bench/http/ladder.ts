// The cost ladder's figures (scenarios.ts LADDER): per rung, CPU per request over the baseline
// and the step from the rung below, each a median over rounds of per-round paired values (both
// rungs measured in the same round), so drift between rounds cancels out of the step.
import { LADDER } from './scenarios.js';
import { pairedByRound, type HttpScenarioResult } from './summary.js';
import { spread, type Spread } from '../stats.js';

export interface LadderStep {
  readonly scenario: string;
  readonly adds: string;
  /** 'ok', or why the rung has no figures (not run, failed). */
  readonly status: string;
  /** CPU µs/request over the baseline around it. */
  readonly cpuAddedUs: Spread;
  /** CPU µs/request minus the rung below's, per round. */
  readonly stepUs: Spread;
  readonly throughputRatio: Spread;
}

const EMPTY: Spread = { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };

export function ladderSteps(results: readonly HttpScenarioResult[]): LadderStep[] {
  const steps: LadderStep[] = [];
  let below: HttpScenarioResult | undefined;
  for (const rung of LADDER) {
    const r = results.find((x) => x.name === rung.scenario);
    if (r === undefined || r.status !== 'ok' || r.rounds.length === 0) {
      steps.push({ ...rung, status: r === undefined ? 'not run' : `${r.status}${r.reason === '' ? '' : `: ${r.reason}`}`, cpuAddedUs: EMPTY, stepUs: EMPTY, throughputRatio: EMPTY });
      below = undefined;
      continue;
    }
    const step = below === undefined ? EMPTY : spread(pairedByRound(r, below, (a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest));
    steps.push({ ...rung, status: 'ok', cpuAddedUs: r.cpuAddedUs, stepUs: step, throughputRatio: r.throughputRatio });
    below = r;
  }
  return steps;
}
