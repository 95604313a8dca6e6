// The full run's measured window shrinks as scenarios are added, so `npm run bench` keeps its
// time budget; explicit durations are left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDuration, type HttpSettings } from '../../../bench/http/suite.js';

const BASE: HttpSettings = { rounds: 3, durationS: 4, roundsBudgetS: 330, warmupS: 1, initialWarmupS: 2, connections: 10, serverCpu: 1, loadCpu: 0, serverNode: null, serverNodeFlags: [] };

test('the measured window is fitted so the first-pass rounds take about the budget (330 s)', () => {
  for (const scenarios of [6, 11, 13]) {
    const fitted = fitDuration(BASE, scenarios);
    const runs = BASE.rounds * (2 * (scenarios - 1) + 1);
    const seconds = runs * (fitted.durationS + BASE.warmupS + 0.3);
    assert.ok(seconds <= 330 || fitted.durationS === 2, `${scenarios} scenarios: ${seconds} s`);
    assert.ok(fitted.durationS >= 2 && fitted.durationS <= 5);
    assert.equal(fitted.durationS * 2, Math.round(fitted.durationS * 2), 'half seconds');
  }
  assert.equal(fitDuration(BASE, 11).durationS, 3.5);
  assert.equal(fitDuration(BASE, 13).durationS, 3);
  assert.ok(fitDuration(BASE, 13).durationS < fitDuration(BASE, 6).durationS);
});

test('an explicit duration (no budget) is used as given', () => {
  assert.equal(fitDuration({ ...BASE, roundsBudgetS: null, durationS: 7 }, 13).durationS, 7);
});
