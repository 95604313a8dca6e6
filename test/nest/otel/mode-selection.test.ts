// Choosing the mode at startup, in a process where no OpenTelemetry SDK is registered:
// 'auto' runs natively and says so once, 'otel' refuses to start, bad modes name themselves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Logger, Module, type DynamicModule } from '@nestjs/common';
import * as otelApi from '@opentelemetry/api';
import { ErrorCodes, OtelBridgeTracer, Tracer, getGlobalTracer, selectTracingMode, type OtelApi } from '../../../engine/index.js';
import { RequestContextService, TraceContextModule, getTracingRuntime, type TraceContextModuleOptions } from '../../../nest/index.js';
import { resolveTracingMode } from '../../../nest/otel/tracing-mode.js';
import { request, startApp } from '../helpers.js';

@Controller()
class TraceController {
  @Get('trace')
  trace(): { traceId: string | undefined } {
    return { traceId: RequestContextService.getTraceContext()?.traceId };
  }
}

function app(options: TraceContextModuleOptions) {
  @Module({ imports: [TraceContextModule.forRoot(options) as DynamicModule], controllers: [TraceController] })
  class App {}
  return App;
}

const absent = (): OtelApi | null => null;
const installed = (): OtelApi => otelApi as unknown as OtelApi;

test("mode 'auto' without a registered SDK runs this library's own tracer", async (t) => {
  const started = await startApp(app({ mode: 'auto', exporters: [], responseHeaders: { traceparent: true } }));
  t.after(() => started.close());
  const tracer = getTracingRuntime()?.tracer;
  assert.ok(tracer instanceof Tracer && !(tracer instanceof OtelBridgeTracer));
  assert.equal(getGlobalTracer(), tracer);
  const res = await request(started.origin, '/trace');
  assert.match(res.headers['traceparent'] as string, new RegExp(`^00-${res.json().traceId}-[0-9a-f]{16}-03$`), 'sampled + random: the native engine made it');
});

test("mode 'auto' logs its choice once, with the reason", () => {
  const lines: string[] = [];
  const sink = { log: (m: unknown, c?: unknown) => lines.push(`${String(c)}: ${String(m)}`), error() {}, warn() {}, debug() {}, verbose() {} };
  Logger.overrideLogger(sink);
  try {
    assert.equal(resolveTracingMode('auto', installed), null);
    assert.equal(resolveTracingMode('native', installed), null);
    assert.equal(resolveTracingMode(undefined, installed), null);
  } finally {
    Logger.overrideLogger(false);
  }
  assert.deepEqual(lines, ['TraceContextModule: mode "auto": tracing natively (no OpenTelemetry tracer provider is registered)']);
});

test('selectTracingMode: what is installed and registered decides, and the reason says which', () => {
  assert.deepEqual(selectTracingMode('auto', 'mode', absent), { mode: 'native', api: null, reason: '@opentelemetry/api is not installed' });
  assert.equal(selectTracingMode('auto', 'mode', installed).mode, 'native');
  assert.equal(selectTracingMode('native', 'mode', () => assert.fail('native never loads the api')).mode, 'native');
  assert.throws(() => selectTracingMode('otel', 'mode', absent), {
    code: ErrorCodes.ERR_OTEL_NOT_REGISTERED,
    message: /mode "otel" needs a registered OpenTelemetry SDK, but @opentelemetry\/api is not installed/,
  });
  assert.throws(() => selectTracingMode('otel', 'mode', installed), { code: ErrorCodes.ERR_OTEL_NOT_REGISTERED });
  for (const bad of ['OTEL', 'opentelemetry', 1, null, {}]) {
    assert.throws(() => selectTracingMode(bad, 'mode', installed), { code: ErrorCodes.ERR_INVALID_OPTION, name: 'TraceContextTypeError' });
  }
});

test("mode 'otel' with tracing off needs no SDK; a misspelt mode still fails", async (t) => {
  const started = await startApp(app({ mode: 'otel', enabled: false }));
  t.after(() => started.close());
  assert.equal(getTracingRuntime(), null);
  assert.equal((await request(started.origin, '/trace')).status, 200);
  await assert.rejects(startApp(app({ mode: 'otle' as never, enabled: false })), { code: ErrorCodes.ERR_INVALID_OPTION, message: /mode.*"otle"/ });
});
