// Options of the RED aggregator, validated once at construction into a frozen resolved object
// (bad options fail at startup, never on the request path).

import { invalidOption } from '../errors.js';

/**
 * OpenTelemetry's default explicit-bucket boundaries (SDK spec, "Explicit Bucket Histogram
 * Aggregation"), in milliseconds here because durations are recorded in ms.
 */
export const DEFAULT_BOUNDARIES_MS: readonly number[] = Object.freeze([
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
]);

/** OpenTelemetry SDK spec, "Cardinality limits": the default limit is 2000; the issue asks for 1000. */
export const DEFAULT_MAX_SERIES = 1000;

export interface RedMetricsOptions {
  /** `service_name` label and OTLP `service.name` resource attribute. Required, non-empty. */
  readonly serviceName: string;
  /** Histogram upper bounds in ms, strictly increasing, finite. Default `DEFAULT_BOUNDARIES_MS`. */
  readonly boundaries?: readonly number[];
  /** Distinct series kept before records overflow into the one `other` series. Default 1000. */
  readonly maxSeries?: number;
}

export interface ResolvedRedMetricsOptions {
  readonly serviceName: string;
  readonly boundaries: Float64Array;
  readonly maxSeries: number;
}

const MAX_BOUNDARIES = 1000;

export function resolveRedMetricsOptions(options: RedMetricsOptions, path = 'metrics'): ResolvedRedMetricsOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(path, options, 'an object with at least serviceName');
  }
  const { serviceName, boundaries = DEFAULT_BOUNDARIES_MS, maxSeries = DEFAULT_MAX_SERIES } = options;
  if (typeof serviceName !== 'string' || serviceName.length === 0) {
    throw invalidOption(`${path}.serviceName`, serviceName, 'a non-empty string');
  }
  if (!Array.isArray(boundaries) || boundaries.length > MAX_BOUNDARIES) {
    throw invalidOption(`${path}.boundaries`, boundaries, `an array of at most ${MAX_BOUNDARIES} increasing finite numbers (ms)`);
  }
  for (let i = 0; i < boundaries.length; i++) {
    const b: unknown = boundaries[i];
    if (typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1]!)) {
      throw invalidOption(`${path}.boundaries`, boundaries, 'strictly increasing finite numbers (ms), e.g. [0, 5, 10, 25, 50, 100]');
    }
  }
  if (!Number.isSafeInteger(maxSeries) || maxSeries < 1) {
    throw invalidOption(`${path}.maxSeries`, maxSeries, 'a positive integer');
  }
  return Object.freeze({ serviceName, boundaries: Float64Array.from(boundaries), maxSeries });
}
