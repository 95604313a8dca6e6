// Sampler configuration: a config object and/or the standard OpenTelemetry environment
// variables, resolved once at startup into a Sampler. Where both give a value the config wins
// (the env var is then not even read), so a deployment can set a default that code overrides.
// Every bad value throws invalidOption naming the option path, the value and what is allowed.

import { invalidOption } from '../errors.js';
import { SpanKind } from '../spans/span-data.js';
import { AlwaysOffSampler } from './always-off.js';
import { AlwaysOnSampler } from './always-on.js';
import { ConsistentProbabilitySampler } from './consistent-probability.js';
import { ParentBasedSampler } from './parent-based.js';
import { RateLimitingSampler, type MonotonicClock } from './rate-limiting.js';
import { RuleBasedSampler, type CompiledRule } from './rule-based.js';
import type { Sampler } from './sampler.js';
import { TAIL_KEYS, resolveTailOptions, type TailOptions } from './tail-options.js';
import { TailSampler } from './tail-sampler.js';
import { TraceIdRatioBasedSampler, checkRatio } from './trace-id-ratio.js';

export const SAMPLER_TYPES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'ratelimiting',
  'tail',
  'parentbased_tail',
] as const;
export type SamplerType = (typeof SAMPLER_TYPES)[number];

const KIND_NAMES = { internal: 0, server: 1, client: 2, producer: 3, consumer: 4 } as const;
type KindName = keyof typeof KIND_NAMES;

export interface SamplingRule {
  /** Span name: exact, or a prefix when it ends with `*`. */
  name?: string;
  /**
   * The route template: the `http.route` start attribute, else the route in a `{METHOD} {route}`
   * span name. Exact, or a prefix when it ends with `*`.
   */
  route?: string;
  kind?: SpanKind | KindName;
  /** Start attributes that must equal these primitive values. */
  attributes?: Record<string, string | number | boolean>;
  /** The sampler used when this rule matches. */
  sampler: SamplerConfig;
}

export interface SamplerConfig extends Omit<TailOptions, 'ratio'> {
  /** Default: OTEL_TRACES_SAMPLER, else 'parentbased_always_on' (OpenTelemetry's default). */
  type?: SamplerType;
  /**
   * For *traceidratio: fraction of traces kept, 0..1. Default: OTEL_TRACES_SAMPLER_ARG, else 1.
   * For *tail: the base ratio kept whole (same traces as traceidratio). Default: OTEL_TRACES_SAMPLER_ARG, else 0.01.
   */
  ratio?: number;
  /**
   * For *traceidratio: use consistent probability sampling (decide on the trace id's random
   * low 56 bits or `ot=rv:`, write `ot=th:` to tracestate) instead of OpenTelemetry JS's
   * TraceIdRatioBased decision. Default false.
   */
  consistent?: boolean;
  /** For ratelimiting: new traces per second. Default: OTEL_TRACES_SAMPLER_ARG; required. */
  perSecond?: number;
  /** First match wins; no match uses the sampler described by the rest of this config. */
  rules?: SamplingRule[];
  /** For parentbased_*: the root sampler, replacing the one the type names. */
  root?: SamplerConfig;
  remoteParentSampled?: SamplerConfig;
  remoteParentNotSampled?: SamplerConfig;
  localParentSampled?: SamplerConfig;
  localParentNotSampled?: SamplerConfig;
  /** Clock for ratelimiting and the tail samplers' maxKeptPerSecond (ms, monotonic). For tests; default performance.now. */
  clock?: MonotonicClock;
}

const CONFIG_KEYS = new Set([
  'type',
  'ratio',
  'perSecond',
  'consistent',
  'rules',
  'root',
  'remoteParentSampled',
  'remoteParentNotSampled',
  'localParentSampled',
  'localParentNotSampled',
  'clock',
  ...TAIL_KEYS,
]);
const TAIL_ONLY: readonly string[] = TAIL_KEYS.filter((k) => k !== 'ratio');
const RULE_KEYS = new Set(['name', 'route', 'kind', 'attributes', 'sampler']);
const DELEGATES = ['remoteParentSampled', 'remoteParentNotSampled', 'localParentSampled', 'localParentNotSampled'] as const;
const TYPE_LIST = SAMPLER_TYPES.map((t) => `"${t}"`).join(', ');

function isSamplerType(value: unknown): value is SamplerType {
  return typeof value === 'string' && (SAMPLER_TYPES as readonly string[]).includes(value);
}

function checkKeys(path: string, value: object, allowed: Set<string>): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) throw invalidOption(`${path}.${key}`, (value as Record<string, unknown>)[key], `no such option (known: ${[...allowed].join(', ')})`);
  }
}

