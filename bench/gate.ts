// The release gate: reads bench/budgets.json, evaluates every budget against this run's
// figures and says, per budget, the value, the limit, the margin and pass/fail.
//
// Noise policy (the README's "Benchmarks" section says the same to users):
// - HTTP values are medians over interleaved rounds of per-round paired values (both scenarios
//   measured in the same round, each against the baseline runs around it), so drift cancels.
// - Each budget gets a tolerance: half the min–max spread of its per-round values (micro: the
//   ratio's ±rme), capped by the budget's `maxTolerance`, so a noisy run cannot pass anything.
// - A budget that still fails is measured again once (bench/run.ts) and judged on the pooled
//   rounds (micro: the pooled runs) before the gate fails: the median of every per-round (per-run)
//   paired value together, never an average of each pass's median. With an even count the
//   middle value on the failing side is taken (gateMedian), so a pass never rests on a figure
//   no round measured.
// - A scenario that did not start, crashed, or answered errors fails every budget that names it.
import { existsSync, readFileSync } from 'node:fs';
import type { MicroFileOutcome } from './micro/run-micro.js';
import { pairedByRound, type HttpScenarioResult } from './http/summary.js';
import { gateMedian, halfRange, spread, type Spread } from './stats.js';

export interface MicroBudget {
  readonly id: string;
  readonly file: string;
  readonly comparison: string;
  /** A "how many times better" comparison ('time', 'bytes'): at least this. */
  readonly min?: number;
  /** An 'added-ns' comparison: at most this many ns. */
  readonly max?: number;
  /**
   * The regression floor `bench:ci` gates instead of `min`. `min` is the release target the
   * issue set; where the honest figure is still below it, CI (a 150 ms-per-case smoke run) must
   * still catch a regression without failing every build on a target not yet reached.
   */
  readonly ciMin?: number;
  /** As ciMin, for `max`. */
  readonly ciMax?: number;
  /**
   * Judge the worst interleaved round (bench/micro/harness.ts) of every run instead of the
   * median, with no tolerance: the target must hold in every round.
   */
  readonly every?: boolean;
  readonly maxTolerance: number;
}

export type HttpMetric = 'cpu-added-us' | 'throughput-ratio' | 'sampling-excess-us' | 'sampled-fraction' | 'spans-per-request';

export interface HttpBudget {
  readonly id: string;
  readonly metric: HttpMetric;
  readonly scenario: string;
  readonly reference: string;
  /** sampling-excess-us: the scenario sampling every request (the cost of a sampled one). */
  readonly full?: string;
  /**
   * sampling-excess-us: the share of a sampled request's added cost the scenario may add, when
   * it is not the scenario's own sampling ratio (a tail sampler records every request but
   * exports one in a hundred: it may add at most half).
   */
  readonly share?: number;
  readonly min?: number;
  readonly max?: number;
  readonly maxTolerance?: number;
  readonly confidence?: number;
  /**
   * Also gated by `bench:ci`: the checks its short HTTP run can make without being at the mercy
   * of machine noise (counts and fractions, not timings).
   */
  readonly ci?: boolean;
}

export interface Budgets {
  readonly micro: readonly MicroBudget[];
  readonly http: readonly HttpBudget[];
}

export interface Verdict {
  readonly id: string;
  readonly kind: 'micro' | 'http';
  readonly status: 'pass' | 'fail' | 'skipped';
  readonly value: number;
  readonly unit: string;
  /** The limit as printed, e.g. '>= 5' or 'in [823, 977]'. */
  readonly limit: string;
  /** Distance from the limit in the passing direction (negative: short of it). */
  readonly margin: number;
  readonly tolerance: number;
  readonly spread: Spread | null;
  readonly detail: string;
  /** What to measure again if it fails: bench files (micro) or scenarios (http). */
  readonly rerun: readonly string[];
  /** Gated by `bench:ci` too (every micro budget, and HTTP budgets marked `ci`). */
  readonly ci: boolean;
}

const MICRO_URL = new URL('./micro/', import.meta.url);

export const BUDGETS_FILE = new URL('../../bench/budgets.json', import.meta.url);

const METRICS: readonly HttpMetric[] = ['cpu-added-us', 'throughput-ratio', 'sampling-excess-us', 'sampled-fraction', 'spans-per-request'];

