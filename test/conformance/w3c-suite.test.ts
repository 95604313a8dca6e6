// Every case of the W3C trace-context test suite (w3c/trace-context test/test.py, Level 2,
// STRICT_LEVEL=2: the 37 TraceContextTest cases, the 3 AdvancedTest cases and
// test_propagates_random_flag), as vectors sent over real HTTP to a node:http server whose
// handler extracts with our W3C propagator and injects into one outgoing call.
// "kept": the outgoing traceparent carries the incoming trace id with a new parent id;
// "new": the service started a new trace (nothing of the input is reused).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPropagator } from '../../engine/propagation/create-propagator.js';
import { createRootTraceContext } from '../../engine/propagation/trace-context.js';
import { startPropagationServer } from './propagation-server.js';
import type { Exchange, PropagationServer } from './propagation-server.js';

const T = '12345678901234567890123456789012';
const P = '1234567890123456';
const TP = `00-${T}-${P}-01`;
const TRACEPARENT_RE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface SuiteCase {
  readonly test: string;
  readonly headers: Record<string, string | string[]>;
  readonly expect: 'kept' | 'new';
  /** Expected outgoing tracestate; undefined = no tracestate header. Omitted = not checked. */
  readonly tracestate?: string | undefined;
  /** Expected outgoing trace-flags when kept (default '01'). */
  readonly flags?: string;
}