/** Where a numeric argument comes from when the config leaves it out. */
interface EnvArg {
  readonly raw: string | undefined;
}

function envNumber(arg: EnvArg): number | undefined {
  if (arg.raw === undefined || arg.raw.trim() === '') return undefined;
  const n = Number(arg.raw);
  if (Number.isNaN(n)) throw invalidOption('OTEL_TRACES_SAMPLER_ARG', arg.raw, 'a number');
  return n;
}

function ratioSampler(path: string, config: SamplerConfig, arg: EnvArg): Sampler {
  const consistent = config.consistent ?? false;
  if (typeof consistent !== 'boolean') throw invalidOption(`${path}.consistent`, consistent, 'true or false');
  const Ratio = consistent ? ConsistentProbabilitySampler : TraceIdRatioBasedSampler;
  if (config.ratio !== undefined) return new Ratio(config.ratio, `${path}.ratio`);
  const fromEnv = envNumber(arg);
  if (fromEnv !== undefined) return new Ratio(fromEnv, 'OTEL_TRACES_SAMPLER_ARG');
  return new Ratio(1, `${path}.ratio`);
}

function rateSampler(path: string, config: SamplerConfig, arg: EnvArg): Sampler {
  const clock = config.clock;
  if (clock !== undefined && typeof clock !== 'function') throw invalidOption(`${path}.clock`, clock, 'a function returning milliseconds');
  if (config.perSecond !== undefined) return new RateLimitingSampler(config.perSecond, clock, `${path}.perSecond`);
  const fromEnv = envNumber(arg);
  if (fromEnv !== undefined) return new RateLimitingSampler(fromEnv, clock, 'OTEL_TRACES_SAMPLER_ARG');
  throw invalidOption(`${path}.perSecond`, undefined, 'a number of traces per second (required for "ratelimiting")');
}

function tailSampler(path: string, config: SamplerConfig, arg: EnvArg, parentBased: boolean, nested: boolean): Sampler {
  // The tracer puts the tail processor in front of its pipeline only for its own sampler.
  if (nested) throw invalidOption(`${path}.type`, config.type, 'a sampler other than "tail" or "parentbased_tail": those apply only as the top-level sampler');
  for (const key of ['rules', 'root', 'perSecond', 'consistent', ...DELEGATES] as const) {
    if (config[key] !== undefined) throw invalidOption(`${path}.${key}`, config[key], `nothing: it does not apply to type "${config.type ?? 'tail'}"`);
  }
  let ratio = config.ratio;
  if (ratio === undefined) {
    const fromEnv = envNumber(arg);
    if (fromEnv !== undefined) ratio = checkRatio('OTEL_TRACES_SAMPLER_ARG', fromEnv);
  }
  return new TailSampler(resolveTailOptions(path, { ...config, ratio }, config.clock), parentBased);
}

function compileRule(path: string, rule: SamplingRule, arg: EnvArg): CompiledRule {
  if (typeof rule !== 'object' || rule === null) throw invalidOption(path, rule, 'a rule object { name?, route?, kind?, attributes?, sampler }');
  checkKeys(path, rule, RULE_KEYS);
  const pattern = (key: 'name' | 'route'): [string | null, boolean] => {
    const v = rule[key];
    if (v === undefined) return [null, false];
    if (typeof v !== 'string' || v === '') throw invalidOption(`${path}.${key}`, v, 'a non-empty string (exact, or a prefix ending in "*")');
    return v.endsWith('*') ? [v.slice(0, -1), true] : [v, false];
  };
  const [name, namePrefix] = pattern('name');
  const [route, routePrefix] = pattern('route');
  let kind: SpanKind | -1 = -1;
  if (rule.kind !== undefined) {
    const k = typeof rule.kind === 'string' ? KIND_NAMES[rule.kind as KindName] : rule.kind;
    if (k === undefined || !Object.values(SpanKind).includes(k)) {
      throw invalidOption(`${path}.kind`, rule.kind, '"internal", "server", "client", "producer", "consumer" or a SpanKind number');
    }
    kind = k;
  }
  const attributeKeys: string[] = [];
  const attributeValues: (string | number | boolean)[] = [];
  if (rule.attributes !== undefined) {
    if (typeof rule.attributes !== 'object' || rule.attributes === null) {
      throw invalidOption(`${path}.attributes`, rule.attributes, 'an object of attribute names to string, number or boolean values');
    }
    for (const [key, value] of Object.entries(rule.attributes)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalidOption(`${path}.attributes.${key}`, value, 'a string, number or boolean');
      }
      attributeKeys.push(key);
      attributeValues.push(value);
    }
  }
  if (rule.sampler === undefined) throw invalidOption(`${path}.sampler`, undefined, 'a sampler config, e.g. { type: "always_off" }');
  const sampler = build(`${path}.sampler`, rule.sampler, undefined, arg, true);
  return { name, namePrefix, route, routePrefix, kind, attributeKeys, attributeValues, sampler };
}

