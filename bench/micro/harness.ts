// The micro-benchmark harness every bench/micro/*.bench.ts file uses.
// Time: tinybench (median-friendly samples, ±rme), each sample a batch of calls worth ~10 µs.
// Bytes/op: heap growth over batches sized to fit the free young generation right after a full
// GC (needs --expose-gc), median of five, so a scavenge never hides allocation.
// Each file defines one suite: cases side by side with the alternatives (OpenTelemetry JS)
// and the comparisons the gate checks (bench/budgets.json names them).

import { getHeapSpaceStatistics } from 'node:v8';
import { Bench } from 'tinybench';
import { median } from '../stats.js';

export interface MicroCase {
  /** Short name, unique in the suite, e.g. 'w3c extract (ntc)'. */
  readonly name: string;
  /** Who it measures: 'ntc' for this library, 'otel' for OpenTelemetry JS, anything else for other candidates. */
  readonly impl: string;
  /** One operation. Return a value so the work is not optimised away. */
  readonly fn: () => unknown;
}

export interface MicroComparison {
  /** Id the budgets refer to, e.g. 'w3c-extract-speedup'. */
  readonly id: string;
  /** Our case name and the alternative's. */
  readonly ours: string;
  readonly theirs: string;
  /**
   * 'time': theirs.ns / ours.ns; 'bytes': theirs.bytes / ours.bytes (both "how many times
   * better"); 'added-ns': ours.ns - theirs.ns, what ours adds over a reference case of our own
   * (e.g. metrics on over metrics off), the median of the interleaved rounds' differences.
   */
  readonly metric: ComparisonMetric;
}

export type ComparisonMetric = 'time' | 'bytes' | 'added-ns';

export interface MicroSuite {
  readonly name: string;
  readonly cases: readonly MicroCase[];
  readonly comparisons: readonly MicroComparison[];
}

export interface CaseResult {
  readonly suite: string;
  readonly name: string;
  readonly impl: string;
  readonly nsPerOp: number;
  /** Relative margin of error of the mean, in percent. */
  readonly rme: number;
  readonly bytesPerOp: number;
  readonly samples: number;
}

export interface ComparisonResult {
  readonly suite: string;
  readonly id: string;
  readonly metric: ComparisonMetric;
  readonly ours: string;
  readonly theirs: string;
  /** How many times better ours is (> 1 means ours wins); for 'added-ns', the ns ours adds. */
  readonly ratio: number;
  /**
   * 'time' and 'added-ns': the value in each interleaved round (ours and theirs timed back to
   * back in CPU time, see interleavedRounds), so a budget can ask it of every round.
   */
  readonly rounds?: readonly number[];
}

export interface RunOptions {
  /** Milliseconds of sampling per case. */
  readonly timeMs: number;
  /** Milliseconds of warm-up per case. */
  readonly warmupMs: number;
}

export function defineSuite(suite: MicroSuite): MicroSuite {
  const names = new Set(suite.cases.map((c) => c.name));
  for (const cmp of suite.comparisons) {
    if (!names.has(cmp.ours) || !names.has(cmp.theirs)) {
      throw new Error(`suite ${suite.name}: comparison ${cmp.id} names a case that does not exist`);
    }
  }
  return suite;
}

const gc = (globalThis as { gc?: () => void }).gc;

// The batch runs about this long: 20,000 iterations of a 512-span serialization would take
// minutes (and a scavenge each time); 20,000 of a 100 ns op take 2 ms.
const BYTES_BATCH_NS = 50e6;

/** Heap growth per call over `n` calls right after a full GC, or null when a GC ran inside. */
function batchBytes(fn: () => unknown, n: number): number | null {
  gc!();
  const before = process.memoryUsage().heapUsed;
  let sink: unknown;
  for (let i = 0; i < n; i++) sink = fn();
  const after = process.memoryUsage().heapUsed;
  keep(sink);
  // A scavenge inside the batch makes the delta small or negative; one outside cannot happen
  // because the batch is sized to a fraction of the free young generation (below).
  return after >= before ? (after - before) / n : null;
}

