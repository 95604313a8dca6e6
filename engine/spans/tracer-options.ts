// Tracer options, validated once into a frozen resolved object (fastify's habit: options are
// checked at startup, the hot path never branches on a raw option).

import { resolveBaggageKeys } from '../baggage/baggage-attributes.js';
import { invalidOption } from '../errors.js';
import { createSampler, type SamplerConfig } from '../sampling/sampler-config.js';
import type { Sampler } from '../sampling/sampler.js';
import { resolveSpanLimits, type ResolvedSpanLimits, type SpanLimits } from './span-limits.js';
import type { SpanEndHook, SpanProcessor } from './span-processor.js';

export interface TracerOptions {
  /** false: spans are non-recording carriers of the active ids; nothing is sampled. Default true. */
  enabled?: boolean;
  /** A Sampler, or a config for createSampler. Default: from OTEL_TRACES_SAMPLER(_ARG), else parentbased_always_on. */
  sampler?: Sampler | SamplerConfig;
  /** Gets every ended recording span (and must release it). None: records are released at end. */
  processor?: SpanProcessor | null;
  /** Records preallocated. Default 256. */
  poolSize?: number;
  /** Most records the pool keeps; past it spans still record, on counted extra allocations. Default 4096. */
  maxPoolSize?: number;
  limits?: SpanLimits;
  /** Instrumentation scope name on exported spans. Default 'nestjs-trace-context'. */
  scopeName?: string;
  /** Warn (once) when a stale span handle is used. Default false. */
  debug?: boolean;
  /** Told about every ended SERVER/CLIENT/CONSUMER span, sampled or not (for request metrics). */
  onSpanEnd?: SpanEndHook | null;
  /** Environment read for the sampler. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Baggage keys copied onto every recording span started in a context that carries them. Default none. */
  baggageAttributes?: readonly string[];
}

interface ResolvedTracerOptions {
  readonly enabled: boolean;
  readonly sampler: Sampler;
  readonly processor: SpanProcessor | null;
  readonly poolSize: number;
  readonly maxPoolSize: number;
  readonly limits: ResolvedSpanLimits;
  readonly scopeName: string;
  readonly debug: boolean;
  readonly onSpanEnd: SpanEndHook | null;
  readonly baggageAttributes: readonly string[] | null;
}

const KEYS = new Set(['enabled', 'sampler', 'processor', 'poolSize', 'maxPoolSize', 'limits', 'scopeName', 'debug', 'onSpanEnd', 'env', 'baggageAttributes']);

function isSampler(value: unknown): value is Sampler {
  return typeof value === 'object' && value !== null && typeof (value as Sampler).shouldSample === 'function';
}

function checkCount(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw invalidOption(path, value, 'an integer from 0 to 1000000');
  }
  return value;
}

function checkBoolean(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(path, value, 'true or false');
  return value;
}

export function resolveTracerOptions(options: TracerOptions | undefined, path = 'tracer'): ResolvedTracerOptions {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw invalidOption(path, o, 'an options object');
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key)) throw invalidOption(`${path}.${key}`, (o as Record<string, unknown>)[key], `no such option (known: ${[...KEYS].join(', ')})`);
  }
  const processor = o.processor ?? null;
  if (processor !== null && (typeof processor !== 'object' || typeof processor.onEnd !== 'function')) {
    throw invalidOption(`${path}.processor`, processor, 'a SpanProcessor ({ onEnd, forceFlush, shutdown })');
  }
  const onSpanEnd = o.onSpanEnd ?? null;
  if (onSpanEnd !== null && typeof onSpanEnd !== 'function') {
    throw invalidOption(`${path}.onSpanEnd`, onSpanEnd, 'a function (name, kind, statusCode, durationMs) => void');
  }
  const poolSize = checkCount(`${path}.poolSize`, o.poolSize, 256);
  const maxPoolSize = checkCount(`${path}.maxPoolSize`, o.maxPoolSize, Math.max(4096, poolSize));
  if (maxPoolSize < poolSize) throw invalidOption(`${path}.maxPoolSize`, maxPoolSize, `an integer >= poolSize (${poolSize})`);
  const scopeName = o.scopeName ?? 'nestjs-trace-context';
  if (typeof scopeName !== 'string' || scopeName === '') throw invalidOption(`${path}.scopeName`, scopeName, 'a non-empty string');
  const env = o.env ?? process.env;
  return Object.freeze({
    enabled: checkBoolean(`${path}.enabled`, o.enabled, true),
    sampler: isSampler(o.sampler) ? o.sampler : createSampler(o.sampler, env),
    processor,
    poolSize,
    maxPoolSize,
    limits: resolveSpanLimits(o.limits, `${path}.limits`, env),
    scopeName,
    debug: checkBoolean(`${path}.debug`, o.debug, false),
    onSpanEnd,
    baggageAttributes: resolveBaggageKeys(o.baggageAttributes, `${path}.baggageAttributes`),
  });
}
