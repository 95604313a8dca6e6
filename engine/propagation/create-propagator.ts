// Configuration -> one Propagator, resolved once at startup. Unknown names and malformed
// options throw invalidOption (ERR_INVALID_OPTION) naming the option and the allowed values;
// nothing is checked per request.

import { invalidOption } from '../errors.js';
import { b3MultiPropagator, b3SinglePropagator } from './b3.js';
import { createCompositePropagator, noopPropagator } from './composite.js';
import { createCustomPropagator } from './custom.js';
import type { CustomHeaderNames } from './custom.js';
import { datadogPropagator } from './datadog.js';
import { jaegerPropagator } from './jaeger.js';
import { newRelicPropagator } from './newrelic.js';
import type { PropagationFormat, Propagator } from './propagator.js';
import { w3cPropagator } from './w3c.js';

export interface PropagatorOptions {
  /** Formats read from incoming headers, in order; the first valid context wins. Default: `inject`, else `['w3c']`. */
  readonly extract?: readonly string[];
  /** Formats written on outgoing headers, all of them. Default: `extract`, else `['w3c']`. */
  readonly inject?: readonly string[];
  /** Header names of the `custom` format; required when `custom` is listed. */
  readonly headers?: CustomHeaderNames;
}

/**
 * Every accepted name and what it resolves to: our config names, plus the OTEL_PROPAGATORS
 * names (`tracecontext`, `b3`, `b3multi`, `jaeger`, `none`; `datadog`/`newrelic` as dd-trace and
 * others spell them). `baggage` resolves to null: W3C baggage is not part of the trace
 * context, so it is accepted (it is in OTel's default `tracecontext,baggage`) and ignored.
 */
const NAMES: Readonly<Record<string, PropagationFormat | 'none' | null>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, PropagationFormat | 'none' | null>, {
    w3c: 'w3c',
    tracecontext: 'w3c',
    b3: 'b3',
    b3multi: 'b3multi',
    zipkin: 'b3multi',
    jaeger: 'jaeger',
    datadog: 'datadog',
    newrelic: 'newrelic',
    custom: 'custom',
    none: 'none',
    baggage: null,
  }),
);

const ALLOWED = `one of ${Object.keys(NAMES).map((n) => `"${n}"`).join(', ')}`;

/**
 * The canonical format for a config or OTEL_PROPAGATORS name (`zipkin` -> `b3multi`,
 * `tracecontext` -> `w3c`), `'none'`, or null for the ignored `baggage`. Throws invalidOption
 * for anything else, naming `optionPath`.
 */
export function resolvePropagationFormat(name: unknown, optionPath: string): PropagationFormat | 'none' | null {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(NAMES, name)) {
    throw invalidOption(optionPath, name, ALLOWED);
  }
  return NAMES[name]!;
}

/** Canonical formats of a list, deduplicated in order; `none` only alone. */
export function resolvePropagationFormats(names: unknown, optionPath: string): PropagationFormat[] {
  if (!Array.isArray(names)) throw invalidOption(optionPath, names, `an array of format names, each ${ALLOWED}`);
  const out: PropagationFormat[] = [];
  let none = false;
  for (let i = 0; i < names.length; i++) {
    const format = resolvePropagationFormat(names[i], `${optionPath}[${i}]`);
    if (format === 'none') none = true;
    else if (format !== null && !out.includes(format)) out.push(format);
  }
  if (none && out.length > 0) throw invalidOption(optionPath, names, '"none" alone, or format names without "none"');
  return out;
}

/** A valid header name (RFC 9110 token), lower-cased. */
function headerName(value: unknown, optionPath: string): string {
  if (typeof value !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/.test(value)) {
    throw invalidOption(optionPath, value, 'a header name (letters, digits and !#$%&\'*+-.^_`|~)');
  }
  return value.toLowerCase();
}

function propagatorFor(format: PropagationFormat, custom: () => Propagator): Propagator {
  switch (format) {
    case 'w3c':
      return w3cPropagator;
    case 'b3':
      return b3SinglePropagator;
    case 'b3multi':
    case 'zipkin':
      return b3MultiPropagator;
    case 'jaeger':
      return jaegerPropagator;
    case 'datadog':
      return datadogPropagator;
    case 'newrelic':
      return newRelicPropagator;
    case 'custom':
      return custom();
  }
}

/**
 * One propagator for the configured formats. A single format on both sides is returned as
 * the format's own frozen propagator (no composite on the hot path).
 */
export function createPropagator(options: PropagatorOptions = {}, optionPath = 'propagation'): Propagator {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(optionPath, options, 'an object { extract?, inject?, headers? }');
  }
  const extractNames = options.extract ?? options.inject ?? ['w3c'];
  const injectNames = options.inject ?? options.extract ?? ['w3c'];
  const extract = resolvePropagationFormats(extractNames, `${optionPath}.${options.extract ? 'extract' : 'inject'}`);
  const inject = resolvePropagationFormats(injectNames, `${optionPath}.${options.inject ? 'inject' : 'extract'}`);
  let customPropagator: Propagator | null = null;
  const custom = (): Propagator => {
    if (customPropagator !== null) return customPropagator;
    const h: unknown = options.headers;
    if (typeof h !== 'object' || h === null) {
      throw invalidOption(`${optionPath}.headers`, h, "{ traceId: 'x-trace-id', spanId: 'x-span-id' } (the \"custom\" format needs header names)");
    }
    const names = h as Partial<CustomHeaderNames>;
    const traceId = headerName(names.traceId, `${optionPath}.headers.traceId`);
    const spanId = headerName(names.spanId, `${optionPath}.headers.spanId`);
    if (traceId === spanId) throw invalidOption(`${optionPath}.headers.spanId`, names.spanId, 'a header name different from headers.traceId');
    customPropagator = createCustomPropagator({ traceId, spanId });
    return customPropagator;
  };
  if (extract.length === 0 && inject.length === 0) return noopPropagator;
  return createCompositePropagator(
    extract.map((f) => propagatorFor(f, custom)),
    inject.map((f) => propagatorFor(f, custom)),
  );
}

/**
 * The propagator for an `OTEL_PROPAGATORS` value (comma-separated, case-insensitive, spaces
 * ignored, duplicates removed). Unset or empty means OpenTelemetry's default
 * `tracecontext,baggage`, i.e. W3C. The same formats are used to extract and inject.
 */
export function propagatorFromEnv(value: string | undefined = process.env.OTEL_PROPAGATORS, optionPath = 'OTEL_PROPAGATORS'): Propagator {
  const names = parsePropagatorsEnv(value);
  resolvePropagationFormats(names, optionPath); // errors name the variable, not an inner option
  return createPropagator({ extract: names, inject: names }, optionPath);
}

/** The names listed in an `OTEL_PROPAGATORS` value, trimmed and lower-cased; the default when unset or blank. */
export function parsePropagatorsEnv(value: string | undefined): string[] {
  const names: string[] = [];
  if (typeof value === 'string') {
    for (const part of value.split(',')) {
      const name = part.trim().toLowerCase();
      if (name !== '' && !names.includes(name)) names.push(name);
    }
  }
  return names.length === 0 ? ['tracecontext', 'baggage'] : names;
}
