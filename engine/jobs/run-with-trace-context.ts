// Runs a job (or any unit of work handed across an async boundary) in the trace its producer
// captured with `captureTraceContext()`.

import { attachBaggage } from '../baggage/active-baggage.js';
import { createStore, runWithStore } from '../context/index.js';
import { invalidArgument } from '../errors.js';
import { SpanKind, type Attributes } from '../spans/span-data.js';
import { carrierTracing, type CarrierSpan } from './carrier-tracing.js';
import { failSpan, startMessageSpan } from './message-span.js';
import { extractHeaders, extractHeadersBaggage, readCarrier } from './trace-carrier.js';

export interface RunWithTraceContextOptions {
  /**
   * `false` (default): the job's span is a child of the carrier's context, in the producer's
   * trace. `true`: a new trace whose root links to the carrier, the right choice for fan-out,
   * batches and repeating jobs (one producer trace does not collect every run).
   */
  readonly link?: boolean;
  /** Span kind; default consumer (OpenTelemetry messaging: "process" operations). */
  readonly kind?: SpanKind;
  /** Attributes of the job's span, e.g. `messaging.system`, `messaging.message.id`. */
  readonly attributes?: Attributes;
  /** Request id of the job's context (`context.getRequestId()` inside); e.g. the job id. */
  readonly requestId?: string;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function finish<R>(span: CarrierSpan, fn: () => R): R {
  let result: R;
  try {
    result = fn();
  } catch (error) {
    failSpan(span, error);
    span.end();
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failSpan(span, error);
      span.end();
      throw error;
    },
  ) as R;
}

/**
 * Runs `fn` in a fresh context whose active span is a new span named `name` (kind consumer):
 * the child of the context in `carrier`, or with `{ link: true }` a new root linked to it.
 * A missing, empty or invalid carrier never throws: the job gets a new trace. The span ends
 * when `fn` returns or its promise settles; a throw or rejection is recorded on it (exception
 * event, error status) and passed on unchanged. Returns what `fn` returns.
 */
export function runWithTraceContext<R>(
  carrier: unknown,
  name: string,
  fn: () => R,
  options: RunWithTraceContextOptions = {},
): R {
  if (typeof name !== 'string' || name.length === 0) throw invalidArgument('name', name, 'a non-empty span name');
  if (typeof fn !== 'function') throw invalidArgument('fn', fn, 'a function to run');
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', options, 'an object { link?, kind?, attributes?, requestId? }');
  const requestId = options.requestId ?? '';
  if (typeof requestId !== 'string') throw invalidArgument('options.requestId', requestId, 'a string');
  const tracing = carrierTracing();
  const tracer = tracing.tracer;
  const headers = readCarrier(carrier, tracing.propagator.fields);
  const span = startMessageSpan(
    tracer,
    extractHeaders(tracing.propagator, headers),
    name,
    options.kind ?? SpanKind.CONSUMER,
    options.link === true,
    options.attributes,
  );
  const store = createStore(requestId, span, null);
  const baggage = extractHeadersBaggage(tracing.propagator, headers);
  if (baggage !== null) attachBaggage(store, baggage);
  // Checked inline, not through a helper with rest arguments: native mode stays one call.
  return (tracer.enterStore === undefined ? runWithStore(store, finish, span, fn) : tracer.enterStore(store, finish, span, fn)) as R;
}
