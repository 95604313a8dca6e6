// Trace and span ids: format, uniqueness across pool refills, and the bytes behind them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateSpanId, generateTraceId } from '../../../engine/ids/trace-ids.js';

describe('trace and span ids', () => {
  test('trace ids are 32 lowercase hex digits, span ids 16, never all zero', () => {
    for (let i = 0; i < 5000; i++) {
      const t = generateTraceId();
      const s = generateSpanId();
      assert.match(t, /^[0-9a-f]{32}$/);
      assert.match(s, /^[0-9a-f]{16}$/);
      assert.notEqual(t, '0'.repeat(32));
      assert.notEqual(s, '0'.repeat(16));
    }
  });

  test('100,000 ids across many pool refills, interleaved, are all distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      seen.add(generateTraceId());
      seen.add(generateSpanId());
    }
    assert.equal(seen.size, 100_000);
  });

  test('the bits look uniformly random (each hex digit position, chi-square over 20,000 trace ids)', () => {
    const n = 20_000;
    const counts = Array.from({ length: 32 }, () => new Array<number>(16).fill(0));
    for (let i = 0; i < n; i++) {
      const id = generateTraceId();
      for (let p = 0; p < 32; p++) counts[p]![Number.parseInt(id[p]!, 16)]!++;
    }
    const expected = n / 16;
    for (let p = 0; p < 32; p++) {
      const chi = counts[p]!.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
      // 15 degrees of freedom: p = 1e-6 at about 53.4; a biased digit (e.g. a fixed byte) gives thousands
      assert.ok(chi < 60, `digit ${p}: chi-square ${chi.toFixed(1)}`);
    }
  });

  test('ids are plain strings usable as map keys after the pool that made them is refilled', () => {
    const first = generateTraceId();
    const copy = (' ' + first).slice(1);
    for (let i = 0; i < 1000; i++) generateTraceId();
    assert.equal(first, copy);
    assert.match(first, /^[0-9a-f]{32}$/);
  });
});
