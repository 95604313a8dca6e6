// Configuration -> one Propagator, resolved once at startup. Unknown names and malformed
// options throw invalidOption (ERR_INVALID_OPTION) naming the option and the allowed values;
// nothing is checked per request.

import { storeBaggage } from '../baggage/active-baggage.js';
import { combineBaggageCodecs, jaegerBaggageCodec, w3cBaggageCodec, type BaggageCodec } from '../baggage/baggage-propagation.js';
import { currentStore } from '../context/request-context.js';
import { invalidOption } from '../errors.js';
import { b3MultiPropagator, b3SinglePropagator } from './b3.js';
import { createCompositePropagator, noopPropagator } from './composite.js';
import { createCustomPropagator } from './custom.js';
import type { CustomHeaderNames } from './custom.js';
import { datadogPropagator } from './datadog.js';
import { jaegerPropagator } from './jaeger.js';
import { newRelicPropagator } from './newrelic.js';
import type { PropagationFormat, Propagator } from './propagator.js';
import type { TraceContext } from './trace-context.js';
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
 * others spell them). `baggage` is W3C Baggage: not a trace context of its own, it rides
 * beside the trace formats (OTel's default is `tracecontext,baggage`).
 */
const NAMES: Readonly<Record<string, PropagationFormat | 'none'>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, PropagationFormat | 'none'>, {
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
    baggage: 'baggage',
  }),
);

const ALLOWED = `one of ${Object.keys(NAMES).map((n) => `"${n}"`).join(', ')}`;

/**
 * The canonical format for a config or OTEL_PROPAGATORS name (`zipkin` -> `b3multi`,
 * `tracecontext` -> `w3c`) or `'none'`. Throws invalidOption for anything else, naming
 * `optionPath`.
 */
export function resolvePropagationFormat(name: unknown, optionPath: string): PropagationFormat | 'none' {
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
    else if (!out.includes(format)) out.push(format);
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

function propagatorFor(format: Exclude<PropagationFormat, 'baggage'>, custom: () => Propagator): Propagator {
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
  const traceFormats = (list: PropagationFormat[]) => list.filter((f): f is Exclude<PropagationFormat, 'baggage'> => f !== 'baggage');
  const extractTrace = traceFormats(extract);
  const injectTrace = traceFormats(inject);
  const trace =
    extractTrace.length === 0 && injectTrace.length === 0
      ? noopPropagator
      : createCompositePropagator(
          extractTrace.map((f) => propagatorFor(f, custom)),
          injectTrace.map((f) => propagatorFor(f, custom)),
        );
  return withBaggage(trace, baggageCodec(extract), baggageCodec(inject));
}

/** The baggage formats among `formats` (W3C `baggage`, and Jaeger's `uberctx-*` with `jaeger`), or null. */
function baggageCodec(formats: readonly PropagationFormat[]): BaggageCodec | null {
  const codecs: BaggageCodec[] = [];
  for (const f of formats) {
    if (f === 'baggage') codecs.push(w3cBaggageCodec);
    else if (f === 'jaeger') codecs.push(jaegerBaggageCodec);
  }
  return codecs.length === 0 ? null : combineBaggageCodecs(codecs);
}

/**
 * `trace` with baggage beside it: `extractBaggage` reads it, `inject` also writes the active
 * context's baggage (every inject site runs in the context whose call it propagates: outbound
 * HTTP, message dispatch, captureTraceContext). Without baggage formats, `trace` itself.
 */
function withBaggage(trace: Propagator, reader: BaggageCodec | null, writer: BaggageCodec | null): Propagator {
  if (reader === null && writer === null) return trace;
  const fields = new Set(trace.fields);
  if (reader !== null) for (const f of reader.fields) fields.add(f);
  if (writer !== null) for (const f of writer.fields) fields.add(f);
  const injectTrace = trace.inject;
  const inject =
    writer === null
      ? injectTrace
      : (ctx: TraceContext, headers: Record<string, string>): void => {
          injectTrace(ctx, headers);
          const store = currentStore();
          const baggage = store === undefined ? null : storeBaggage(store);
          if (baggage !== null && baggage.size > 0) writer.inject(baggage, headers);
        };
  return Object.freeze({
    extract: trace.extract,
    inject,
    fields: Object.freeze([...fields]),
    extractBaggage: reader === null ? undefined : reader.extract,
  });
}

/**
 * The propagator for an `OTEL_PROPAGATORS` value (comma-separated, case-insensitive, spaces
 * ignored, duplicates removed). Unset or empty means OpenTelemetry's default
 * `tracecontext,baggage`. The same formats are used to extract and inject.
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
