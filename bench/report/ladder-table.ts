// The cost ladder as a Markdown table, for reports/latest.md and the generated section of
// docs/benchmarks.md (bench/report/docs-section.ts): both come from the same report object.
import type { LadderStep } from '../http/ladder.js';
import type { Spread } from '../stats.js';

function num(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

function cell(s: Spread, digits: number): string {
  if (s.n === 0) return '–';
  return s.n > 1 ? `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})` : num(s.median, digits);
}

export function ladderTable(steps: readonly LadderStep[], baseline: string): string[] {
  const out = [
    `| rung | adds | CPU µs/req over ${baseline} | step µs (this rung − the one above) | throughput / ${baseline} |`,
    '| --- | --- | --- | --- | --- |',
  ];
  for (const s of steps) {
    if (s.status !== 'ok') {
      out.push(`| \`${s.scenario}\` | ${s.adds} | ${s.status.replace(/\|/g, '/')} | | |`);
      continue;
    }
    out.push(`| \`${s.scenario}\` | ${s.adds} | ${cell(s.cpuAddedUs, 1)} | ${cell(s.stepUs, 1)} | ${cell(s.throughputRatio, 3)} |`);
  }
  return out;
}
