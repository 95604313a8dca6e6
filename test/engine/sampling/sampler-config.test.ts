import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, SAMPLER_TYPES, createSampler } from '../../../engine/index.js';

test('no config and no environment gives OpenTelemetry\'s default, parentbased_always_on', () => {
  assert.match(String(createSampler(undefined, {})), /^ParentBased\{root=AlwaysOnSampler/);
});

test('every sampler type can be configured', () => {
  const expected: Record<string, RegExp> = {
    always_on: /^AlwaysOnSampler$/,
    always_off: /^AlwaysOffSampler$/,
    traceidratio: /^TraceIdRatioBased\{0\.5\}$/,
    parentbased_always_on: /^ParentBased\{root=AlwaysOnSampler/,
    parentbased_always_off: /^ParentBased\{root=AlwaysOffSampler/,
    parentbased_traceidratio: /^ParentBased\{root=TraceIdRatioBased\{0\.5\}/,
    ratelimiting: /^RateLimitingSampler\{10\}$/,
    tail: /^Tail\{ratio=0\.01, keepErrors=true, maxBufferedTraces=2048\}$/,
    parentbased_tail: /^ParentBasedTail\{ratio=0\.01,/,
  };
  for (const type of SAMPLER_TYPES) {
    assert.match(String(createSampler({ type, ratio: type.includes('ratio') ? 0.5 : undefined, perSecond: type === 'ratelimiting' ? 10 : undefined }, {})), expected[type]!, type);
  }
});

test('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG are read when the config leaves them out', () => {
  assert.equal(String(createSampler(undefined, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })), 'TraceIdRatioBased{0.25}');
  assert.equal(String(createSampler(undefined, { OTEL_TRACES_SAMPLER: ' always_off ' })), 'AlwaysOffSampler');
  assert.equal(String(createSampler(undefined, { OTEL_TRACES_SAMPLER: 'traceidratio' })), 'TraceIdRatioBased{1}', 'ratio defaults to 1 as the spec says');
  assert.equal(String(createSampler(undefined, { OTEL_TRACES_SAMPLER: 'ratelimiting', OTEL_TRACES_SAMPLER_ARG: '7' })), 'RateLimitingSampler{7}');
  assert.match(String(createSampler({ type: 'parentbased_traceidratio' }, { OTEL_TRACES_SAMPLER_ARG: '0.1' })), /root=TraceIdRatioBased\{0\.1\}/);
});

test('config wins over the environment, field by field', () => {
  const env = { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' };
  assert.equal(String(createSampler({ type: 'always_on' }, env)), 'AlwaysOnSampler');
  assert.equal(String(createSampler({ ratio: 0.5 }, env)), 'TraceIdRatioBased{0.5}');
  assert.equal(String(createSampler({ type: 'traceidratio', ratio: 0.75 }, env)), 'TraceIdRatioBased{0.75}');
  // the env ARG belongs to the env's sampler type: it is not applied to another type
  assert.equal(String(createSampler({ type: 'ratelimiting', perSecond: 3 }, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' })), 'RateLimitingSampler{3}');
  assert.equal(String(createSampler({ type: 'always_off' }, { OTEL_TRACES_SAMPLER: 'bogus' })), 'AlwaysOffSampler', 'an overridden env value is not even read');
});

test('bad values fail at startup naming the option, the value and the allowed values', () => {
  const cases: [unknown, NodeJS.ProcessEnv, RegExp][] = [
    [{ type: 'sometimes' }, {}, /Invalid option sampler\.type: got "sometimes", expected one of "always_on", "always_off", "traceidratio"/],
    [{ type: 'traceidratio', ratio: 2 }, {}, /sampler\.ratio: got 2, expected a number from 0 to 1/],
    [{ type: 'always_on', root: { type: 'always_off' } }, {}, /sampler\.root: .*only to parentbased_\* types/],
    [{ type: 'parentbased_always_on', root: { type: 'x' } }, {}, /sampler\.root\.type: got "x"/],
    [{ rate: 0.1 }, {}, /sampler\.rate: got 0\.1, expected no such option/],
    ['always_on', {}, /sampler: got "always_on", expected a sampler config object/],
    [undefined, { OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /OTEL_TRACES_SAMPLER: got "jaeger_remote", expected one of/],
    [undefined, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG: got "half", expected a number/],
    [undefined, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG: got 1\.5, expected a number from 0 to 1/],
    [{ type: 'ratelimiting', perSecond: 1, clock: 5 }, {}, /sampler\.clock/],
  ];
  for (const [config, env, message] of cases) {
    assert.throws(
      () => createSampler(config as never, env),
      (err: unknown) => err instanceof TypeError && (err as { code?: string }).code === ErrorCodes.ERR_INVALID_OPTION && message.test((err as Error).message),
      JSON.stringify([config, env]),
    );
  }
});

test('the path argument names the sampler where the caller nests it (the Nest module: tracing.sampler)', () => {
  const cases: [unknown, string][] = [
    [{ type: 'traceidratio', ratio: 2 }, 'tracing.sampler.ratio'],
    [{ type: 'sometimes' }, 'tracing.sampler.type'],
    [{ rate: 0.1 }, 'tracing.sampler.rate'],
    [{ type: 'ratelimiting' }, 'tracing.sampler.perSecond'],
    [{ type: 'parentbased_always_on', root: { type: 'traceidratio', ratio: -1 } }, 'tracing.sampler.root.ratio'],
    [{ rules: [{ route: '/health', sampler: { type: 'x' } }] }, 'tracing.sampler.rules[0].sampler.type'],
    ['always_on', 'tracing.sampler'],
  ];
  for (const [config, path] of cases) {
    assert.throws(
      () => createSampler(config as never, {}, 'tracing.sampler'),
      (err: unknown) =>
        (err as { code?: string }).code === ErrorCodes.ERR_INVALID_OPTION && (err as Error).message.startsWith(`Invalid option ${path}: got `),
      JSON.stringify(config),
    );
  }
  // Environment values keep naming the variable.
  assert.throws(() => createSampler(undefined, { OTEL_TRACES_SAMPLER: 'nope' }, 'tracing.sampler'), /^TraceContextTypeError: Invalid option OTEL_TRACES_SAMPLER: got "nope"/);
});