/** `nested`: a rule's, root's or delegate's sampler rather than the tracer's own. */
function build(path: string, config: SamplerConfig, envType: string | undefined, arg: EnvArg, nested = false): Sampler {
  if (typeof config !== 'object' || config === null) throw invalidOption(path, config, `a sampler config object { type: ${TYPE_LIST}, ... }`);
  checkKeys(path, config, CONFIG_KEYS);
  let type: SamplerType;
  if (config.type !== undefined) {
    if (!isSamplerType(config.type)) throw invalidOption(`${path}.type`, config.type, `one of ${TYPE_LIST}`);
    type = config.type;
  } else if (envType !== undefined) {
    if (!isSamplerType(envType)) throw invalidOption('OTEL_TRACES_SAMPLER', envType, `one of ${TYPE_LIST}`);
    type = envType;
  } else type = 'parentbased_always_on';
  if (config.consistent !== undefined && !type.endsWith('traceidratio')) {
    throw invalidOption(`${path}.consistent`, config.consistent, `nothing: it applies only to *traceidratio types, and type is "${type}"`);
  }
  // The env ARG belongs to the env sampler: ignore it when the config picked another type.
  if (envType !== undefined && envType !== type) arg = { raw: undefined };
  if (type === 'tail' || type === 'parentbased_tail') return tailSampler(path, config, arg, type === 'parentbased_tail', nested);
  for (const key of TAIL_ONLY) {
    if (config[key as keyof SamplerConfig] !== undefined) {
      throw invalidOption(`${path}.${key}`, config[key as keyof SamplerConfig], `nothing: it applies only to "tail" and "parentbased_tail", and type is "${type}"`);
    }
  }

  let base: Sampler;
  if (type.startsWith('parentbased_')) {
    let root: Sampler;
    if (config.root !== undefined) root = build(`${path}.root`, config.root, undefined, { raw: undefined }, true);
    else if (type === 'parentbased_always_on') root = new AlwaysOnSampler();
    else if (type === 'parentbased_always_off') root = new AlwaysOffSampler();
    else root = ratioSampler(path, config, arg);
    const delegates: { -readonly [K in (typeof DELEGATES)[number]]?: Sampler } = {};
    for (const d of DELEGATES) {
      const c = config[d];
      if (c !== undefined) delegates[d] = build(`${path}.${d}`, c, undefined, { raw: undefined }, true);
    }
    base = new ParentBasedSampler({ root, ...delegates });
  } else {
    for (const d of ['root', ...DELEGATES] as const) {
      if (config[d] !== undefined) throw invalidOption(`${path}.${d}`, config[d], `nothing: it applies only to parentbased_* types, and type is "${type}"`);
    }
    if (type === 'always_on') base = new AlwaysOnSampler();
    else if (type === 'always_off') base = new AlwaysOffSampler();
    else if (type === 'traceidratio') base = ratioSampler(path, config, arg);
    else base = rateSampler(path, config, arg);
  }

  if (config.rules === undefined) return base;
  if (!Array.isArray(config.rules)) throw invalidOption(`${path}.rules`, config.rules, 'an array of rules');
  if (config.rules.length === 0) return base;
  const rules = config.rules.map((rule, i) => compileRule(`${path}.rules[${i}]`, rule, { raw: undefined }));
  return new RuleBasedSampler(rules, base);
}

/**
 * The sampler for a config and the environment. `config` undefined means "environment only".
 * Reads OTEL_TRACES_SAMPLER for the type when config has none, and OTEL_TRACES_SAMPLER_ARG for
 * the top-level ratio/perSecond when config has none. Throws invalidOption on any bad value,
 * naming it under `path`: where the config sits in the caller's options (the Nest module
 * passes 'tracing.sampler', so errors read `tracing.sampler.ratio`).
 */
export function createSampler(config: SamplerConfig | undefined, env: NodeJS.ProcessEnv = process.env, path = 'sampler'): Sampler {
  const envType = env.OTEL_TRACES_SAMPLER;
  const typeFromEnv = envType === undefined || envType.trim() === '' ? undefined : envType.trim().toLowerCase();
  return build(path, config ?? {}, typeFromEnv, { raw: env.OTEL_TRACES_SAMPLER_ARG });
}