/**
 * Bytes per call. The batch is sized so that it allocates at most a quarter of the young
 * generation that is free after a full GC: V8's new space starts at 1 MiB on Node 20, and the
 * earlier fixed 20,000-call batch ran a scavenge inside itself for anything over ~50 B/op, so
 * OpenTelemetry's W3C extract printed ~130 B instead of ~950 B (measured in 1,000-call batches).
 * A 16-call probe estimates the size first; the median of five batches is reported.
 */
function measureBytes(fn: () => unknown, nsPerOp: number): number {
  if (gc === undefined) return Number.NaN;
  gc();
  const free = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_available_size ?? 512 * 1024;
  const probe = batchBytes(fn, 16) ?? 4096;
  const byBytes = Math.floor(free / 4 / Math.max(probe, 8));
  const byTime = Number.isFinite(nsPerOp) && nsPerOp > 0 ? Math.floor(BYTES_BATCH_NS / nsPerOp) : 20_000;
  const iterations = Math.max(1, Math.min(20_000, byBytes, Math.max(16, byTime)));
  const samples: number[] = [];
  for (let attempt = 0; attempt < 10 && samples.length < 5; attempt++) {
    const bytes = batchBytes(fn, iterations);
    if (bytes !== null) samples.push(bytes);
  }
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

let kept: unknown;
function keep(value: unknown): void {
  kept = value;
}

// One tinybench sample times a batch of calls worth about this long. Timing single 50 ns calls
// puts the timer's own cost in every sample (compressing ratios toward 1), and tinybench keeps
// and sorts every sample: 10 million of them per second of a 100 ns op took ~5 s per case.
const SAMPLE_NS = 10_000;

function batchSize(fn: () => unknown): number {
  let n = 16;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) kept = fn();
    const elapsed = Number(process.hrtime.bigint() - start);
    if (elapsed >= 1e6 || n >= 1 << 20) return Math.max(1, Math.min(10_000, Math.round((SAMPLE_NS * n) / Math.max(elapsed, 1))));
    n *= 4;
  }
}

export async function runSuite(suite: MicroSuite, options: RunOptions): Promise<{ cases: CaseResult[]; comparisons: ComparisonResult[] }> {
  const cases: CaseResult[] = [];
  for (const c of suite.cases) {
    gc?.();
    const batch = batchSize(c.fn);
    const fn = c.fn;
    const bench = new Bench({ time: options.timeMs, warmupTime: options.warmupMs, warmup: true });
    bench.add(c.name, () => {
      let out: unknown;
      for (let i = 0; i < batch; i++) out = fn();
      kept = out;
    });
    await bench.run();
    const task = bench.tasks[0]!;
    const r = task.result as unknown as Record<string, any> | undefined;
    // tinybench 6: result.latency.{mean,rme,samples}; older: result.{mean,rme,samples}
    const latency = (r?.latency ?? r) as Record<string, any> | undefined;
    const meanMs = Number(latency?.mean ?? Number.NaN) / batch;
    const rme = Number(latency?.rme ?? Number.NaN);
    const samples = Number(latency?.samplesCount ?? latency?.samples?.length ?? 0);
    cases.push({
      suite: suite.name,
      name: c.name,
      impl: c.impl,
      nsPerOp: meanMs * 1e6,
      rme,
      bytesPerOp: measureBytes(c.fn, meanMs * 1e6),
      samples,
    });
  }
  const byName = new Map(cases.map((c) => [c.name, c]));
  const fnByName = new Map(suite.cases.map((c) => [c.name, c.fn]));
  const comparisons = suite.comparisons.map((cmp): ComparisonResult => {
    const ours = byName.get(cmp.ours)!;
    const theirs = byName.get(cmp.theirs)!;
    const base = { suite: suite.name, id: cmp.id, metric: cmp.metric, ours: cmp.ours, theirs: cmp.theirs };
    if (cmp.metric === 'bytes') return { ...base, ratio: theirs.bytesPerOp / Math.max(ours.bytesPerOp, 1) };
    const pairs = interleavedRounds(fnByName.get(cmp.ours)!, ours.nsPerOp, fnByName.get(cmp.theirs)!, theirs.nsPerOp, options.timeMs);
    if (cmp.metric === 'added-ns') {
      const rounds = pairs.map(([a, b]) => a - b);
      return { ...base, ratio: median(rounds), rounds };
    }
    return { ...base, ratio: theirs.nsPerOp / ours.nsPerOp, rounds: pairs.map(([a, b]) => b / a) };
  });
  void kept;
  return { cases, comparisons };
}

