// The trace context value: the ids and flags that cross process boundaries.
// Fixed shape; the constructor trusts its ids and flags (parsers and id generators have already
// validated them) but not the tracestate, which it validates on first read (a raw header may be
// passed in as is). `TraceContext.from()` is the validating entry point for user input.

import { invalidArgument } from '../errors.js';
import { checkLowerHex } from '../ids/hex.js';
import { generateSpanId, generateTraceId } from '../ids/trace-ids.js';
import {
  formatB3,
  formatJaeger,
  formatTraceparent,
  writeB3Multi,
  writeB3Single,
  writeDatadog,
  writeJaeger,
  writeW3C,
} from './emit.js';
import { getTraceStateValue, normalizeTraceState, parseTraceState } from './tracestate.js';

/** W3C trace-flags bit 0: the caller may have recorded this trace. */
export const FLAG_SAMPLED = 0x01;
/** W3C Level 2 trace-flags bit 1: the trace id's rightmost 7 bytes are random. */
export const FLAG_RANDOM = 0x02;
/** Flags kept end to end; others are zeroed on output (W3C Level 2 §3.2.2.5). */
export const KNOWN_FLAGS_MASK = FLAG_SAMPLED | FLAG_RANDOM;

export class TraceContext {
  // `declare`: no field definition is emitted, so the constructor's assignment is a plain set.
  // A plain TraceContext gets the same own data properties; a sampled span (engine/spans/
  // recording-span.ts) intercepts the set with accessors and builds the hex only when read
  // (traceId, spanId), or answers a constant (isRemote, traceStateChecked).
  /** 32 lowercase hex digits, not all zero. */
  declare readonly traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  declare readonly spanId: string;
  /** The parent's span id, when known. */
  readonly parentSpanId: string | undefined;
  /** Trace flags byte (only bits 0x01 and 0x02 are ever emitted). */
  readonly traceFlags: number;
  /** True when this context was extracted from an incoming carrier. */
  declare readonly isRemote: boolean;
  /**
   * The tracestate as given (for an extracted context: the raw header), validated on first
   * read of `traceState`. Most requests never forward or read it, so extraction does not pay
   * for it; nothing invalid can come out, since every reader goes through the getter.
   */
  private traceStateValue: string | undefined;
  declare private traceStateChecked: boolean;

