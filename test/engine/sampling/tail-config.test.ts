// The tail samplers' options are checked at startup like every sampler's: defaults as
// documented, the environment's ratio when the config has none, and every bad value an
// ERR_INVALID_OPTION naming its path, the value and what is allowed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler, TailSampler } from '../../../engine/index.js';

test('defaults: ratio 0.01, errors kept, 500 ms, 2048 traces of 512 spans, 100 keeps per second', () => {
  const sampler = createSampler({ type: 'tail' }, {});
  assert.ok(sampler instanceof TailSampler);
  const o = sampler.options;
  assert.deepEqual(
    [o.ratio, o.keepErrors, o.slowDefaultMs, o.slowByName, o.maxBufferedTraces, o.maxSpansPerTrace, o.maxKeptPerSecond],
    [0.01, true, 500, null, 2048, 512, 100],
  );
  assert.equal(sampler.parentBased, false);
  assert.equal((createSampler({ type: 'parentbased_tail' }, {}) as TailSampler).parentBased, true);
});

test('keepSlowerThanMs per route, with * for the rest (no * means other routes are never slow)', () => {
  const withStar = (createSampler({ type: 'tail', keepSlowerThanMs: { 'GET /orders/:id': 200, '*': 800 } }, {}) as TailSampler).options;
  assert.equal(withStar.slowByName!.get('GET /orders/:id'), 200);
  assert.equal(withStar.slowDefaultMs, 800);
  const noStar = (createSampler({ type: 'tail', keepSlowerThanMs: { 'GET /orders/:id': 200 } }, {}) as TailSampler).options;
  assert.equal(noStar.slowDefaultMs, Infinity);
});

test('OTEL_TRACES_SAMPLER=tail with OTEL_TRACES_SAMPLER_ARG sets the base ratio', () => {
  const s = createSampler(undefined, { OTEL_TRACES_SAMPLER: 'parentbased_tail', OTEL_TRACES_SAMPLER_ARG: '0.05' }) as TailSampler;
  assert.equal(s.options.ratio, 0.05);
  assert.equal(s.parentBased, true);
  assert.throws(() => createSampler(undefined, { OTEL_TRACES_SAMPLER: 'tail', OTEL_TRACES_SAMPLER_ARG: '3' }), /OTEL_TRACES_SAMPLER_ARG: got 3, expected a number from 0 to 1/);
});

test('bad tail options fail naming the option path, the value and what is allowed', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'tail', ratio: -1 }, /sampler\.ratio: got -1, expected a number from 0 to 1/],
    [{ type: 'tail', keepErrors: 'yes' }, /sampler\.keepErrors: got "yes", expected true or false/],
    [{ type: 'tail', keepSlowerThanMs: -5 }, /sampler\.keepSlowerThanMs: got -5, expected a finite number of milliseconds/],
    [{ type: 'tail', keepSlowerThanMs: '500' }, /sampler\.keepSlowerThanMs: got "500", expected milliseconds, or a map of route to milliseconds/],
    [{ type: 'tail', keepSlowerThanMs: { 'GET /a': 'slow' } }, /sampler\.keepSlowerThanMs\['GET \/a'\]: got "slow"/],
    [{ type: 'tail', keepSlowerThanMs: { '*': NaN } }, /sampler\.keepSlowerThanMs\['\*'\]: got NaN/],
    [{ type: 'tail', maxBufferedTraces: 0 }, /sampler\.maxBufferedTraces: got 0, expected an integer from 1 to 1000000/],
    [{ type: 'tail', maxSpansPerTrace: 1.5 }, /sampler\.maxSpansPerTrace: got 1\.5, expected an integer from 1/],
    [{ type: 'tail', maxKeptPerSecond: Infinity }, /sampler\.maxKeptPerSecond: got Infinity, expected a finite number of traces per second/],
    [{ type: 'tail', keepErrs: true }, /sampler\.keepErrs: got true, expected no such option/],
    [{ type: 'tail', rules: [] }, /sampler\.rules: .*does not apply to type "tail"/],
    [{ type: 'parentbased_tail', root: { type: 'always_on' } }, /sampler\.root: .*does not apply to type "parentbased_tail"/],
    [{ type: 'traceidratio', ratio: 0.1, keepErrors: true }, /sampler\.keepErrors: got true, expected nothing: it applies only to "tail" and "parentbased_tail"/],
    [{ type: 'parentbased_always_on', root: { type: 'tail' } }, /sampler\.root\.type: got "tail", expected a sampler other than "tail"/],
    [{ type: 'always_on', rules: [{ name: 'x', sampler: { type: 'tail' } }] }, /sampler\.rules\[0\]\.sampler\.type: got "tail"/],
  ];
  for (const [config, message] of cases) {
    assert.throws(() => createSampler(config as never, {}), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ERR_INVALID_OPTION', String(config));
      assert.match(err.message, message);
      return true;
    });
  }
});
