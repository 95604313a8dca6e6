// Every check of the W3C trace-context test harness (w3c/trace-context test/test.py, Level 1
// strict + AdvancedTest + Level 2), as data: the headers sent to POST /test, how many
// callbacks, and what the callbacks must show. Row names are the harness's test names.

export const TRACE_ID = '12345678901234567890123456789012';
export const PARENT_ID = '1234567890123456';
const TP = `00-${TRACE_ID}-${PARENT_ID}-01`;

export interface Received {
  /** The single traceparent's parts (the runner has checked there is exactly one, well-formed). */
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: number;
  /** tracestate members as [key, value], in order ([] when absent). */
  readonly tracestate: readonly (readonly [string, string])[];
  /** The raw tracestate header, or undefined. */
  readonly rawTracestate: string | undefined;
}

export interface Case {
  readonly name: string;
  /** Header lines, in order; names exactly as sent (case, duplicates). */
  readonly headers: readonly (readonly [string, string])[];
  /** Number of callbacks in the body (3 in AdvancedTest). */
  readonly calls?: number;
  /** Throws (assert) when the callbacks are wrong. */
  readonly check: (received: readonly Received[], assert: Asserts) => void;
}

export interface Asserts {
  equal(actual: unknown, expected: unknown, message?: string): void;
  notEqual(actual: unknown, expected: unknown, message?: string): void;
  ok(value: unknown, message?: string): void;
}

const kept = (r: readonly Received[], a: Asserts): void => {
  a.equal(r[0]!.traceId, TRACE_ID, 'trace id kept');
  a.notEqual(r[0]!.parentId, PARENT_ID, 'new parent-id');
};
const restarted = (r: readonly Received[], a: Asserts): void => {
  a.notEqual(r[0]!.traceId, TRACE_ID, 'new trace id');
};
const member = (r: Received, key: string): string | undefined => r.tracestate.find(([k]) => k === key)?.[1];
const keptWith = (members: Record<string, string>) => (r: readonly Received[], a: Asserts): void => {
  kept(r, a);
  for (const [k, v] of Object.entries(members)) a.equal(member(r[0]!, k), v, `tracestate ${k}=${v}`);
};
const keptWithout = (...keys: string[]) => (r: readonly Received[], a: Asserts): void => {
  kept(r, a);
  for (const k of keys) a.equal(member(r[0]!, k), undefined, `tracestate has no ${k}`);
};

const tp = (value: string): [string, string][] => [['traceparent', value]];
const tpCases = (name: string, values: string[], check: Case['check']): Case[] =>
  values.map((value, i) => ({ name: `${name} #${i + 1}`, headers: tp(value), check }));

const ALL_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const ALL_VALUE_CHARS = ' !"#$%&\'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
const members = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `bar${String(from + i).padStart(2, '0')}=${String(from + i).padStart(2, '0')}`).join(',');

