// Trace continuation through the module for every extract format, and hostile headers: bad
// trace headers start a new trace and bad request ids are replaced; neither is ever echoed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { createPropagator } from '../../engine/index.js';
import { RequestContextModule, RequestContextService, TraceContext, type RequestContextModuleOptions } from '../../nest/index.js';
import { resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request, startApp } from './helpers.js';

const TRACE = 'a3ce929d0e0e47364bf92f3577b34da6';
const SPAN = '00f067aa0ba902b7';

@Controller()
class TraceController {
  @Get('trace')
  trace(): { traceId: string | undefined; id: string | undefined } {
    return { traceId: RequestContextService.getTraceContext()?.traceId, id: RequestContextService.getRequestId() };
  }
}

function appModule(options: RequestContextModuleOptions): DynamicModule {
  @Module({})
  class App {}
  return { module: App, imports: [RequestContextModule.forRoot(options)], controllers: [TraceController] };
}

const FORMATS = ['w3c', 'b3', 'b3multi', 'zipkin', 'jaeger', 'datadog', 'custom'] as const;
const CUSTOM = { traceId: 'x-trace-id', spanId: 'x-parent-span' };

for (const format of FORMATS) {
  test(`extract format "${format}" continues the caller's trace and parents the server span on the caller's span`, async (t) => {
    resetFinishedSpans();
    const app = await startApp(
      appModule({
        tracing: {
          propagation: { extract: [format], inject: ['w3c'] },
          headers: format === 'custom' ? CUSTOM : undefined,
          exporters: [{ type: 'memory' }],
          responseHeaders: { traceparent: true },
        },
      }),
    );
    t.after(() => app.close());
    const headers: Record<string, string> = {};
    const caller = TraceContext.from({ traceId: TRACE, spanId: SPAN, sampled: true });
    createPropagator({ inject: [format], headers: format === 'custom' ? CUSTOM : undefined }).inject(caller, headers);
    assert.ok(Object.keys(headers).length > 0, `${format} wrote headers`);
    const r = await request(app.origin, '/trace', { headers });
    assert.equal(r.json().traceId, TRACE);
    const [span] = await waitForFinishedSpans(1);
    assert.equal(span!.traceId, TRACE);
    assert.equal(span!.parentSpanId, SPAN);
    assert.match(r.headers['traceparent'] as string, new RegExp(`^00-${TRACE}-${span!.spanId}-0[13]$`));
  });
}

test('extract format "newrelic" continues the trace from a newrelic header', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { propagation: { extract: ['newrelic'], inject: ['w3c'] }, exporters: [{ type: 'memory' }] } }));
  t.after(() => app.close());
  const payload = { v: [0, 1], d: { ty: 'App', ac: '1', ap: '2', id: SPAN, tr: TRACE, sa: true, pr: 1.2, ti: Date.now() } };
  const r = await request(app.origin, '/trace', { headers: { newrelic: Buffer.from(JSON.stringify(payload)).toString('base64') } });
  assert.equal(r.json().traceId, TRACE);
  const [span] = await waitForFinishedSpans(1);
  assert.equal(span!.parentSpanId, SPAN);
});

test('several extract formats: the first valid one in the configured order wins', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { propagation: { extract: ['b3', 'w3c'], inject: ['w3c'] }, exporters: [{ type: 'memory' }] } }));
  t.after(() => app.close());
  const other = 'ffffffffffffffff0000000000000001';
  const r = await request(app.origin, '/trace', {
    headers: { b3: 'not-valid', traceparent: `00-${other}-${SPAN}-01` },
  });
  assert.equal(r.json().traceId, other, 'invalid b3 falls through to w3c');
});

const BAD_TRACEPARENTS: Array<[string, string | string[]]> = [
  ['all-zero trace id', `00-00000000000000000000000000000000-${SPAN}-01`],
  ['all-zero span id', `00-${TRACE}-0000000000000000-01`],
  ['version ff', `ff-${TRACE}-${SPAN}-01`],
  ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
  ['short trace id', `00-${TRACE.slice(2)}-${SPAN}-01`],
  ['non-hex flags', `00-${TRACE}-${SPAN}-zz`],
  ['version 00 with a trailing field', `00-${TRACE}-${SPAN}-01-extra`],
  ['script injection', `00-${TRACE}-${SPAN}-01<script>alert(1)</script>`],
  ['repeated header', [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`]],
  ['future version valid but over 8 KiB', `cc-${TRACE}-${SPAN}-01-${'a'.repeat(9000)}`],
];

test('bad traceparent headers of every kind start a new trace and are never echoed', async (t) => {
  resetFinishedSpans();
  const app = await startApp(appModule({ tracing: { exporters: [{ type: 'memory' }], responseHeaders: { traceparent: true, serverTiming: true } } }));
  t.after(() => app.close());
  for (const [name, value] of BAD_TRACEPARENTS) {
    const r = await request(app.origin, '/trace', { headers: { traceparent: value, tracestate: 'k=v' } });
    assert.equal(r.status, 200, name);
    const traceId = r.json().traceId as string;
    assert.match(traceId, /^[0-9a-f]{32}$/, name);
    assert.notEqual(traceId, TRACE, `${name}: a new trace`);
    const echoed = JSON.stringify(r.headers) + r.body;
    for (const v of Array.isArray(value) ? value : [value]) assert.ok(!echoed.includes(v.trim()), `${name}: never echoed`);
    assert.ok(!echoed.includes('k=v'), `${name}: tracestate of an invalid traceparent is dropped`);
  }
  const spans = await waitForFinishedSpans(BAD_TRACEPARENTS.length);
  for (const span of spans) assert.equal(span.parentSpanId, undefined, 'every one is a root');
});

const BAD_REQUEST_IDS: Array<[string, string | string[]]> = [
  ['space', 'a b'],
  ['too long', 'x'.repeat(129)],
  ['empty', ''],
  ['markup', '<script>alert(1)</script>'],
  ['quote and semicolon', 'a";b'],
  ['repeated header', ['dup-one-x', 'dup-two-x']],
];

test('bad x-request-id values are replaced by a generated id and never echoed', async (t) => {
  const app = await startApp(appModule({ tracing: false }));
  t.after(() => app.close());
  for (const [name, value] of BAD_REQUEST_IDS) {
    const r = await request(app.origin, '/trace', { headers: { 'x-request-id': value } });
    const id = r.json().id as string;
    assert.notDeepEqual(id, value, name);
    assert.match(id, /^[0-9a-f]{8}-\d+$/, `${name}: a generated id`);
    assert.equal(r.headers['x-request-id'], id, `${name}: the generated id is echoed instead`);
    if (value !== '') for (const v of Array.isArray(value) ? value : [value]) assert.ok(!(JSON.stringify(r.headers) + r.body).includes(v), `${name}: never echoed`);
  }
});
