// Hostile input for every format: nothing throws, values over 8 KiB are rejected, and whatever
// is extracted from 20,000 mutated headers can only produce output in each format's strict
// grammar (ids in lowercase hex, tracestate in the W3C grammar): invalid input is never echoed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPropagator } from '../../../engine/propagation/create-propagator.js';
import { MAX_HEADER_VALUE_LENGTH } from '../../../engine/propagation/propagator.js';
import type { IncomingHeaders } from '../../../engine/propagation/propagator.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const ALL = ['w3c', 'b3', 'b3multi', 'jaeger', 'datadog', 'newrelic', 'custom'];
const everything = createPropagator({
  extract: ALL,
  inject: ['w3c', 'b3', 'b3multi', 'jaeger', 'datadog', 'custom'],
  headers: { traceId: 'x-trace-id', spanId: 'x-span-id' },
});

const valid: IncomingHeaders = {
  traceparent: `00-${T}-${S}-01`,
  tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
  b3: `${T}-${S}-1`,
  'x-b3-traceid': T,
  'x-b3-spanid': S,
  'x-b3-sampled': '1',
  'uber-trace-id': `${T}:${S}:0:1`,
  'x-datadog-trace-id': '11803532876627986230',
  'x-datadog-parent-id': '67667974448284343',
  'x-datadog-tags': '_dd.p.tid=4bf92f3577b34da6',
  newrelic: Buffer.from(JSON.stringify({ v: [0, 1], d: { ty: 'App', ac: '1', ap: '1', id: S, tr: T, ti: 1, sa: true } })).toString('base64'),
  'x-trace-id': T,
  'x-span-id': S,
};

const OUTPUT_GRAMMAR: Record<string, RegExp> = {
  traceparent: /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/,
  tracestate: /^[a-z0-9][_0-9a-z\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e](,[a-z0-9][_0-9a-z\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]){0,31}$/,
  b3: /^[0-9a-f]{32}-[0-9a-f]{16}-[01]$/,
  'x-b3-traceid': /^[0-9a-f]{32}$/,
  'x-b3-spanid': /^[0-9a-f]{16}$/,
  'x-b3-sampled': /^[01]$/,
  'uber-trace-id': /^[0-9a-f]{32}:[0-9a-f]{16}:0:0[01]$/,
  'x-datadog-trace-id': /^[1-9][0-9]{0,19}$/,
  'x-datadog-parent-id': /^[1-9][0-9]{0,19}$/,
  'x-datadog-sampling-priority': /^[01]$/,
  'x-datadog-tags': /^_dd\.p\.tid=[0-9a-f]{16}$/,
  'x-trace-id': /^[0-9a-f]{32}$/,
  'x-span-id': /^[0-9a-f]{16}$/,
};

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

const NOISE = ['\r\n', '\u0000', '\u00e9', '\ud800', ',', '=', ';', ' ', 'A', '%', '%0A', '-', ':', '<script>', '"', '\\'];

describe('hostile input, every format at once', () => {
  test('each format reads its valid headers (the baseline the mutations start from)', () => {
    for (const format of ALL) {
      const p = createPropagator({ extract: [format], headers: { traceId: 'x-trace-id', spanId: 'x-span-id' } });
      assert.equal(p.extract(valid)?.traceId, T, format);
    }
  });

  test('20,000 mutated header sets: never throws, and every injected value is in its strict grammar', () => {
    const r = rng(7);
    const names = Object.keys(valid);
    let extracted = 0;
    for (let i = 0; i < 20_000; i++) {
      const headers: IncomingHeaders = {};
      for (const name of names) {
        if (r() < 0.3) continue;
        let v = valid[name] as string;
        const edits = Math.floor(r() * 3);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(r() * (v.length + 1));
          v = v.slice(0, at) + NOISE[Math.floor(r() * NOISE.length)] + v.slice(at + (r() < 0.5 ? 1 : 0));
        }
        headers[name] = r() < 0.03 ? [v, v] : v;
      }
      const ctx = everything.extract(headers);
      if (ctx === null) continue;
      extracted++;
      const out: Record<string, string> = {};
      everything.inject(ctx, out);
      for (const [name, value] of Object.entries(out)) {
        const grammar = OUTPUT_GRAMMAR[name];
        assert.ok(grammar !== undefined, `unexpected header ${name}`);
        assert.match(value, grammar, `${name} from ${JSON.stringify(headers)}`);
      }
    }
    assert.ok(extracted > 1000, `only ${extracted} contexts extracted`);
  });

  test(`a value over ${MAX_HEADER_VALUE_LENGTH} chars is rejected for every format, even if it starts valid`, () => {
    const pad = ' '.repeat(MAX_HEADER_VALUE_LENGTH);
    for (const format of ALL) {
      const p = createPropagator({ extract: [format], headers: { traceId: 'x-trace-id', spanId: 'x-span-id' } });
      const headers: IncomingHeaders = {};
      for (const [name, value] of Object.entries(valid)) headers[name] = (value as string) + pad;
      assert.equal(p.extract(headers), null, format);
    }
  });

  test('non-string junk in the header object never throws', () => {
    const junk = [undefined, [], [undefined], [1], {}, 42, null, Symbol('x')] as unknown[];
    for (const value of junk) {
      const headers = Object.fromEntries(Object.keys(valid).map((k) => [k, value])) as IncomingHeaders;
      assert.equal(everything.extract(headers), null, String(value));
    }
  });
});
