// Runs every discovered micro bench file, each in its own pinned process with --expose-gc.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PinnedProcess } from '../http/pinned-process.js';
import { discoverMicroFiles } from './discover.js';
import { formatResults, type CaseResult, type ComparisonResult } from './harness.js';
import type { SuiteFileResult } from './suite-process.js';

export interface MicroSettings {
  readonly timeMs: number;
  readonly warmupMs: number;
  readonly cpu: number | null;
  /** Substrings selecting bench files; empty: all. */
  readonly filter: readonly string[];
}

export interface MicroFileOutcome {
  readonly file: string;
  readonly status: 'ok' | 'failed';
  readonly reason: string;
  readonly cases: CaseResult[];
  readonly comparisons: ComparisonResult[];
}

const SUITE_PROCESS = fileURLToPath(new URL('./suite-process.js', import.meta.url));

export async function runMicroFile(file: string, settings: MicroSettings): Promise<MicroFileOutcome> {
  const child = new PinnedProcess({
    script: SUITE_PROCESS,
    args: [file],
    cpu: settings.cpu,
    execArgv: ['--expose-gc'],
    env: { BENCH_TIME_MS: String(settings.timeMs), BENCH_WARMUP_MS: String(settings.warmupMs), NODE_ENV: 'production' },
  });
  const name = basename(file);
  try {
    const result = await child.waitFor<SuiteFileResult>('result', 15 * 60_000);
    return {
      file: name,
      status: 'ok',
      reason: '',
      cases: result.suites.flatMap((s) => s.cases),
      comparisons: result.suites.flatMap((s) => s.comparisons),
    };
  } catch (error) {
    return { file: name, status: 'failed', reason: error instanceof Error ? error.message : String(error), cases: [], comparisons: [] };
  } finally {
    await child.stop(5_000);
  }
}

export async function runMicro(settings: MicroSettings, log: (line: string) => void): Promise<MicroFileOutcome[]> {
  const outcomes: MicroFileOutcome[] = [];
  for (const file of discoverMicroFiles(settings.filter)) {
    const started = Date.now();
    const outcome = await runMicroFile(file, settings);
    outcomes.push(outcome);
    if (outcome.status === 'ok') log(formatResults(outcome));
    else log(`${outcome.file}: FAILED: ${outcome.reason}`);
    log(`  (${outcome.file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return outcomes;
}
