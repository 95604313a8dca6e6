// The cost ladder's steps (per-round paired differences between neighbouring rungs) and the
// generated section of docs/benchmarks.md being replaced in place, never typed or duplicated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ladderSteps } from '../../bench/http/ladder.js';
import { LADDER } from '../../bench/http/scenarios.js';
import type { Measurement } from '../../bench/http/suite.js';
import type { HttpScenarioResult } from '../../bench/http/summary.js';
import { spliceSection } from '../../bench/report/docs-section.js';
import { spread } from '../../bench/stats.js';

function rung(name: string, cpu: number[]): HttpScenarioResult {
  const rounds: Measurement[] = cpu.map((c, round) => ({
    scenario: name, round, rps: 1000, p50Ms: 1, p99Ms: 2, cpuUsPerRequest: c, rssMiB: 100, requests: 1000,
    baselineRps: 1000, baselineCpuUs: 40, baselineP50Ms: 1, baselineP99Ms: 2, baselineRssMiB: 100,
  }));
  const s = spread(cpu.map((c) => c - 40));
  return {
    name, description: name, status: 'ok', reason: '', sampleRatio: null, exportsSpans: false, rounds,
    requestsSent: 0, spans: 0, spansPerRequest: Number.NaN, errors: 0,
    rps: s, p50Ms: s, p99Ms: s, cpuUsPerRequest: s, rssMiB: s, throughputRatio: spread([1]), cpuAddedUs: s,
    ratios: { p50Ms: s, p99Ms: s, cpuUsPerRequest: s, rssMiB: s },
  };
}

test('each ladder step is the median of per-round differences from the rung above; a missing rung breaks the chain', () => {
  const [a, b, c] = LADDER;
  // Round drift (+10 µs in round 1) moves both rungs alike and cancels out of the step.
  const steps = ladderSteps([rung(a!.scenario, [41, 51, 42]), rung(b!.scenario, [43, 53, 45]), rung(c!.scenario, [44, 54, 46])]);
  assert.equal(steps[0]!.stepUs.n, 0);
  assert.equal(steps[1]!.stepUs.median, 2);
  assert.equal(steps[2]!.stepUs.median, 1);
  assert.equal(steps[3]!.status, 'not run');
  assert.equal(steps[4]!.stepUs.n, 0);
});

test('the docs section is replaced between its markers, and appended once when absent', () => {
  const first = spliceSection('# Benchmarks\n\nprose\n', '<!-- generated from reports/latest.json by bench/report/docs-section.ts: begin -->\nA\n<!-- generated: end -->');
  assert.match(first, /prose\n\n<!-- generated from .*begin -->\nA\n<!-- generated: end -->\n$/);
  const second = spliceSection(first, '<!-- generated from reports/latest.json by bench/report/docs-section.ts: begin -->\nB\n<!-- generated: end -->');
  assert.equal(second.match(/begin -->/g)!.length, 1);
  assert.match(second, /\nB\n/);
  assert.doesNotMatch(second, /\nA\n/);
});
