// Order statistics for the few values a benchmark yields (rounds, runs): the median is robust
// to the one round a neighbour's build disturbed; min–max shows the spread honestly.

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** Half the min–max range: the noise band the gate tolerates around a median. */
export function halfRange(s: Spread): number {
  return s.n < 2 ? 0 : (s.max - s.min) / 2;
}

/**
 * The median the gate judges: with an odd count the middle value; with an even count the one of
 * the two middle values on the failing side of the budget (`worse` 'low' for a minimum, 'high'
 * for a maximum), so a verdict never rests on an average of two runs that neither measured.
 */
export function gateMedian(values: readonly number[], worse: 'low' | 'high'): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  if (finite.length % 2 === 1) return finite[mid]!;
  return worse === 'low' ? finite[mid - 1]! : finite[mid]!;
}