export function loadBudgets(file: URL = BUDGETS_FILE): Budgets {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Budgets>;
  const micro = raw.micro ?? [];
  const http = raw.http ?? [];
  for (const b of micro) {
    if (typeof b.id !== 'string' || typeof b.file !== 'string' || typeof b.comparison !== 'string' || typeof b.min === typeof b.max || (typeof b.min !== 'number' && typeof b.max !== 'number')) {
      throw new Error(`bench/budgets.json: micro budget ${JSON.stringify(b)} needs id, file, comparison and one of min or max`);
    }
  }
  for (const b of http) {
    if (typeof b.id !== 'string' || !METRICS.includes(b.metric) || typeof b.scenario !== 'string' || typeof b.reference !== 'string') {
      throw new Error(`bench/budgets.json: http budget ${JSON.stringify(b)} needs id, scenario, reference and a metric of ${METRICS.join(', ')}`);
    }
    if (b.metric === 'sampling-excess-us' && typeof b.full !== 'string') {
      throw new Error(`bench/budgets.json: http budget ${b.id} (sampling-excess-us) needs full: the scenario sampling every request`);
    }
  }
  return { micro, http };
}

// Two-sided normal quantiles for the binomial interval.
const Z: Readonly<Record<string, number>> = { '0.9': 1.6449, '0.95': 1.96, '0.99': 2.5758, '0.999': 3.2905 };

function verdict(partial: Omit<Verdict, 'spread' | 'tolerance' | 'margin' | 'value' | 'unit' | 'limit' | 'ci'> & Partial<Verdict>): Verdict {
  return { value: Number.NaN, unit: '', limit: '', margin: Number.NaN, tolerance: 0, spread: null, ci: partial.kind === 'micro', ...partial };
}

/** `runs`: every run of each bench file (the first, plus the re-run if there was one). */
export function evaluateMicro(
  budget: MicroBudget,
  runs: ReadonlyMap<string, readonly MicroFileOutcome[]>,
  mode: 'full' | 'ci' = 'full',
): Verdict {
  const upper = budget.max !== undefined;
  const target = upper ? budget.max! : budget.min!;
  const ciLimit = upper ? budget.ciMax : budget.ciMin;
  const bound = mode === 'ci' && ciLimit !== undefined ? ciLimit : target;
  const unit = upper ? 'ns' : 'x';
  const floorNote = bound === target ? '' : `ci floor; release target ${upper ? '<= ' : ''}${target}${unit}; `;
  const base = { id: budget.id, kind: 'micro' as const, rerun: [budget.file], limit: `${upper ? '<=' : '>='} ${bound}`, unit };
  const fileRuns = runs.get(budget.file);
  if (fileRuns === undefined || fileRuns.length === 0) {
    const source = `bench/micro/${budget.file.replace(/\.js$/, '.ts')}`;
    const exists = existsSync(new URL(budget.file, MICRO_URL));
    return verdict({ ...base, status: 'skipped', rerun: [], detail: exists ? `skipped: ${source} not selected in this run` : `skipped: ${source} does not exist yet` });
  }
  const failed = fileRuns.find((r) => r.status === 'failed');
  if (failed !== undefined) return verdict({ ...base, status: 'fail', detail: `${budget.file} failed: ${failed.reason}` });
  const values: number[] = [];
  const rounds: number[] = [];
  const rmeTolerances: number[] = [];
  for (const run of fileRuns) {
    const cmp = run.comparisons.find((c) => c.id === budget.comparison);
    if (cmp === undefined) {
      const known = run.comparisons.map((c) => c.id).join(', ') || 'none';
      return verdict({ ...base, status: 'fail', rerun: [], detail: `${budget.file} defines no comparison '${budget.comparison}' (it has: ${known})` });
    }
    values.push(cmp.ratio);
    rounds.push(...(cmp.rounds ?? []));
    const ours = run.cases.find((c) => c.name === cmp.ours);
    const theirs = run.cases.find((c) => c.name === cmp.theirs);
    const rme = Math.hypot(ours?.rme ?? 0, theirs?.rme ?? 0) / 100;
    rmeTolerances.push(cmp.metric === 'time' ? cmp.ratio * rme : 0);
  }
  if (budget.every === true) {
    // Every round must hold: the worst one is the value, no tolerance, and a re-run could only
    // add rounds, so none is made.
    const s = spread(rounds);
    const worst = upper ? s.max : s.min;
    const pass = s.n > 0 && (upper ? worst <= bound : worst >= bound);
    return verdict({
      ...base,
      status: pass ? 'pass' : 'fail',
      value: worst,
      margin: upper ? bound - worst : worst - bound,
      spread: s,
      rerun: [],
      detail: `${floorNote}${budget.comparison}, worst of ${s.n} interleaved round(s) over ${fileRuns.length} run(s), median ${s.median.toFixed(2)}`,
    });
  }
  // With interleaved rounds (time, added-ns), the median of every run's rounds is the value
  // and half their range the noise band: two tinybench cases timed seconds apart on a loaded
  // box gave a sampled-span ratio of 43.9x where its rounds said 5.7-7.9x. Bytes (and bench
  // files without rounds) keep the per-run value and the ±rme band.
  const s = spread(rounds.length > 0 ? rounds : values);
  const tolerance = Math.min(rounds.length > 0 ? halfRange(s) : Math.max(halfRange(s), spread(rmeTolerances).median), budget.maxTolerance);
  // Without rounds, an even count of runs takes the middle value on the failing side.
  const value = rounds.length > 0 ? s.median : gateMedian(values, upper ? 'high' : 'low');
  const pass = upper ? value <= bound + tolerance : value >= bound - tolerance;
  return verdict({
    ...base,
    status: pass ? 'pass' : 'fail',
    value,
    margin: upper ? bound - value : value - bound,
    tolerance,
    spread: s,
    detail: `${floorNote}${budget.comparison}, ${rounds.length > 0 ? `median of ${rounds.length} interleaved round(s) over ` : ''}${values.length} run(s)`,
  });
}

