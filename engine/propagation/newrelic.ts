// New Relic, extract only (newrelic/node-newrelic lib/transaction/index.js
// acceptDistributedTraceHeaders, lib/transaction/dt-payload.js; New Relic publishes no spec).
// - When `traceparent` is present the agent takes the W3C path and ignores `newrelic`; so do
//   we. The `{trustKey}@nr` tracestate member then travels untouched inside `tracestate`
//   (we never rewrite other vendors' members), which is what "keep @nr" requires.
// - Otherwise the `newrelic` header: base64 of `{"v":[0,1],"d":{...}}` (raw JSON starting with
//   `{` is accepted too, as the agent does). Required: v[0] === 0 (a higher major version is
//   ignored), d.ty, d.ac, d.ap (strings), d.ti (number), d.tr (1..32 hex, left-padded), and
//   d.id or d.tx (16 hex: the caller's span, or its transaction when spans are off);
//   d.sa === true is sampled. The trusted-account check is the agent's business, not ours.
// This is a rare, cold path (New Relic agents send traceparent too), so it may allocate.
// Inject writes nothing: configure `w3c` alongside to forward the trace (and `@nr`).

import { Buffer } from 'node:buffer';
import { hexIdAnyCase } from '../ids/hex.js';
import { NEWRELIC, TRACEPARENT, TRACESTATE } from './header-names.js';
import { singleValue } from './propagator.js';
import type { IncomingHeaders, Propagator } from './propagator.js';
import { FLAG_SAMPLED, TraceContext } from './trace-context.js';
import { w3cPropagator } from './w3c.js';

const ZEROS_32 = '00000000000000000000000000000000';

function decodePayload(value: string): unknown {
  const text = value.charCodeAt(0) === 0x7b ? value : Buffer.from(value, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A hex id of `minLength`..`width` chars, left-padded to `width`; null otherwise. */
function hexField(value: unknown, minLength: number, width: number): string | null {
  if (typeof value !== 'string' || value.length < minLength || value.length > width) return null;
  const id = hexIdAnyCase(value, 0, value.length);
  if (id === null) return null;
  return value.length === width ? id : ZEROS_32.slice(0, width - value.length) + id;
}

/** The context in a `newrelic` header value, or null. */
export function parseNewRelicPayload(value: string): TraceContext | null {
  const payload = decodePayload(value);
  if (typeof payload !== 'object' || payload === null) return null;
  const { v, d } = payload as { v?: unknown; d?: unknown };
  if (!Array.isArray(v) || v[0] !== 0 || typeof d !== 'object' || d === null) return null;
  const data = d as Record<string, unknown>;
  if (typeof data.ty !== 'string' || typeof data.ac !== 'string' || typeof data.ap !== 'string' || typeof data.ti !== 'number') {
    return null;
  }
  const traceId = hexField(data.tr, 1, 32);
  const spanId = data.id !== undefined ? hexField(data.id, 16, 16) : hexField(data.tx, 16, 16);
  if (traceId === null || spanId === null) return null;
  return new TraceContext(traceId, spanId, data.sa === true ? FLAG_SAMPLED : 0, undefined, true, undefined);
}

function extract(headers: IncomingHeaders): TraceContext | null {
  if (headers != null && headers[TRACEPARENT] !== undefined) return w3cPropagator.extract(headers);
  const value = singleValue(headers, NEWRELIC);
  return value === undefined || value.length === 0 ? null : parseNewRelicPayload(value);
}

function injectNothing(): void {}

/** `newrelic` header, or W3C when `traceparent` is present (config name `newrelic`). Extract only. */
export const newRelicPropagator: Propagator = Object.freeze({
  extract,
  inject: injectNothing,
  fields: Object.freeze([NEWRELIC, TRACEPARENT, TRACESTATE]),
});

/** The fields of a `{trustKey}@nr` tracestate value (`version-parentType-account-app-span-tx-sampled-priority-timestamp`). */
export interface NewRelicTraceState {
  readonly version: number;
  readonly parentType: number;
  readonly accountId: string;
  readonly appId: string;
  readonly spanId: string | undefined;
  readonly transactionId: string | undefined;
  readonly sampled: boolean | undefined;
  readonly priority: number | undefined;
  readonly timestamp: number;
}

/** Parses an `@nr` tracestate value (e.g. from `ctx.getTraceStateValue('33@nr')`); null when malformed. */
export function parseNewRelicTraceState(value: string | undefined): NewRelicTraceState | null {
  if (value === undefined) return null;
  const f = value.split('-');
  if (f.length !== 9) return null;
  const [version, parentType, accountId, appId, spanId, transactionId, sampled, priority, timestamp] = f as [
    string, string, string, string, string, string, string, string, string,
  ];
  if (version !== '0' || (parentType !== '0' && parentType !== '1' && parentType !== '2')) return null;
  if (accountId === '' || appId === '' || timestamp === '' || !/^\d+$/.test(timestamp)) return null;
  if (sampled !== '' && sampled !== '0' && sampled !== '1') return null;
  const p = priority === '' ? undefined : Number(priority);
  if (p !== undefined && !Number.isFinite(p)) return null;
  return {
    version: 0,
    parentType: Number(parentType),
    accountId,
    appId,
    spanId: spanId === '' ? undefined : spanId,
    transactionId: transactionId === '' ? undefined : transactionId,
    sampled: sampled === '' ? undefined : sampled === '1',
    priority: p,
    timestamp: Number(timestamp),
  };
}
