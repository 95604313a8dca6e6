import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitingSampler, SamplingDecision, TraceContext, Tracer, createSampler } from '../../../engine/index.js';
import { seededRandom } from './seeded-ids.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

test('ratelimiting keeps N new traces per second within 10% over 10 s of steady overload (injected clock)', () => {
  for (const perSecond of [1, 10, 100, 1000]) {
    const clock = fakeClock();
    const sampler = new RateLimitingSampler(perSecond, clock.now);
    let kept = 0;
    // 20,000 requests per second, evenly spaced
    for (let i = 0; i < 200_000; i++) {
      clock.t = i * 0.05;
      if (sampler.shouldSample(null, TRACE, 'n', 0, undefined).decision === SamplingDecision.RECORD_AND_SAMPLED) kept++;
    }
    const expected = perSecond * 10;
    assert.ok(Math.abs(kept - expected) <= expected * 0.1, `perSecond ${perSecond}: kept ${kept}, expected ${expected}`);
  }
});

test('ratelimiting holds within 10% for bursty, randomly spaced traffic (seeded)', () => {
  const clock = fakeClock();
  const sampler = new RateLimitingSampler(50, clock.now);
  const random = seededRandom(42);
  let kept = 0;
  while (clock.t < 10_000) {
    // bursts of 0-40 requests at one instant, gaps of 0-20 ms
    const burst = Math.floor(random() * 40);
    for (let i = 0; i < burst; i++) if (sampler.shouldSample(null, TRACE, 'n', 0, undefined).decision === 2) kept++;
    clock.t += random() * 20;
  }
  assert.ok(Math.abs(kept - 500) <= 50, `kept ${kept}`);
});

test('ratelimiting allows a one-second burst after a quiet period, and never more', () => {
  const clock = fakeClock();
  const sampler = new RateLimitingSampler(5, clock.now);
  clock.t = 60_000;
  let kept = 0;
  for (let i = 0; i < 100; i++) if (sampler.shouldSample(null, TRACE, 'n', 0, undefined).decision === 2) kept++;
  assert.equal(kept, 5);
});

test('ratelimiting follows the parent for spans with a parent and spends no tokens on them', () => {
  const clock = fakeClock();
  const sampler = new RateLimitingSampler(1, clock.now);
  const sampled = TraceContext.from({ traceId: TRACE, spanId: '00f067aa0ba902b7', sampled: true });
  const unsampled = TraceContext.from({ traceId: TRACE, spanId: '00f067aa0ba902b7', sampled: false });
  for (let i = 0; i < 10; i++) assert.equal(sampler.shouldSample(sampled, TRACE, 'n', 0, undefined).decision, 2);
  assert.equal(sampler.shouldSample(unsampled, TRACE, 'n', 0, undefined).decision, 0);
  assert.equal(sampler.shouldSample(null, TRACE, 'n', 0, undefined).decision, 2, 'the token is still there');
  assert.equal(sampler.shouldSample(null, TRACE, 'n', 0, undefined).decision, 0);
});

test('ratelimiting with the real clock: 20 per second over 300 ms keeps about 1 + 6 traces', async () => {
  const start = performance.now();
  const tracer = new Tracer({ sampler: { type: 'ratelimiting', perSecond: 20 } });
  let kept = 0;
  let last = start;
  while (last - start < 300) {
    for (let i = 0; i < 50; i++) {
      const span = tracer.startSpan('root');
      if (span.isRecording()) kept++;
      span.end();
    }
    // Tokens accrue up to the last decision, not to whenever a loaded machine wakes us up.
    last = performance.now();
    await new Promise((r) => setTimeout(r, 5));
  }
  const expected = 1 + ((last - start) / 1000) * 20;
  assert.ok(kept >= Math.floor(expected) - 1 && kept <= Math.ceil(expected) + 1, `kept ${kept} in ${(last - start).toFixed(0)} ms, expected ~${expected.toFixed(1)}`);
});

test('bad perSecond fails at construction', () => {
  assert.throws(() => createSampler({ type: 'ratelimiting' }, {}), /sampler\.perSecond: got undefined/);
  assert.throws(() => createSampler({ type: 'ratelimiting', perSecond: -1 }, {}), /sampler\.perSecond: got -1/);
  assert.throws(() => createSampler({ type: 'ratelimiting', perSecond: Infinity }, {}), /sampler\.perSecond/);
});
