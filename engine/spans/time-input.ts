import { now, fromEpochMs } from './clock.js';
import type { TimeInput } from './span.js';

/**
 * Epoch ms of 2001-09-09. A number below it is a `performance.now()` value (31 years of uptime
 * would be needed to reach it), anything above is epoch ms. OTel JS's timeInputToHrTime splits
 * at performance.timeOrigin instead, which misreads `Date.now() - 1000` as uptime in a process
 * younger than a second.
 */
const EPOCH_MS_FLOOR = 1e12;

/**
 * Clock time of a user-supplied time. Anything that is not a finite number or a valid Date
 * yields the current time rather than a corrupt span.
 */
export function toClockTime(input: TimeInput | undefined): number {
  if (input === undefined) return now();
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return now();
    return input < EPOCH_MS_FLOOR ? input : fromEpochMs(input);
  }
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isNaN(ms) ? now() : fromEpochMs(ms);
  }
  return now();
}
