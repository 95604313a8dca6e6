// The trace context value: the ids and flags that cross process boundaries.
// Fixed shape; the constructor trusts its arguments (parsers and id generators have already
// validated them). `TraceContext.from()` is the validating entry point for user input.

import { invalidArgument } from '../errors.js';
import { BYTE_TO_HEX, checkLowerHex } from '../ids/hex.js';

/** W3C trace-flags bit 0: the caller may have recorded this trace. */
export const FLAG_SAMPLED = 0x01;
/** W3C Level 2 trace-flags bit 1: the trace id's rightmost 7 bytes are random. */
export const FLAG_RANDOM = 0x02;
/** Flags kept end to end; others are zeroed on output (W3C Level 2 §3.2.2.5). */
export const KNOWN_FLAGS_MASK = FLAG_SAMPLED | FLAG_RANDOM;

export class TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** The parent's span id, when known. */
  readonly parentSpanId: string | undefined;
  /** Trace flags byte (only bits 0x01 and 0x02 are ever emitted). */
  readonly traceFlags: number;
  /** The raw `tracestate` value, kept unparsed until someone needs its members. */
  readonly traceState: string | undefined;
  /** True when this context was extracted from an incoming carrier. */
  readonly isRemote: boolean;

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
    this.traceState = traceState;
    this.isRemote = isRemote;
  }

  get sampled(): boolean {
    return (this.traceFlags & FLAG_SAMPLED) !== 0;
  }

  get random(): boolean {
    return (this.traceFlags & FLAG_RANDOM) !== 0;
  }

  /** The `traceparent` header value (version 00). */
  toW3CFormat(): string {
    return '00-' + this.traceId + '-' + this.spanId + '-' + BYTE_TO_HEX[this.traceFlags & KNOWN_FLAGS_MASK]!;
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
    if (state !== undefined && typeof state !== 'string') {
      throw invalidArgument('traceState', state, 'a tracestate header value (string)');
    }
    return new TraceContext(traceId, spanId, flags, state === '' ? undefined : state, input.isRemote ?? true, parent);
  }
}