export const CASES: readonly Case[] = [
  // ---- TraceContextTest (Level 1)
  { name: 'test_both_traceparent_and_tracestate_missing', headers: [], check: () => undefined },
  { name: 'test_traceparent_included_tracestate_missing', headers: tp(TP), check: kept },
  {
    name: 'test_traceparent_duplicated',
    headers: [
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
      ['traceparent', `00-11111111111111111111111111111111-${PARENT_ID}-01`],
    ],
    check: (r, a) => {
      a.notEqual(r[0]!.traceId, TRACE_ID);
      a.notEqual(r[0]!.traceId, '11111111111111111111111111111111');
    },
  },
  { name: 'test_traceparent_header_name #1', headers: [['trace-parent', TP]], check: restarted },
  { name: 'test_traceparent_header_name #2', headers: [['trace.parent', TP]], check: restarted },
  ...['TraceParent', 'TrAcEpArEnT', 'TRACEPARENT'].map((name, i): Case => ({
    name: `test_traceparent_header_name_valid_casing #${i + 1}`,
    headers: [[name, TP]],
    check: kept,
  })),
  ...tpCases('test_traceparent_version_0x00', [`${TP}.`, `${TP}-what-the-future-will-be-like`], restarted),
  ...tpCases('test_traceparent_version_0xcc', [`cc-${TRACE_ID}-${PARENT_ID}-01`, `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`], kept),
  ...tpCases('test_traceparent_version_0xcc (dot suffix)', [`cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`], restarted),
  ...tpCases('test_traceparent_version_0xff', [`ff-${TRACE_ID}-${PARENT_ID}-01`], restarted),
  ...tpCases('test_traceparent_version_illegal_characters', [`.0-${TRACE_ID}-${PARENT_ID}-01`, `0.-${TRACE_ID}-${PARENT_ID}-01`], restarted),
  ...tpCases('test_traceparent_version_too_long', [`000-${TRACE_ID}-${PARENT_ID}-01`, `0000-${TRACE_ID}-${PARENT_ID}-01`], restarted),
  ...tpCases('test_traceparent_version_too_short', [`0-${TRACE_ID}-${PARENT_ID}-01`], restarted),
  ...tpCases('test_traceparent_trace_id_all_zero', [`00-00000000000000000000000000000000-${PARENT_ID}-01`], (r, a) =>
    a.notEqual(r[0]!.traceId, '00000000000000000000000000000000'),
  ),
  ...tpCases('test_traceparent_trace_id_illegal_characters', [`00-.2345678901234567890123456789012-${PARENT_ID}-01`, `00-1234567890123456789012345678901.-${PARENT_ID}-01`], (r, a) => {
    a.notEqual(r[0]!.traceId, '.2345678901234567890123456789012');
    a.notEqual(r[0]!.traceId, '1234567890123456789012345678901.');
  }),
  ...tpCases('test_traceparent_trace_id_too_long', [`00-123456789012345678901234567890123-${PARENT_ID}-01`], (r, a) => {
    a.notEqual(r[0]!.traceId, TRACE_ID);
    a.notEqual(r[0]!.traceId, '23456789012345678901234567890123');
  }),
  ...tpCases('test_traceparent_trace_id_too_short', [`00-1234567890123456789012345678901-${PARENT_ID}-01`], restarted),
  ...tpCases('test_traceparent_parent_id_all_zero', [`00-${TRACE_ID}-0000000000000000-01`], restarted),
  ...tpCases('test_traceparent_parent_id_illegal_characters', [`00-${TRACE_ID}-.234567890123456-01`, `00-${TRACE_ID}-123456789012345.-01`], restarted),
  ...tpCases('test_traceparent_parent_id_too_long', [`00-${TRACE_ID}-12345678901234567-01`], restarted),
  ...tpCases('test_traceparent_parent_id_too_short', [`00-${TRACE_ID}-123456789012345-01`], restarted),
  ...tpCases('test_traceparent_trace_flags_illegal_characters', [`00-${TRACE_ID}-${PARENT_ID}-.0`, `00-${TRACE_ID}-${PARENT_ID}-0.`], restarted),
  ...tpCases('test_traceparent_trace_flags_too_long', [`00-${TRACE_ID}-${PARENT_ID}-001`], restarted),
  ...tpCases('test_traceparent_trace_flags_too_short', [`00-${TRACE_ID}-${PARENT_ID}-1`], restarted),
  ...tpCases('test_traceparent_ows_handling', [` ${TP}`, `\t${TP}`, `${TP} `, `${TP}\t`, `\t ${TP} \t`], kept),
  ...['foo=1', 'foo=1,bar=2'].map((state, i): Case => ({
    name: `test_tracestate_included_traceparent_missing #${i + 1}`,
    headers: [['tracestate', state]],
    check: (r, a) => {
      restarted(r, a);
      a.equal(r[0]!.tracestate.length, 0, 'tracestate without a valid traceparent is dropped');
    },
  })),
  { name: 'test_tracestate_included_traceparent_included', headers: [...tp(TP), ['tracestate', 'foo=1,bar=2']], check: keptWith({ foo: '1', bar: '2' }) },
  { name: 'test_tracestate_header_name #1', headers: [...tp(TP), ['trace-state', 'foo=1']], check: keptWithout('foo') },
  { name: 'test_tracestate_header_name #2', headers: [...tp(TP), ['trace.state', 'foo=1']], check: keptWithout('foo') },
  ...['TraceState', 'TrAcEsTaTe', 'TRACESTATE'].map((name, i): Case => ({
    name: `test_tracestate_header_name_valid_casing #${i + 1}`,
    headers: [...tp(TP), [name, 'foo=1']],
    check: keptWith({ foo: '1' }),
  })),
  { name: 'test_tracestate_empty_header #1', headers: [...tp(TP), ['tracestate', '']], check: kept },
  { name: 'test_tracestate_empty_header #2', headers: [...tp(TP), ['tracestate', 'foo=1'], ['tracestate', '']], check: keptWith({ foo: '1' }) },
  { name: 'test_tracestate_empty_header #3', headers: [...tp(TP), ['tracestate', ''], ['tracestate', 'foo=1']], check: keptWith({ foo: '1' }) },
  {
    name: 'test_tracestate_multiple_headers_different_keys',
    headers: [...tp(TP), ['tracestate', 'foo=1,bar=2'], ['tracestate', 'rojo=1,congo=2'], ['tracestate', 'baz=3']],
    check: (r, a) => {
      kept(r, a);
      a.equal(r[0]!.tracestate.map(([k]) => k).join(','), 'foo,bar,rojo,congo,baz');
    },
  },
  ...[
    [['tracestate', 'foo=1,foo=1']],
    [['tracestate', 'foo=1,foo=2']],
    [['tracestate', 'foo=1'], ['tracestate', 'foo=1']],
    [['tracestate', 'foo=1'], ['tracestate', 'foo=2']],
  ].map((state, i): Case => ({
    name: `test_tracestate_duplicated_keys #${i + 1}`,
    headers: [...tp(TP), ...(state as [string, string][])],
    check: (r, a) => {
      kept(r, a);
      a.ok(['1', '2'].includes(member(r[0]!, 'foo') ?? ''), 'foo propagated with one of its values');
    },
  })),
  {
    name: 'test_tracestate_all_allowed_characters #1',
    headers: [...tp(TP), ['tracestate', `${ALL_KEY_CHARS}=${ALL_VALUE_CHARS}`]],
    check: keptWith({ [ALL_KEY_CHARS]: ALL_VALUE_CHARS }),
  },
  {
    name: 'test_tracestate_all_allowed_characters #2',
    headers: [...tp(TP), ['tracestate', `${ALL_KEY_CHARS}@a-z0-9_-*/=${ALL_VALUE_CHARS}`]],
    check: keptWith({ [`${ALL_KEY_CHARS}@a-z0-9_-*/`]: ALL_VALUE_CHARS }),
  },
  ...['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3', ' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t'].map((state, i): Case => ({
    name: `test_tracestate_ows_handling #${i + 1}`,
    headers: [...tp(TP), ['tracestate', state]],
    check: state.includes('bar') ? keptWith({ foo: '1', bar: '2', baz: '3' }) : keptWith({ foo: '1' }),
  })),
  ...['foo =1', 'FOO=1', 'foo.bar=1'].map((state, i): Case => ({
    name: `test_tracestate_key_illegal_characters #${i + 1}`,
    headers: [...tp(TP), ['tracestate', state]],
    check: keptWithout('foo', 'FOO', 'foo.bar'),
  })),
  ...['foo@=1,bar=2', 'foo@@bar=1,bar=2', 'foo@bar@baz=1,bar=2'].map((state, i): Case => ({
    name: `test_tracestate_key_illegal_vendor_format #${i + 1}`,
    headers: [...tp(TP), ['tracestate', state]],
    check: keptWith({ [state.slice(0, state.indexOf('=1'))]: '1', bar: '2' }),
  })),
  { name: 'test_tracestate_key_illegal_vendor_format #4', headers: [...tp(TP), ['tracestate', '@foo=1,bar=2']], check: keptWithout('bar', '@foo') },
  {
    name: 'test_tracestate_member_count_limit #1 (32)',
    headers: [...tp(TP), ['tracestate', members(1, 8)], ['tracestate', members(9, 16)], ['tracestate', members(17, 24)], ['tracestate', members(25, 32)]],
    check: (r, a) => {
      kept(r, a);
      a.equal(r[0]!.tracestate.length, 32);
    },
  },
  {
    name: 'test_tracestate_member_count_limit #2 (33)',
    headers: [...tp(TP), ['tracestate', members(1, 8)], ['tracestate', members(9, 16)], ['tracestate', members(17, 24)], ['tracestate', members(25, 33)]],
    check: keptWithout('bar01'),
  },
  { name: 'test_tracestate_key_length_limit #1 (256)', headers: [...tp(TP), ['tracestate', 'foo=1'], ['tracestate', 'z'.repeat(256) + '=1']], check: keptWith({ foo: '1', ['z'.repeat(256)]: '1' }) },
  { name: 'test_tracestate_key_length_limit #2 (257)', headers: [...tp(TP), ['tracestate', 'foo=1'], ['tracestate', 'z'.repeat(257) + '=1']], check: keptWithout('foo') },
  {
    name: 'test_tracestate_key_length_limit #3 (vendor key)',
    headers: [...tp(TP), ['tracestate', 'foo=1'], ['tracestate', 't'.repeat(241) + '@' + 'v'.repeat(14) + '=1']],
    check: keptWith({ foo: '1', ['t'.repeat(241) + '@' + 'v'.repeat(14)]: '1' }),
  },
  { name: 'test_tracestate_value_illegal_characters #1', headers: [...tp(TP), ['tracestate', 'foo=bar=baz']], check: keptWithout('foo') },
  { name: 'test_tracestate_value_illegal_characters #2', headers: [...tp(TP), ['tracestate', 'foo=,bar=3']], check: keptWithout('foo', 'bar') },
  // ---- AdvancedTest
  ...[
    ['test_multiple_requests_with_valid_traceparent', tp(TP)],
    ['test_multiple_requests_without_traceparent', []],
    ['test_multiple_requests_with_illegal_traceparent', tp(`00-00000000000000000000000000000000-${PARENT_ID}-01`)],
  ].map(([name, headers]): Case => ({
    name: name as string,
    headers: headers as [string, string][],
    calls: 3,
    check: (r, a) => {
      a.equal(r.length, 3);
      a.equal(new Set(r.map((x) => x.parentId)).size, 3, 'three distinct parent-ids');
      a.equal(new Set(r.map((x) => x.traceId)).size, 1, 'one trace');
      if ((headers as unknown[]).length > 0 && name === 'test_multiple_requests_with_valid_traceparent') a.equal(r[0]!.traceId, TRACE_ID);
      for (const x of r) a.notEqual(x.parentId, PARENT_ID);
    },
  })),
  // ---- TraceContext2Test (Level 2)
  {
    name: 'test_propagates_random_flag',
    headers: tp(`00-${TRACE_ID}-${PARENT_ID}-02`),
    check: (r, a) => {
      kept(r, a);
      a.equal(r[0]!.flags & 0x02, 0x02, 'random flag kept');
    },
  },
];
