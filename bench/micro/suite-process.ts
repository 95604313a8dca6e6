// Runs the suites of one bench file in a process of its own (started by bench/micro/run-micro.ts
// with --expose-gc), so no suite's JIT feedback, heap or pools leak into the next file's
// figures, and sends the results back over IPC.
// Usage (internal): node --expose-gc dist/bench/micro/suite-process.js <file.bench.js>
import { pathToFileURL } from 'node:url';
import { runSuite, type CaseResult, type ComparisonResult, type MicroSuite } from './harness.js';

export interface SuiteFileResult {
  readonly type: 'result';
  readonly file: string;
  readonly suites: ReadonlyArray<{ readonly name: string; readonly cases: CaseResult[]; readonly comparisons: ComparisonResult[] }>;
}

function isSuite(value: unknown): value is MicroSuite {
  const v = value as Partial<MicroSuite> | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && Array.isArray(v.cases) && Array.isArray(v.comparisons);
}

const file = process.argv[2];
if (file === undefined || process.send === undefined) {
  console.error('usage: started by bench/micro/run-micro.ts with a bench file path and an IPC channel');
  process.exit(2);
}
// The runner is gone: nobody will read the results.
process.once('disconnect', () => process.exit(0));
try {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const suites = Object.values(module).filter(isSuite);
  if (suites.length === 0) throw new Error(`${file} exports no suite (export const suite = defineSuite({...}))`);
  const timeMs = Number(process.env.BENCH_TIME_MS ?? 1000);
  const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 200);
  const results = [];
  for (const suite of suites) results.push({ name: suite.name, ...(await runSuite(suite, { timeMs, warmupMs })) });
  process.send({ type: 'result', file, suites: results } satisfies SuiteFileResult, () => process.exit(0));
} catch (error) {
  process.send({ type: 'failed', reason: error instanceof Error ? (error.stack ?? error.message).slice(0, 600) : String(error) }, () => process.exit(1));
}
