// Differential tests against OpenTelemetry JS (@opentelemetry/core W3CTraceContextPropagator,
// @opentelemetry/propagator-b3 B3Propagator, @opentelemetry/propagator-jaeger JaegerPropagator)
// on 100,000 generated and mutated inputs per format (seeded, reproducible): both must accept
// and reject the same inputs and produce the same ids and flags. Where they disagree, the input
// must fall under one of the documented deviations below, each a place where OpenTelemetry
// departs from the format's spec (clause cited); any other disagreement fails the test.
// Each deviation must also actually occur (its counter > 0), so a rule cannot silently excuse
// nothing, and both sides must accept and reject many inputs, so the generator cannot degrade
// into comparing only garbage.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, isSpanContextValid, trace } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import { createPropagator } from '../../../engine/propagation/create-propagator.js';
import type { IncomingHeaders, Propagator } from '../../../engine/propagation/propagator.js';

const RUNS = 100_000;

// mulberry32: small, seeded, good enough to spread mutations
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (r: Rand, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
// Chars a mutation may insert: hex of both cases, separators, OWS, other whitespace, non-ASCII.
const NOISE = ['0', '0', 'f', 'a', 'A', 'F', '9', '-', '-', '.', ':', ' ', '\t', '\n', '\u00a0', 'g', 'é', '%', '%3A', ','];

function mutate(r: Rand, s: string): string {
  const at = Math.floor(r() * (s.length + 1));
  switch (Math.floor(r() * 9)) {
    case 0:
      return s.slice(0, at) + pick(r, NOISE) + s.slice(at + 1); // replace
    case 1:
      return s.slice(0, at) + pick(r, NOISE) + s.slice(at); // insert
    case 2:
      return s.slice(0, at) + s.slice(at + 1); // delete
    case 3:
      return s.slice(0, at); // truncate
    case 4:
      return s + pick(r, ['-', '.', ' ', '\t', '-x', '-00-01', '\n', 'ff', '  ']); // tail
    case 5:
      return pick(r, [' ', '\t', '  ', '\u00a0', '\n', '\t ']) + s; // head
    case 6:
      return s.toUpperCase();
    case 7:
      return s.replace(/[1-9a-f]/g, (c) => (r() < 0.9 ? '0' : c)); // towards all-zero
    default:
      return s + ', ' + s; // repeated header joined by Node
  }
}

interface Norm {
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: number;
}

function ours(p: Propagator, headers: IncomingHeaders): Norm | null {
  const ctx = p.extract(headers);
  return ctx === null ? null : { traceId: ctx.traceId, spanId: ctx.spanId, flags: ctx.traceFlags };
}

/** OTel's result as any OTel user sees it: a span context only if isSpanContextValid. */
function theirs(p: TextMapPropagator, headers: IncomingHeaders, flagMask: number): Norm | null {
  const sc = trace.getSpanContext(p.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
  if (sc === undefined || !isSpanContextValid(sc)) return null;
  // OTel keeps upper-case hex as received (isValidHex accepts A-F); we lower it. Compare lowered.
  return { traceId: sc.traceId.toLowerCase(), spanId: sc.spanId.toLowerCase(), flags: sc.traceFlags & flagMask };
}

interface Deviation {
  readonly id: string;
  readonly clause: string;
  readonly applies: (headers: IncomingHeaders) => boolean;
}

function differential(
  name: string,
  generate: (r: Rand) => IncomingHeaders,
  mine: Propagator,
  other: TextMapPropagator,
  flagMask: number,
  deviations: readonly Deviation[],
  seed: number,
): void {
  test(`${name}: ${RUNS.toLocaleString('en')} generated + mutated inputs agree with OpenTelemetry except documented deviations`, (t) => {
    const r = rng(seed);
    const excused = new Map<string, number>(deviations.map((d) => [d.id, 0]));
    const failures: string[] = [];
    let bothAccepted = 0;
    let bothRejected = 0;
    for (let i = 0; i < RUNS; i++) {
      const headers = generate(r);
      const a = ours(mine, headers);
      const b = theirs(other, headers, flagMask);
      if (a === null && b === null) {
        bothRejected++;
        continue;
      }
      if (a !== null && b !== null && a.traceId === b.traceId && a.spanId === b.spanId && a.flags === b.flags) {
        bothAccepted++;
        continue;
      }
      const d = deviations.find((x) => x.applies(headers));
      if (d !== undefined) excused.set(d.id, excused.get(d.id)! + 1);
      else if (failures.length < 5) failures.push(`${JSON.stringify(headers)}: ours ${JSON.stringify(a)}, otel ${JSON.stringify(b)}`);
      else failures.push('');
    }
    t.diagnostic(`both accepted ${bothAccepted}, both rejected ${bothRejected}, excused ${JSON.stringify(Object.fromEntries(excused))}`);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} undocumented disagreements`);
    assert.ok(bothAccepted > RUNS / 10, `both accepted only ${bothAccepted}`);
    assert.ok(bothRejected > RUNS / 10, `both rejected only ${bothRejected}`);
    for (const [id, n] of excused) assert.ok(n > 0, `deviation "${id}" never occurred: remove it or fix the generator`);
  });
}

// ---------------------------------------------------------------- W3C traceparent
const OWS_RE = /^[ \t]*|[ \t]*$/g;
/** Starts or ends with a whitespace char other than SP and HTAB. */
const otherSpace = (s: string): boolean => /^[^\S \t]|[^\S \t]$/.test(s);
const valueOf = (h: IncomingHeaders, name: string): string | string[] | undefined => h[name];

const w3cDeviations: Deviation[] = [
  {
    id: 'array value',
    clause: 'W3C §3.2.1 / test_traceparent_duplicated: a repeated traceparent is invalid; OTel uses element [0] of an array',
    applies: (h) => Array.isArray(valueOf(h, 'traceparent')),
  },
  {
    id: 'whitespace other than SP/HTAB',
    clause: 'RFC 9110 §5.6.3 OWS = *( SP / HTAB ); OTel\'s \\s? also accepts \\n, \\r, \\v, \\f, NBSP and other Unicode spaces',
    applies: (h) => {
      const v = valueOf(h, 'traceparent');
      return typeof v === 'string' && otherSpace(v);
    },
  },
  {
    id: 'more than one OWS char',
    clause: 'RFC 9110 §5.6.3 OWS is any run of SP/HTAB; OTel\'s \\s? allows exactly one at each end',
    applies: (h) => {
      const v = valueOf(h, 'traceparent');
      return typeof v === 'string' && /^[ \t]{2}|[ \t]{2}$/.test(v);
    },
  },
  {
    id: 'line terminator in a future-version tail',
    clause: 'W3C §3.2.4: for a higher version, everything after the flags and "-" is ignored; OTel\'s (-.*) stops at line terminators',
    applies: (h) => {
      const v = valueOf(h, 'traceparent');
      return typeof v === 'string' && /[\n\r\u2028\u2029]/.test(v.replace(OWS_RE, '').slice(55));
    },
  },
];

function generateW3C(r: Rand): IncomingHeaders {
  const version = r() < 0.85 ? '00' : pick(r, ['01', 'cc', 'fe', 'ff', '0a']);
  let tp = `${version}-${hex(r, 32)}-${hex(r, 16)}-${hex(r, 2)}`;
  if (version !== '00' && r() < 0.3) tp += pick(r, ['-', '-xyz', '-00-ff', '.x']);
  const mutations = r() < 0.35 ? 0 : 1 + Math.floor(r() * 2);
  for (let i = 0; i < mutations; i++) tp = mutate(r, tp);
  if (r() < 0.02) return { traceparent: r() < 0.5 ? [tp] : [tp, tp] };
  return { traceparent: tp, tracestate: 'a=1' };
}

// ---------------------------------------------------------------- B3
/** The exact single-header grammar, any case (test oracle). */
const B3_SINGLE_CI = /^(?:[0-9a-f]{16}|[0-9a-f]{32})-[0-9a-f]{16}(?:-[01d](?:-[0-9a-f]{16})?)?$/i;
const b3Deviations: Deviation[] = [
  {
    id: 'array value',
    clause: 'b3-propagation "first value wins" applies to repeated multi headers; we do not trust a repeated id header; OTel uses element [0]',
    applies: (h) => Object.values(h).some((v) => Array.isArray(v)),
  },
  {
    id: 'b3 single: upper-case hex',
    clause: 'we accept upper-case hex in B3 (lowered; wire-formats §6); OTel\'s single-header regex is lowercase only',
    applies: (h) => typeof h.b3 === 'string' && B3_SINGLE_CI.test(h.b3) && /[A-F]/.test(h.b3),
  },
  {
    id: 'b3 single: unanchored match',
    clause: 'b3-propagation "Single Header": the value is exactly {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]; OTel\'s regex is unanchored and accepts a valid substring inside garbage (and a bad sampling state or parent as "absent")',
    applies: (h) => typeof h.b3 === 'string' && h.b3 !== '' && !B3_SINGLE_CI.test(h.b3),
  },
  {
    id: 'x-b3-traceid of a length other than 16 or 32',
    clause: 'b3-propagation "TraceId": 16 or 32 lower-hex; OTel padStart(32)s any shorter value',
    applies: (h) => typeof h['x-b3-traceid'] === 'string' && h['x-b3-traceid'].length !== 16 && h['x-b3-traceid'].length !== 32,
  },
  {
    id: 'malformed x-b3-parentspanid',
    clause: 'b3-propagation "ParentSpanId": 16 lower-hex, and `-` is malformed data; OTel never reads the header',
    applies: (h) => typeof h['x-b3-parentspanid'] === 'string' && !/^[0-9a-fA-F]{16}$/.test(h['x-b3-parentspanid']),
  },
];

function generateB3(r: Rand): IncomingHeaders {
  const trace = r() < 0.3 ? hex(r, 16) : hex(r, 32);
  const span = hex(r, 16);
  if (r() < 0.5) {
    let v = `${trace}-${span}`;
    if (r() < 0.8) v += '-' + pick(r, ['0', '1', 'd']);
    if (r() < 0.3) v += '-' + hex(r, 16);
    if (r() < 0.6) v = mutate(r, v);
    return { b3: v };
  }
  const h: Record<string, string | string[]> = { 'x-b3-traceid': trace, 'x-b3-spanid': span };
  if (r() < 0.8) h['x-b3-sampled'] = pick(r, ['0', '1', 'true', 'false', 'True', 'False', '', 'yes', '2']);
  if (r() < 0.2) h['x-b3-flags'] = pick(r, ['1', '0', '2']);
  if (r() < 0.2) h['x-b3-parentspanid'] = hex(r, 16);
  if (r() < 0.6) {
    const key = pick(r, ['x-b3-traceid', 'x-b3-spanid', 'x-b3-traceid', 'x-b3-sampled', 'x-b3-parentspanid']);
    h[key] = mutate(r, (h[key] as string | undefined) ?? '');
  }
  if (r() < 0.02) h['x-b3-spanid'] = [span];
  return h;
}

// ---------------------------------------------------------------- Jaeger
const strip = (s: string): string => s.replace(/^0+(?=.)/, '');
const jaegerValue = (h: IncomingHeaders): string | undefined => {
  const v = h['uber-trace-id'];
  if (typeof v !== 'string') return undefined;
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
};
const jaegerDeviations: Deviation[] = [
  {
    id: 'flags not 1-2 hex digits',
    clause: 'Jaeger propagation format: flags is one byte in hex; OTel defaults a malformed flags field to sampled',
    applies: (h) => {
      const v = jaegerValue(h);
      return v !== undefined && !/^[0-9a-fA-F]{1,2}$/.test(v.split(':')[3] ?? '');
    },
  },
  {
    id: 'malformed parent span id',
    clause: 'Jaeger propagation format: parent-span-id is 64-bit hex (0 for a root); OTel never reads the field',
    applies: (h) => {
      const v = jaegerValue(h);
      return v !== undefined && !/^[0-9a-fA-F]{1,16}$/.test(v.split(':')[2] ?? '');
    },
  },
  {
    id: 'debug flag without sampled',
    clause: 'Jaeger client docs: flag 0x02 (debug) implies sampled; OTel reads only bit 0x01',
    applies: (h) => {
      const v = jaegerValue(h);
      const f = Number.parseInt(v?.split(':')[3] ?? '', 16);
      return (f & 0x03) === 0x02;
    },
  },
];

function generateJaeger(r: Rand): IncomingHeaders {
  let trace = r() < 0.3 ? hex(r, 16) : hex(r, 32);
  let span = hex(r, 16);
  if (r() < 0.3) {
    trace = strip(trace);
    span = strip(span);
  }
  const parent = r() < 0.5 ? '0' : hex(r, 16);
  const flags = pick(r, ['0', '1', '01', '3', '03', '2', '8']);
  let v = [trace, span, parent, flags].join(r() < 0.1 ? '%3A' : ':');
  if (r() < 0.6) v = mutate(r, v);
  return { 'uber-trace-id': v };
}

describe('differential tests against OpenTelemetry JS', () => {
  differential('w3c traceparent vs W3CTraceContextPropagator', generateW3C, createPropagator({ extract: ['w3c'] }), new W3CTraceContextPropagator(), 0x03, w3cDeviations, 0x3c1);
  differential('b3 (single + multi) vs B3Propagator', generateB3, createPropagator({ extract: ['b3'] }), new B3Propagator(), 0x01, b3Deviations, 0xb3);
  differential('jaeger uber-trace-id vs JaegerPropagator', generateJaeger, createPropagator({ extract: ['jaeger'] }), new JaegerPropagator(), 0x01, jaegerDeviations, 0x1a);
});

describe('W3C injection against OpenTelemetry', () => {
  test('10,000 extracted contexts re-injected: identical traceparent and tracestate, except the reserved flag bits OTel echoes', () => {
    const r = rng(0x1e);
    const mine = createPropagator();
    const other = new W3CTraceContextPropagator();
    let identical = 0;
    let reservedBits = 0;
    for (let i = 0; i < 10_000; i++) {
      const flags = r() < 0.8 ? Math.floor(r() * 4) : Math.floor(r() * 256);
      const members = Array.from({ length: Math.floor(r() * 5) }, (_, m) => `k${m}${hex(r, 2)}=v${hex(r, 4)}`);
      const headers: Record<string, string> = { traceparent: `00-${hex(r, 32)}-${hex(r, 16)}-${flags.toString(16).padStart(2, '0')}` };
      if (members.length > 0) headers.tracestate = members.join(',');
      const a: Record<string, string> = {};
      const b: Record<string, string> = {};
      const ctx = mine.extract(headers);
      assert.ok(ctx !== null);
      mine.inject(ctx, a);
      other.inject(other.extract(ROOT_CONTEXT, headers, defaultTextMapGetter), b, defaultTextMapSetter);
      if ((flags & ~0x03) !== 0) {
        // W3C §3.2.2.5: reserved trace-flags bits MUST be zeroed on output. OTel writes the
        // received byte back, as "0" + hex, so flags >= 0x10 even come out as 3 invalid digits.
        assert.equal(a.traceparent, headers.traceparent!.slice(0, 53) + '0' + (flags & 3));
        assert.equal(b.traceparent, headers.traceparent!.slice(0, 53) + '0' + flags.toString(16));
        reservedBits++;
      } else {
        assert.deepEqual(a, b);
        identical++;
      }
    }
    assert.ok(identical > 7000 && reservedBits > 1000, `${identical} identical, ${reservedBits} with reserved bits`);
  });
});