const ROUNDS = 9;
/** Back-to-back alternations of ours and theirs inside one round; each side keeps its fastest. */
const TURNS = 3;

/**
 * [ours, theirs] CPU ns per call in each of ROUNDS rounds (after one unrecorded warm-up
 * round). A round alternates ours and theirs TURNS times, each turn about `timeMs / 120`, and
 * keeps each side's fastest turn: a load swing between two tinybench cases run one after the
 * other moves their ratio (a W3C extract ratio of 4.5x overall was 2.3x in its worst round on
 * the loaded 2-core bench box), and noise here only ever adds time (a preemption, a
 * neighbour's cache traffic), so the fastest turn is the round's estimate. A budget that must
 * hold in every round is judged on these.
 */
function interleavedRounds(ours: () => unknown, oursNs: number, theirs: () => unknown, theirsNs: number, timeMs: number): Array<[number, number]> {
  const sliceNs = (timeMs * 1e6) / 120;
  const nOurs = Math.max(1, Math.round(sliceNs / (Number.isFinite(oursNs) && oursNs > 0 ? oursNs : 1000)));
  const nTheirs = Math.max(1, Math.round(sliceNs / (Number.isFinite(theirsNs) && theirsNs > 0 ? theirsNs : 1000)));
  const pairs: Array<[number, number]> = [];
  for (let r = 0; r <= ROUNDS; r++) {
    let a = Infinity;
    let b = Infinity;
    for (let t = 0; t < TURNS; t++) {
      a = Math.min(a, cpuNsPerCall(ours, nOurs));
      b = Math.min(b, cpuNsPerCall(theirs, nTheirs));
    }
    if (r > 0 && a > 0 && b > 0 && Number.isFinite(a + b)) pairs.push([a, b]);
  }
  return pairs;
}

// process.cpuUsage, not process.threadCpuUsage (Node 24): on the bench box the thread figure
// moves in scheduler ticks (0, 394, 2188, 3593 µs for the same 0.2 ms loop) where the process
// figure is exact to a few µs.
function cpuNsPerCall(fn: () => unknown, n: number): number {
  let out: unknown;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) out = fn();
  const used = process.cpuUsage(start);
  kept = out;
  return ((used.user + used.system) * 1000) / n;
}

export function formatResults(results: { cases: CaseResult[]; comparisons: ComparisonResult[] }): string {
  const lines: string[] = [];
  for (const c of results.cases) {
    lines.push(
      `${c.suite.padEnd(12)} ${c.name.padEnd(44)} ${c.nsPerOp.toFixed(1).padStart(10)} ns/op ±${c.rme.toFixed(1).padStart(5)}%  ${Number.isNaN(c.bytesPerOp) ? '   n/a' : c.bytesPerOp.toFixed(0).padStart(6)} B/op`,
    );
  }
  for (const cmp of results.comparisons) {
    const unit = cmp.metric === 'added-ns' ? ' ns' : 'x';
    const digits = cmp.metric === 'added-ns' ? 0 : 2;
    const rounds = cmp.rounds === undefined || cmp.rounds.length === 0 ? '' : ` [rounds ${Math.min(...cmp.rounds).toFixed(digits)}..${Math.max(...cmp.rounds).toFixed(digits)}${unit}]`;
    const how = cmp.metric === 'added-ns' ? `${cmp.ours} - ${cmp.theirs}` : `${cmp.theirs} / ${cmp.ours}`;
    lines.push(`${cmp.suite.padEnd(12)} ${cmp.id.padEnd(44)} ${cmp.ratio.toFixed(digits)}${unit}${rounds} (${cmp.metric}: ${how})`);
  }
  return lines.join('\n');
}

/** For `node dist/bench/micro/x.bench.js`: run the suite alone with a short budget and print it. */
export async function runStandalone(suite: MicroSuite): Promise<void> {
  const results = await runSuite(suite, { timeMs: Number(process.env.BENCH_TIME_MS ?? 500), warmupMs: 100 });
  console.log(formatResults(results));
}