/**
 * Why the budget cannot be judged, or null. Only a scenario left out of this run (--scenarios)
 * is a skip; one that did not start, crashed, answered wrongly or erred under load fails it.
 */
function httpUnavailable(budget: HttpBudget, results: readonly HttpScenarioResult[], names: readonly string[]): Verdict | null {
  for (const name of names) {
    const r = results.find((x) => x.name === name);
    const base = { id: budget.id, kind: 'http' as const, rerun: [], ci: budget.ci === true };
    if (r === undefined) return verdict({ ...base, status: 'skipped', detail: `skipped: scenario ${name} was not run` });
    if (r.status !== 'ok') return verdict({ ...base, status: 'fail', detail: `${name} ${r.status === 'skipped' ? 'did not start' : 'failed'}: ${r.reason}` });
    if (r.errors > 0) return verdict({ ...base, status: 'fail', detail: `${name} answered ${r.errors} error(s) under load` });
    const counted = budget.metric === 'sampled-fraction' || budget.metric === 'spans-per-request';
    if (r.rounds.length === 0 && !counted) return verdict({ ...base, status: 'fail', detail: `${name} has no measured rounds` });
  }
  return null;
}

/** `allowance`: a noise band added to the maximum (sampling-excess-us), stated in the limit. */
function limited(budget: HttpBudget, values: number[], unit: string, detail: string, allowance = 0): Verdict {
  const s = spread(values);
  const tolerance = Math.min(halfRange(s), budget.maxTolerance ?? 0);
  let pass: boolean;
  let margin: number;
  let limit: string;
  let value: number;
  if (budget.max !== undefined) {
    value = gateMedian(values, 'high');
    const max = budget.max + allowance;
    margin = max - value;
    pass = value <= max + tolerance;
    limit = allowance === 0 ? `<= ${budget.max}` : `<= ${budget.max} + ${allowance.toFixed(2)} noise`;
  } else {
    value = gateMedian(values, 'low');
    const min = budget.min ?? Number.NEGATIVE_INFINITY;
    margin = value - min;
    pass = value >= min - tolerance;
    limit = `>= ${min}`;
  }
  return verdict({
    id: budget.id,
    kind: 'http',
    ci: budget.ci === true,
    status: pass && Number.isFinite(value) ? 'pass' : 'fail',
    value,
    unit,
    limit,
    margin,
    tolerance,
    spread: s,
    detail: `${detail}, median of ${s.n} round(s)`,
    rerun: [budget.scenario, budget.reference, ...(budget.full === undefined ? [] : [budget.full])],
  });
}

/**
 * The noise between identical measurements: the median absolute difference of CPU per request
 * between consecutive runs of the baseline in the same round (same server, same load, nothing
 * changed but time). A difference of differences (sampling-excess-us) moves by about this much
 * on noise alone, so it is the allowance that budget is granted.
 */
export function identicalRunNoise(baseline: HttpScenarioResult | undefined): number {
  if (baseline === undefined) return Number.NaN;
  const diffs: number[] = [];
  const byRound = new Map<number, number[]>();
  for (const m of baseline.rounds) {
    const list = byRound.get(m.round) ?? [];
    list.push(m.cpuUsPerRequest);
    byRound.set(m.round, list);
  }
  for (const list of byRound.values()) for (let i = 1; i < list.length; i++) diffs.push(Math.abs(list[i]! - list[i - 1]!));
  return spread(diffs).median;
}

