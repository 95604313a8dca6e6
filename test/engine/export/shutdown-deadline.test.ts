// shutdownTimeoutMillis: validated like every option; from the first flushBeforeShutdown() or
// shutdown(), each send is given only what is left of the deadline (and never more than the
// export timeout, OTEL_BSP_EXPORT_TIMEOUT), and what is unsent at the deadline is dropped with
// shutdown as its reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import type { SendOutcome, SpanExporter } from '../../../engine/export/span-exporter.js';
import { makeSpans } from './span-fixture.js';

/** Sends that hang until shutdown() ends them, recording the timeout each was given. */
class HangingExporter implements SpanExporter<number> {
  readonly name = 'hanging';
  readonly timeouts: number[] = [];
  private readonly pending: Array<() => void> = [];
  serialize(_spans: unknown, count: number): number {
    return count;
  }
  send(count: number, _n: number, timeoutMs: number): Promise<SendOutcome> {
    this.timeouts.push(timeoutMs);
    return new Promise((resolve) =>
      this.pending.push(() => resolve({ accepted: 0, rejected: 0, failed: count, retries: 0, error: new Error('shut down') })),
    );
  }
  shutdown(): Promise<void> {
    for (const end of this.pending.splice(0)) end();
    return Promise.resolve();
  }
}

const quiet = { warn: () => undefined };

test('shutdownTimeoutMillis must be a positive integer; the error names the option path', () => {
  for (const bad of [0, -1, 1.5, '5000', null]) {
    assert.throws(
      () => createExportPipeline({ logger: quiet, exporters: [], shutdownTimeoutMillis: bad as never }, {}, 'tracing'),
      (e: Error) => e.message.includes('tracing.shutdownTimeoutMillis') && e.message.includes('positive integer'),
    );
  }
});

test('sends during shutdown get what is left of the deadline, not the export timeout; the rest is dropped at the deadline', async () => {
  const exporter = new HangingExporter();
  const lines: string[] = [];
  const pipeline = createExportPipeline(
    {
      logger: { warn: (m) => lines.push(m) },
      exporters: [{ type: 'custom', exporter }],
      batch: { scheduledDelayMillis: 60_000, maxExportBatchSize: 10, exportTimeoutMillis: 60_000 },
      shutdownTimeoutMillis: 300,
    },
    {},
  );
  for (const span of makeSpans(35)) pipeline.processor.onEnd(span);
  // The first full batch left before shutdown with the whole export timeout.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(exporter.timeouts, [60_000]);
  await pipeline.flushBeforeShutdown();
  await pipeline.shutdown();
  const stats = pipeline.getExportStats();
  assert.equal(stats.exported, 0);
  assert.equal(stats.shutdownDropped, 35, 'the batch in flight and the backlog');
  assert.equal(stats.dropped, 35);
  assert.equal(stats.failed, 0);
  assert.equal(exporter.timeouts.length, 1, 'no batch was started behind the hanging one');
  assert.ok(lines.some((l) => l.includes('35 spans dropped, still unsent when the shutdown deadline (300 ms) passed')), lines.join('\n'));
});

test('with a smaller OTEL_BSP_EXPORT_TIMEOUT, a send during shutdown gets the export timeout', async () => {
  const exporter = new HangingExporter();
  const pipeline = createExportPipeline(
    { logger: quiet, exporters: [{ type: 'custom', exporter }], batch: { scheduledDelayMillis: 60_000 }, shutdownTimeoutMillis: 60_000 },
    { OTEL_BSP_EXPORT_TIMEOUT: '50' },
  );
  for (const span of makeSpans(3)) pipeline.processor.onEnd(span);
  await pipeline.shutdown();
  assert.equal(exporter.timeouts.length, 1);
  assert.ok(exporter.timeouts[0]! <= 50, `timeout given: ${exporter.timeouts[0]}`);
  assert.equal(pipeline.getExportStats().shutdownDropped, 3);
});
