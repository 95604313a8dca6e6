// Options of the tail samplers (`tail`, `parentbased_tail`), checked once at startup. Every bad
// value throws invalidOption naming its path under the sampler config, the value and what is
// allowed; the hot path reads only the resolved, frozen result.

import { invalidOption } from '../errors.js';
import type { MonotonicClock } from './rate-limiting.js';
import { checkRatio } from './trace-id-ratio.js';

/** Milliseconds, or per local-root span name (`'GET /orders/:id'`) with `'*'` for the rest. */
type SlowThreshold = number | Readonly<Record<string, number>>;

export interface TailOptions {
  /** Base ratio: the same traces traceidratio keeps with it are kept whole. Default 0.01. */
  ratio?: number;
  /** Keep a local trace when any of its spans has error status or a recorded exception. Default true. */
  keepErrors?: boolean;
  /** Keep a local trace whose root lasted at least this long; a number or a per-route map. Default 500. */
  keepSlowerThanMs?: SlowThreshold;
  /** Local traces buffered at once; new ones past it are not recorded (counted). Default 2048. */
  maxBufferedTraces?: number;
  /** Spans buffered per local trace; new ones past it are not recorded (counted). Default 512. */
  maxSpansPerTrace?: number;
  /** Error and slow keeps per second (token bucket); past it they are dropped (counted). Default 100. */
  maxKeptPerSecond?: number;
}

export interface ResolvedTailOptions {
  readonly ratio: number;
  readonly keepErrors: boolean;
  /** Threshold for a local root whose name is not in `slowByName` (Infinity: none). */
  readonly slowDefaultMs: number;
  /** Per local-root span name; null when the option was a number. */
  readonly slowByName: ReadonlyMap<string, number> | null;
  readonly maxBufferedTraces: number;
  readonly maxSpansPerTrace: number;
  readonly maxKeptPerSecond: number;
  readonly clock: MonotonicClock | undefined;
}

export const TAIL_KEYS = ['ratio', 'keepErrors', 'keepSlowerThanMs', 'maxBufferedTraces', 'maxSpansPerTrace', 'maxKeptPerSecond'] as const;

function checkMs(path: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity) throw invalidOption(path, value, 'a finite number of milliseconds, 0 or more');
  return value;
}

function checkCount(path: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 1_000_000) {
    throw invalidOption(path, value, `an integer from ${min} to 1000000`);
  }
  return value;
}

function resolveSlow(path: string, value: unknown): { slowDefaultMs: number; slowByName: Map<string, number> | null } {
  if (value === undefined) return { slowDefaultMs: 500, slowByName: null };
  if (typeof value === 'number') return { slowDefaultMs: checkMs(path, value), slowByName: null };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(path, value, "milliseconds, or a map of route to milliseconds such as { 'GET /orders/:id': 200, '*': 500 }");
  }
  const byName = new Map<string, number>();
  let fallback = Infinity;
  for (const [route, ms] of Object.entries(value)) {
    if (route === '') throw invalidOption(`${path}['']`, ms, "a route such as 'GET /orders/:id', or '*' for every other");
    const checked = checkMs(`${path}['${route}']`, ms);
    if (route === '*') fallback = checked;
    else byName.set(route, checked);
  }
  return { slowDefaultMs: fallback, slowByName: byName };
}

/** `config` holds the tail keys (the caller has rejected unknown ones); `path` is the sampler's. */
export function resolveTailOptions(path: string, config: TailOptions, clock: MonotonicClock | undefined): ResolvedTailOptions {
  const ratio = config.ratio === undefined ? 0.01 : checkRatio(`${path}.ratio`, config.ratio);
  const keepErrors = config.keepErrors ?? true;
  if (typeof keepErrors !== 'boolean') throw invalidOption(`${path}.keepErrors`, keepErrors, 'true or false');
  const slow = resolveSlow(`${path}.keepSlowerThanMs`, config.keepSlowerThanMs);
  const perSecond = config.maxKeptPerSecond ?? 100;
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 0) {
    throw invalidOption(`${path}.maxKeptPerSecond`, perSecond, 'a finite number of traces per second, 0 or more');
  }
  if (clock !== undefined && typeof clock !== 'function') throw invalidOption(`${path}.clock`, clock, 'a function returning milliseconds');
  return Object.freeze({
    ratio,
    keepErrors,
    slowDefaultMs: slow.slowDefaultMs,
    slowByName: slow.slowByName,
    maxBufferedTraces: checkCount(`${path}.maxBufferedTraces`, config.maxBufferedTraces, 2048, 1),
    maxSpansPerTrace: checkCount(`${path}.maxSpansPerTrace`, config.maxSpansPerTrace, 512, 1),
    maxKeptPerSecond: perSecond,
    clock,
  });
}