/** `sample`: a fresh sample of the sampled-fraction scenario, when one was taken after a failure. */
export function evaluateHttp(
  budget: HttpBudget,
  results: readonly HttpScenarioResult[],
  sample?: { requests: number; spans: number },
  baselineName = 'nest',
): Verdict {
  const names = [budget.scenario, budget.reference, ...(budget.full === undefined ? [] : [budget.full])];
  const counted = budget.metric === 'sampled-fraction' || budget.metric === 'spans-per-request';
  const unavailable = httpUnavailable(budget, results, counted ? [budget.scenario] : names);
  if (unavailable !== null) return unavailable;
  const x = results.find((r) => r.name === budget.scenario)!;
  const ref = results.find((r) => r.name === budget.reference);
  switch (budget.metric) {
    case 'cpu-added-us':
      return limited(budget, pairedByRound(x, ref!, (a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest), 'µs', `${x.name} CPU/request minus ${ref!.name}'s`);
    case 'throughput-ratio':
      return limited(
        budget,
        pairedByRound(x, ref!, (a, b) => a.rps / a.baselineRps / (b.rps / b.baselineRps)),
        'x',
        `${x.name} req/s / ${ref!.name} req/s (each against its own baseline runs)`,
      );
    case 'sampling-excess-us': {
      // What a p-sampled request costs beyond "p of a sampled one + (1 - p) of an unsampled one":
      // (x - ref) - p (full - ref) per round. Zero when the unsampled path pays nothing for the
      // sampled one; the allowance is the noise between identical runs (identicalRunNoise).
      const full = results.find((r) => r.name === budget.full)!;
      const p = budget.share ?? x.sampleRatio ?? Number.NaN;
      const values: number[] = [];
      for (const a of x.rounds) {
        const b = ref!.rounds.find((m) => m.round === a.round);
        const f = full.rounds.find((m) => m.round === a.round);
        if (b !== undefined && f !== undefined) values.push(a.cpuUsPerRequest - b.cpuUsPerRequest - p * (f.cpuUsPerRequest - b.cpuUsPerRequest));
      }
      const noise = identicalRunNoise(results.find((r) => r.name === baselineName));
      return limited(
        budget,
        values,
        'µs',
        `(${x.name} - ${ref!.name}) - ${p} x (${full.name} - ${ref!.name}) CPU/request; noise allowance = median |difference| between consecutive ${baselineName} runs`,
        Number.isFinite(noise) ? noise : 0,
      );
    }
    case 'spans-per-request':
      return verdict({
        id: budget.id,
        kind: 'http',
        ci: budget.ci === true,
        status: x.spansPerRequest >= (budget.min ?? 0) ? 'pass' : 'fail',
        value: x.spansPerRequest,
        unit: '',
        limit: `>= ${budget.min ?? 0}`,
        margin: x.spansPerRequest - (budget.min ?? 0),
        detail: `${x.spans} spans received for ${x.requestsSent} requests sent (warm-ups and checks included)`,
        rerun: [],
      });
    case 'sampled-fraction': {
      const p = budget.share ?? x.sampleRatio ?? Number.NaN;
      // Spans per sampled request, from the 100% scenario (1 for a server span per request).
      const perSampled = ref !== undefined && ref.status === 'ok' && ref.requestsSent > 0 ? Math.max(1, Math.round(ref.spans / ref.requestsSent)) : 1;
      const n = sample?.requests ?? x.requestsSent;
      const k = (sample?.spans ?? x.spans) / perSampled;
      const z = Z[String(budget.confidence ?? 0.99)] ?? 2.5758;
      const sd = Math.sqrt(n * p * (1 - p));
      const lo = n * p - z * sd;
      const hi = n * p + z * sd;
      const pass = k >= lo && k <= hi;
      return verdict({
        id: budget.id,
        kind: 'http',
        ci: budget.ci === true,
        status: pass ? 'pass' : 'fail',
        value: k / n,
        unit: '',
        limit: `${(lo / n).toFixed(5)}..${(hi / n).toFixed(5)}`,
        margin: Math.min(k - lo, hi - k) / n,
        detail: `${k.toFixed(0)} sampled of ${n} requests (${perSampled} span(s) per sampled request), ${budget.confidence ?? 0.99} binomial interval around p=${p}${sample ? ', fresh sample' : ''}`,
        rerun: [budget.scenario],
      });
    }
  }
}

export function formatVerdict(v: Verdict): string {
  const status = v.status === 'pass' ? 'PASS' : v.status === 'fail' ? 'FAIL' : 'SKIP';
  if (v.status === 'skipped' || !Number.isFinite(v.value)) return `${status}  ${v.id.padEnd(38)} ${v.detail}`;
  const digits = v.unit === '' ? 5 : 2;
  const range = v.spread !== null && v.spread.n > 1 ? ` [${v.spread.min.toFixed(digits)}..${v.spread.max.toFixed(digits)}]` : '';
  const tol = v.tolerance > 0 ? ` ±${v.tolerance.toFixed(digits)} tol` : '';
  return `${status}  ${v.id.padEnd(38)} ${v.value.toFixed(digits)}${v.unit}${range}  budget ${v.limit}${v.unit}  margin ${v.margin >= 0 ? '+' : ''}${v.margin.toFixed(digits)}${tol}  (${v.detail})`;
}
