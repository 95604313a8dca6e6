// CONSUMER spans (background jobs through runWithTraceContext) are counted in a Nest app's RED
// metrics, sampled or not, through the tracer's span-end hook: with nothing sampled, every job
// run and every failed one is still in the scrape.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureTraceContext, runWithTraceContext } from '../../../nest/index.js';
import { delay, request, startApp } from '../helpers.js';
import { MetricsProbeModule } from './metrics-app.js';
import { readScrape, seriesKey } from './prometheus-samples.js';

test('job runs (CONSUMER spans) are counted with their failures at sampling 0, in one series per job name', async (t) => {
  const app = await startApp(
    MetricsProbeModule.with({ tracing: { sampler: { type: 'always_off' }, exporters: [] }, metrics: true }),
  );
  t.after(() => app.close());
  const carrier = captureTraceContext();
  const outcomes = [true, false, true, true, false, true, true];
  for (const ok of outcomes) {
    await runWithTraceContext(carrier, 'process emails', async () => {
      await delay(1);
      if (!ok) throw new Error('smtp down');
    }).catch((err: Error) => assert.equal(err.message, 'smtp down'));
  }
  runWithTraceContext(carrier, 'process invoices', () => 1, { link: true });

  const series = readScrape((await request(app.origin, '/metrics')).body);
  const emails = series.get(seriesKey('process emails', 'consumer', 'none'));
  assert.equal(emails?.requests, outcomes.length);
  assert.equal(emails?.errors, outcomes.filter((ok) => !ok).length);
  assert.equal(emails?.count, outcomes.length);
  assert.ok(emails!.sum >= outcomes.length, 'each run waited at least 1 ms');
  assert.equal(series.get(seriesKey('process invoices', 'consumer', 'none'))?.requests, 1);
});