const keys32 = Array.from({ length: 32 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=1`);
const keys33 = Array.from({ length: 33 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=1`);
const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const VALUE_CHARS = ' !"#$%&\'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';

const cases: SuiteCase[] = [
  { test: 'test_both_traceparent_and_tracestate_missing', headers: {}, expect: 'new' },
  { test: 'test_traceparent_included_tracestate_missing', headers: { traceparent: TP }, expect: 'kept', tracestate: undefined },
  {
    test: 'test_traceparent_duplicated',
    headers: { traceparent: [`00-${T}-${P}-01`, `00-${T.replace('1', '2')}-${P}-01`] },
    expect: 'new',
  },
  { test: 'test_traceparent_header_name (trace-parent)', headers: { 'trace-parent': TP }, expect: 'new' },
  { test: 'test_traceparent_header_name (trace.parent)', headers: { 'trace.parent': TP }, expect: 'new' },
  { test: 'test_traceparent_header_name_valid_casing (TraceParent)', headers: { TraceParent: TP }, expect: 'kept' },
  { test: 'test_traceparent_header_name_valid_casing (TrAcEpArEnT)', headers: { TrAcEpArEnT: TP }, expect: 'kept' },
  { test: 'test_traceparent_header_name_valid_casing (TRACEPARENT)', headers: { TRACEPARENT: TP }, expect: 'kept' },
  { test: 'test_traceparent_version_0x00 (trailing .)', headers: { traceparent: `${TP}.` }, expect: 'new' },
  { test: 'test_traceparent_version_0x00 (trailing -field)', headers: { traceparent: `${TP}-what-the-future-will-be-like` }, expect: 'new' },
  { test: 'test_traceparent_version_0xcc (plain)', headers: { traceparent: `cc-${T}-${P}-01` }, expect: 'kept' },
  { test: 'test_traceparent_version_0xcc (-suffix)', headers: { traceparent: `cc-${T}-${P}-01-what-the-future-will-be-like` }, expect: 'kept' },
  { test: 'test_traceparent_version_0xcc (.suffix)', headers: { traceparent: `cc-${T}-${P}-01.what-the-future-will-be-like` }, expect: 'new' },
  { test: 'test_traceparent_version_0xff', headers: { traceparent: `ff-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_version_illegal_characters (.0)', headers: { traceparent: `.0-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_version_illegal_characters (0.)', headers: { traceparent: `0.-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_version_too_long (000)', headers: { traceparent: `000-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_version_too_long (0000)', headers: { traceparent: `0000-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_version_too_short', headers: { traceparent: `0-${T}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_id_all_zero', headers: { traceparent: `00-${'0'.repeat(32)}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_id_illegal_characters (.start)', headers: { traceparent: `00-.${T.slice(1)}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_id_illegal_characters (end.)', headers: { traceparent: `00-${T.slice(0, 31)}.-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_id_too_long', headers: { traceparent: `00-${T}3-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_id_too_short', headers: { traceparent: `00-${T.slice(0, 31)}-${P}-01` }, expect: 'new' },
  { test: 'test_traceparent_parent_id_all_zero', headers: { traceparent: `00-${T}-${'0'.repeat(16)}-01` }, expect: 'new' },
  { test: 'test_traceparent_parent_id_illegal_characters (.start)', headers: { traceparent: `00-${T}-.${P.slice(1)}-01` }, expect: 'new' },
  { test: 'test_traceparent_parent_id_illegal_characters (end.)', headers: { traceparent: `00-${T}-${P.slice(0, 15)}.-01` }, expect: 'new' },
  { test: 'test_traceparent_parent_id_too_long', headers: { traceparent: `00-${T}-${P}7-01` }, expect: 'new' },
  { test: 'test_traceparent_parent_id_too_short', headers: { traceparent: `00-${T}-${P.slice(0, 15)}-01` }, expect: 'new' },
  { test: 'test_traceparent_trace_flags_illegal_characters (.0)', headers: { traceparent: `00-${T}-${P}-.0` }, expect: 'new' },
  { test: 'test_traceparent_trace_flags_illegal_characters (0.)', headers: { traceparent: `00-${T}-${P}-0.` }, expect: 'new' },
  { test: 'test_traceparent_trace_flags_too_long', headers: { traceparent: `00-${T}-${P}-001` }, expect: 'new' },
  { test: 'test_traceparent_trace_flags_too_short', headers: { traceparent: `00-${T}-${P}-1` }, expect: 'new' },
  { test: 'test_traceparent_ows_handling (leading space)', headers: { traceparent: ` ${TP}` }, expect: 'kept' },
  { test: 'test_traceparent_ows_handling (leading tab)', headers: { traceparent: `\t${TP}` }, expect: 'kept' },
  { test: 'test_traceparent_ows_handling (trailing space)', headers: { traceparent: `${TP} ` }, expect: 'kept' },
  { test: 'test_traceparent_ows_handling (trailing tab)', headers: { traceparent: `${TP}\t` }, expect: 'kept' },
  { test: 'test_traceparent_ows_handling (both, mixed)', headers: { traceparent: `\t ${TP}\t ` }, expect: 'kept' },
  { test: 'test_tracestate_included_traceparent_missing (foo=1)', headers: { tracestate: 'foo=1' }, expect: 'new', tracestate: undefined },
  { test: 'test_tracestate_included_traceparent_missing (foo=1,bar=2)', headers: { tracestate: 'foo=1,bar=2' }, expect: 'new', tracestate: undefined },
  { test: 'test_tracestate_included_traceparent_included', headers: { traceparent: TP, tracestate: 'foo=1,bar=2' }, expect: 'kept', tracestate: 'foo=1,bar=2' },
  { test: 'test_tracestate_header_name (trace-state)', headers: { traceparent: TP, 'trace-state': 'foo=1' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_header_name (trace.state)', headers: { traceparent: TP, 'trace.state': 'foo=1' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_header_name_valid_casing (TraceState)', headers: { traceparent: TP, TraceState: 'foo=1' }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_header_name_valid_casing (TrAcEsTaTe)', headers: { traceparent: TP, TrAcEsTaTe: 'foo=1' }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_header_name_valid_casing (TRACESTATE)', headers: { traceparent: TP, TRACESTATE: 'foo=1' }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_empty_header (alone)', headers: { traceparent: TP, tracestate: '' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_empty_header (then foo=1)', headers: { traceparent: TP, tracestate: ['', 'foo=1'] }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_empty_header (foo=1 then empty)', headers: { traceparent: TP, tracestate: ['foo=1', ''] }, expect: 'kept', tracestate: 'foo=1' },
  {
    test: 'test_tracestate_multiple_headers_different_keys',
    headers: { traceparent: TP, tracestate: ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'] },
    expect: 'kept',
    tracestate: 'foo=1,bar=2,rojo=1,congo=2,baz=3',
  },
  { test: 'test_tracestate_duplicated_keys (foo=1,foo=1)', headers: { traceparent: TP, tracestate: 'foo=1,foo=1' }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_duplicated_keys (foo=1,foo=2)', headers: { traceparent: TP, tracestate: 'foo=1,foo=2' }, expect: 'kept', tracestate: 'foo=1' },
  { test: 'test_tracestate_duplicated_keys (two headers)', headers: { traceparent: TP, tracestate: ['foo=1', 'foo=1'] }, expect: 'kept', tracestate: 'foo=1' },
  {
    test: 'test_tracestate_all_allowed_characters',
    headers: { traceparent: TP, tracestate: `${KEY_CHARS}=${VALUE_CHARS}` },
    expect: 'kept',
    tracestate: `${KEY_CHARS}=${VALUE_CHARS}`,
  },
  {
    test: 'test_tracestate_all_allowed_characters (@vendor key)',
    headers: { traceparent: TP, tracestate: `${KEY_CHARS}@a-z0-9_-*/=${VALUE_CHARS}` },
    expect: 'kept',
    tracestate: `${KEY_CHARS}@a-z0-9_-*/=${VALUE_CHARS}`,
  },
  { test: 'test_tracestate_ows_handling (around commas)', headers: { traceparent: TP, tracestate: 'foo=1 \t , \t bar=2, \t baz=3' }, expect: 'kept', tracestate: 'foo=1,bar=2,baz=3' },
  { test: 'test_tracestate_ows_handling (at the ends)', headers: { traceparent: TP, tracestate: ' \t foo=1,bar=2 \t ' }, expect: 'kept', tracestate: 'foo=1,bar=2' },
  { test: 'test_tracestate_key_illegal_characters (foo =1)', headers: { traceparent: TP, tracestate: 'foo =1' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_key_illegal_characters (FOO=1)', headers: { traceparent: TP, tracestate: 'FOO=1' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_key_illegal_characters (foo.bar=1)', headers: { traceparent: TP, tracestate: 'foo.bar=1' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_key_illegal_vendor_format (foo@=1)', headers: { traceparent: TP, tracestate: 'foo@=1,bar=2' }, expect: 'kept', tracestate: 'foo@=1,bar=2' },
  { test: 'test_tracestate_key_illegal_vendor_format (foo@@bar=1)', headers: { traceparent: TP, tracestate: 'foo@@bar=1,bar=2' }, expect: 'kept', tracestate: 'foo@@bar=1,bar=2' },
  { test: 'test_tracestate_key_illegal_vendor_format (foo@bar@baz=1)', headers: { traceparent: TP, tracestate: 'foo@bar@baz=1,bar=2' }, expect: 'kept', tracestate: 'foo@bar@baz=1,bar=2' },
  { test: 'test_tracestate_key_illegal_vendor_format (@foo=1 discards all)', headers: { traceparent: TP, tracestate: '@foo=1,bar=2' }, expect: 'kept', tracestate: undefined },
  {
    test: 'test_tracestate_member_count_limit (32 over 4 headers)',
    headers: { traceparent: TP, tracestate: [keys32.slice(0, 8).join(','), keys32.slice(8, 16).join(','), keys32.slice(16, 24).join(','), keys32.slice(24).join(',')] },
    expect: 'kept',
    tracestate: keys32.join(','),
  },
  { test: 'test_tracestate_member_count_limit (33 discards all)', headers: { traceparent: TP, tracestate: keys33.join(',') }, expect: 'kept', tracestate: undefined },
  {
    test: 'test_tracestate_key_length_limit (256-char key kept)',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'z'.repeat(256)}=1`] },
    expect: 'kept',
    tracestate: `foo=1,${'z'.repeat(256)}=1`,
  },
  { test: 'test_tracestate_key_length_limit (257-char key discards all)', headers: { traceparent: TP, tracestate: ['foo=1', `${'z'.repeat(257)}=1`] }, expect: 'kept', tracestate: undefined },
  {
    test: 'test_tracestate_key_length_limit (@ keys within 256 chars)',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`, `t@${'v'.repeat(15)}=1`] },
    expect: 'kept',
    tracestate: `foo=1,${'t'.repeat(241)}@${'v'.repeat(14)}=1,t@${'v'.repeat(15)}=1`,
  },
  { test: 'test_tracestate_value_illegal_characters (foo=bar=baz)', headers: { traceparent: TP, tracestate: 'foo=bar=baz' }, expect: 'kept', tracestate: undefined },
  { test: 'test_tracestate_value_illegal_characters (foo=,bar=3 discards all)', headers: { traceparent: TP, tracestate: 'foo=,bar=3' }, expect: 'kept', tracestate: undefined },
  { test: 'test_propagates_random_flag (Level 2)', headers: { traceparent: `00-${T}-${P}-02` }, expect: 'kept', flags: '02' },
];

function checkOutgoing(c: SuiteCase, x: Exchange): void {
  const tp = x.outgoing.traceparent;
  assert.ok(tp !== undefined && TRACEPARENT_RE.test(tp), `one valid version-00 traceparent, got ${tp}`);
  const traceId = tp.slice(3, 35);
  const parentId = tp.slice(36, 52);
  assert.notEqual(traceId, '0'.repeat(32));
  assert.notEqual(parentId, '0'.repeat(16));
  assert.notEqual(parentId, P, 'never the incoming parent-id');
  if (c.expect === 'kept') {
    assert.equal(traceId, T);
    assert.ok(x.extracted !== null);
    assert.equal(x.extracted.spanId, P);
    assert.equal(tp.slice(53), c.flags ?? '01', 'flags carried');
  } else {
    assert.equal(x.extracted, null);
    assert.notEqual(traceId, T);
    assert.ok(!tp.includes(P));
  }
  if ('tracestate' in c) assert.equal(x.outgoing.tracestate, c.tracestate);
}

describe('W3C trace-context suite over real HTTP (every test.py case at Level 2, strict)', () => {
  let server: PropagationServer;
  before(async () => {
    server = await startPropagationServer(createPropagator({ extract: ['w3c'], inject: ['w3c'] }));
  });
  after(() => server.close());

  for (const c of cases) {
    test(c.test, async () => checkOutgoing(c, await server.send(c.headers)));
  }

  test('test_tracestate_included_traceparent_missing: foo=1 and foo=1,bar=2 give the same output size', async () => {
    const a = await server.send({ tracestate: 'foo=1' });
    const b = await server.send({ tracestate: 'foo=1,bar=2' });
    assert.equal(JSON.stringify(a.outgoing).length, JSON.stringify(b.outgoing).length);
  });

  for (const [name, headers] of [
    ['test_multiple_requests_with_valid_traceparent', { traceparent: TP }],
    ['test_multiple_requests_without_traceparent', {}],
    ['test_multiple_requests_with_illegal_traceparent', { traceparent: `00-${'0'.repeat(32)}-${P}-01` }],
  ] as const) {
    test(`AdvancedTest ${name}: three outgoing calls, three parent ids`, () => {
      const parent = createPropagator().extract(headers);
      const root = createRootTraceContext(true);
      const propagator = createPropagator();
      const outgoing = [0, 1, 2].map(() => {
        const h: Record<string, string> = {};
        const base = parent ?? root;
        propagator.inject(base.createChild(), h);
        return h.traceparent!;
      });
      assert.equal(new Set(outgoing.map((tp) => tp.slice(36, 52))).size, 3);
      for (const tp of outgoing) {
        assert.match(tp, TRACEPARENT_RE);
        assert.notEqual(tp.slice(3, 35), '0'.repeat(32));
        if (name === 'test_multiple_requests_with_valid_traceparent') assert.equal(tp.slice(3, 35), T);
      }
    });
  }
});

