import { now, fromEpochMs, toEpochMs } from './clock.js';
import type { TimeInput } from './span.js';

const ANCHOR_EPOCH_MS = toEpochMs(0);

/**
 * Clock time of a user-supplied time. Numbers below the anchor's epoch ms are taken as
 * `performance.now()` values (what OTel JS's timeInputToHrTime does); anything else that is not
 * a finite number or a valid Date yields the current time rather than a corrupt span.
 */
export function toClockTime(input: TimeInput | undefined): number {
  if (input === undefined) return now();
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return now();
    return input < ANCHOR_EPOCH_MS ? input : fromEpochMs(input);
  }
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isNaN(ms) ? now() : fromEpochMs(ms);
  }
  return now();
}