  constructor(
    traceId: string,
    spanId: string,
    traceFlags: number,
    traceState: string | undefined,
    isRemote: boolean,
    parentSpanId: string | undefined,
  ) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.traceFlags = traceFlags;
    this.traceStateValue = traceState;
    this.traceStateChecked = traceState === undefined;
    this.isRemote = isRemote;
  }

  /**
   * The `tracestate` value to propagate: the received one when valid and canonical, a
   * normalised or truncated copy (§3.3.1.5) when not, undefined when empty or invalid
   * (the whole header is discarded, as the W3C suite's strict level expects).
   */
  get traceState(): string | undefined {
    if (!this.traceStateChecked) {
      this.traceStateValue = checkTraceState(this.traceStateValue);
      this.traceStateChecked = true;
    }
    return this.traceStateValue;
  }

  /**
   * The tracestate to hand to a context derived from this one (a child span's constructor),
   * without validating it: the value as received while nobody has read `traceState`, the
   * checked one after. The derived context validates it on its own first read, so nothing
   * invalid can be output through it; never write this value to a carrier yourself.
   * Why: a server span is a child of the extracted context, and reading `traceState` to build
   * it scans the header on every request (measured: ~140 -> ~290 ns CPU per extract on the
   * bench box, against ~620 ns for OpenTelemetry's eager parse); passing this keeps the scan
   * for the requests that forward or export the trace.
   */
  traceStateForChild(): string | undefined {
    return this.traceStateValue;
  }

  get sampled(): boolean {
    return (this.traceFlags & FLAG_SAMPLED) !== 0;
  }

  get random(): boolean {
    return (this.traceFlags & FLAG_RANDOM) !== 0;
  }

  /** The `traceparent` header value (version 00; reserved flag bits zeroed). */
  toW3CFormat(): string {
    return formatTraceparent(this);
  }

  /** The single `b3` header value: `{traceId}-{spanId}-{1|0}`. */
  toB3(): string {
    return formatB3(this);
  }

  /** The `uber-trace-id` header value: `{traceId}:{spanId}:0:{01|00}`. */
  toJaeger(): string {
    return formatJaeger(this);
  }

  /** The Datadog headers (`x-datadog-trace-id`, `-parent-id`, `-sampling-priority`, `-tags` with `_dd.p.tid`). */
  toDatadog(): Record<string, string> {
    const headers: Record<string, string> = {};
    writeDatadog(this, headers);
    return headers;
  }

  /**
   * The headers of each format (default `['w3c']`), merged into `into` when given.
   * `newrelic` is extract-only and writes nothing (the W3C headers carry `@nr` onward);
   * `custom` needs a header mapping: use `createPropagator({ inject: ['custom'], headers })`.
   */
  toHeaders(formats: readonly string[] = DEFAULT_FORMATS, into: Record<string, string> = {}): Record<string, string> {
    for (let i = 0; i < formats.length; i++) {
      const format = formats[i]!;
      const write = WRITERS[format];
      if (write === undefined) {
        throw invalidArgument(`format ${JSON.stringify(format)}`, format, `one of ${Object.keys(WRITERS).join(', ')}`);
      }
      write(this, into);
    }
    return into;
  }

  /** The tracestate members in order, parsed on each call (cold path: nothing kept per context). */
  getTraceStateEntries(): ReadonlyArray<readonly [string, string]> {
    return parseTraceState(this.traceState);
  }

  /** One tracestate member's value (e.g. `'dd'`, `'33@nr'`), without parsing the others. */
  getTraceStateValue(key: string): string | undefined {
    return getTraceStateValue(this.traceState, key);
  }

  /**
   * A local child of this context: same trace id, flags and tracestate, a new span id, this
   * span as its parent (what a client span injects into an outgoing call).
   */
  createChild(): TraceContext {
    return new TraceContext(this.traceId, generateSpanId(), this.traceFlags, this.traceStateForChild(), false, this.spanId);
  }

  /**
   * A validated context from user-supplied ids (for `runWithTrace` and manual propagation).
   * Throws a `TypeError` (code ERR_INVALID_ARGUMENT) naming the bad field.
   */
  static from(input: {
    traceId: string;
    spanId: string;
    sampled?: boolean;
    traceFlags?: number;
    traceState?: string;
    isRemote?: boolean;
    parentSpanId?: string;
  }): TraceContext {
    if (typeof input !== 'object' || input === null) {
      throw invalidArgument('trace context', input, 'an object with traceId and spanId');
    }
    const { traceId, spanId } = input;
    if (typeof traceId !== 'string' || traceId.length !== 32 || checkLowerHex(traceId, 0, 32) !== 1) {
      throw invalidArgument('traceId', traceId, '32 lowercase hex digits, not all zero');
    }
    if (typeof spanId !== 'string' || spanId.length !== 16 || checkLowerHex(spanId, 0, 16) !== 1) {
      throw invalidArgument('spanId', spanId, '16 lowercase hex digits, not all zero');
    }
    const parent = input.parentSpanId;
    if (parent !== undefined && (typeof parent !== 'string' || parent.length !== 16 || checkLowerHex(parent, 0, 16) !== 1)) {
      throw invalidArgument('parentSpanId', parent, '16 lowercase hex digits, not all zero');
    }
    let flags = 0;
    if (input.traceFlags !== undefined) {
      if (!Number.isInteger(input.traceFlags) || input.traceFlags < 0 || input.traceFlags > 255) {
        throw invalidArgument('traceFlags', input.traceFlags, 'an integer from 0 to 255');
      }
      flags = input.traceFlags & KNOWN_FLAGS_MASK;
    }
    if (input.sampled !== undefined) {
      if (typeof input.sampled !== 'boolean') throw invalidArgument('sampled', input.sampled, 'a boolean');
      flags = input.sampled ? flags | FLAG_SAMPLED : flags & ~FLAG_SAMPLED;
    } else if (input.traceFlags === undefined) {
      flags = FLAG_SAMPLED;
    }
    const state = input.traceState;
    const normalized = typeof state === 'string' ? normalizeTraceState(state) : state;
    if (normalized === null || (state !== undefined && typeof state !== 'string')) {
      throw invalidArgument('traceState', state, 'a W3C tracestate header value (key=value members, comma-separated, at most 32)');
    }
    return new TraceContext(traceId, spanId, flags, normalized, input.isRemote ?? true, parent);
  }
}

// One-entry memo: a trace's local children share their parent's tracestate string, so each
// one's first read is an identity compare, not a re-scan.
let lastTraceStateIn: string | undefined;
let lastTraceStateOut: string | undefined;

/**
 * The tracestate a context outputs for `raw`: canonical, normalised or truncated (§3.3.1.5),
 * undefined when empty or invalid. What the `traceState` getter computes on first read; the
 * tracer calls it up front for a sampler-given value, since a recording span keeps no
 * "checked" flag.
 */
export function checkTraceState(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw === lastTraceStateIn) return lastTraceStateOut;
  const normalized = normalizeTraceState(raw);
  lastTraceStateIn = raw;
  lastTraceStateOut = normalized === null ? undefined : normalized;
  return lastTraceStateOut;
}

const DEFAULT_FORMATS: readonly string[] = Object.freeze(['w3c']);

function writeNothing(): void {}

type Writer = (ctx: TraceContext, headers: Record<string, string>) => void;

const WRITERS: Readonly<Record<string, Writer>> = Object.freeze(Object.assign(Object.create(null) as Record<string, Writer>, {
  w3c: writeW3C,
  tracecontext: writeW3C,
  b3: writeB3Single,
  b3multi: writeB3Multi,
  zipkin: writeB3Multi,
  jaeger: writeJaeger,
  datadog: writeDatadog,
  newrelic: writeNothing,
}));

/**
 * A new root context: fresh random trace and span ids, the W3C Level 2 random flag (0x02) set
 * because every trace id we generate is 16 CSPRNG bytes (§3.2.2.5.2), sampled as decided.
 */
export function createRootTraceContext(sampled: boolean, traceState?: string): TraceContext {
  return new TraceContext(generateTraceId(), generateSpanId(), sampled ? FLAG_SAMPLED | FLAG_RANDOM : FLAG_RANDOM, traceState, false, undefined);
}
