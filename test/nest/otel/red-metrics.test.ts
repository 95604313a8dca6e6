// 'otel' mode with `metrics`: the RED series of CLIENT spans (outbound fetch) and CONSUMER
// spans (jobs) are counted as in native mode, sampled by the SDK or not, with their failures;
// server requests once (by the request hooks). The SDK's own sampler is switched per test.
// Registering a provider is process-wide: its own test file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySpanExporter, SamplingDecision, simpleProcessor, type Sampler, registerProvider } from './sdk.js';
import { ErrorCodes, OtelBridgeTracer, loadOtelApi, runWithTraceContext } from '../../../engine/index.js';
import { getTracingRuntime } from '../../../nest/index.js';
import { delay, request, startApp } from '../helpers.js';
import { MetricsProbeModule } from '../metrics/metrics-app.js';
import { readScrape, seriesKey } from '../metrics/prometheus-samples.js';
import { startDownstream } from './otel-app.js';

let sampled = true;
const toggled: Sampler = {
  shouldSample: () => ({ decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD }),
  toString: () => 'toggled',
};
const exporter = new InMemorySpanExporter();
await registerProvider({ sampler: toggled, spanProcessors: [simpleProcessor(exporter)] });

async function runScenario(t: { after(fn: () => unknown): void }, sdkSamples: boolean) {
  sampled = sdkSamples;
  const downstream = await startDownstream();
  t.after(() => downstream.close());
  const app = await startApp(MetricsProbeModule.withTraceContextModule({ mode: 'otel', metrics: true }));
  t.after(() => app.close());
  assert.ok(getTracingRuntime()?.tracer instanceof OtelBridgeTracer);
  exporter.reset();

  for (let i = 0; i < 3; i++) {
    const res = await request(app.origin, `/call?url=${encodeURIComponent(`${downstream.origin}/down`)}`);
    assert.equal(res.status, 200);
  }
  const outcomes = [true, false, true, false, false];
  for (const ok of outcomes) {
    await runWithTraceContext({}, 'process emails', async () => {
      await delay(1);
      if (!ok) throw new Error('smtp down');
    }).catch((err: Error) => assert.equal(err.message, 'smtp down'));
  }
  const series = readScrape((await request(app.origin, '/metrics')).body);
  const emails = series.get(seriesKey('process emails', 'consumer', 'none'));
  assert.equal(emails?.requests, outcomes.length, 'every job run');
  assert.equal(emails?.errors, 3, 'failed runs are errors');
  assert.ok(emails!.sum >= outcomes.length, 'each run waited at least 1 ms');
  const client = series.get(seriesKey('GET', 'client', 'none'));
  assert.equal(client?.requests, 3, 'every outbound fetch');
  assert.equal(client?.errors, 0);
  assert.equal(series.get(seriesKey('/call', 'server', '2xx'))?.requests, 3, 'server requests counted once, by the request hooks');
  return exporter.getFinishedSpans();
}

test("mode 'otel' with metrics: outbound CLIENT and job CONSUMER spans are counted with their errors", async (t) => {
  const spans = await runScenario(t, true);
  assert.equal(spans.filter((s) => s.name === 'process emails').length, 5, 'and the SDK exported them');
});

test("mode 'otel' with metrics: spans the SDK's sampler drops are counted all the same", async (t) => {
  const spans = await runScenario(t, false);
  assert.equal(spans.length, 0, 'nothing sampled, nothing exported');
});

test('OtelBridgeTracer: onSpanEnd must be a function', () => {
  const api = loadOtelApi();
  assert.ok(api !== null);
  assert.throws(() => new OtelBridgeTracer(api, { onSpanEnd: 'count' as never }), { code: ErrorCodes.ERR_INVALID_OPTION });
});
