// 200,000 spans pushed as fast as the event loop allows into a collector that answers slowly:
// memory stays bounded by the queue and the per-exporter backlog, and every span is accounted
// for exactly (exported + dropped = produced; the collector is slow, not failing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { createExportPipeline } from '../../../engine/export/export-pipeline.js';
import { startSink } from '../../helpers/sink.js';
import { decodeProtobufRequest } from './otlp-schema.js';
import { serverSpan } from './span-fixture.js';

const gc = (globalThis as { gc?: () => void }).gc;

test('200,000 spans into a slow collector: bounded memory, exact accounting', { timeout: 180_000 }, async (t) => {
  const sink = await startSink(() => ({ status: 200, delayMs: 40 }));
  const warnings: string[] = [];
  const p = createExportPipeline(
    {
      exporters: [{ type: 'otlp', endpoint: sink.url('/v1/traces') }],
      batch: { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 50, exportTimeoutMillis: 10_000 },
      logger: { warn: (m) => warnings.push(m) },
    },
    {},
  );
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let maxQueue = 0;
  let maxPending = 0;
  let heapPeak = 0;
  const produced = 200_000;
  for (let i = 0; i < produced; i++) {
    p.processor.onEnd(serverSpan(i));
    if ((i & 1023) === 1023) {
      const s = p.stats();
      maxQueue = Math.max(maxQueue, s.queueLength);
      maxPending = Math.max(maxPending, s.exporters[0]!.pending);
      if ((i & 16383) === 16383) {
        gc?.();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
      }
      await tick();
    }
  }
  await p.shutdown();
  const stats = p.stats();
  const delivered = sink.requests.reduce(
    (n, r) => n + (decodeProtobufRequest(r.body) as any).resourceSpans[0].scopeSpans[0].spans.length,
    0,
  );
  await sink.close();
  t.diagnostic(`exported ${stats.exported}, dropped ${stats.dropped} (queue ${stats.queueDropped}), max queue ${maxQueue}, max backlog ${maxPending}, retained heap peak ${(heapPeak / 1048576).toFixed(1)} MiB, ${warnings.length} warning lines`);

  assert.equal(stats.failed, 0);
  assert.equal(stats.exported + stats.dropped, produced, JSON.stringify(stats));
  assert.equal(delivered, stats.exported, 'the collector received exactly the spans counted as exported');
  assert.ok(stats.dropped > 0, 'a slow collector makes the pipeline drop');
  assert.ok(stats.exported >= 2048, `exported ${stats.exported}`);
  assert.ok(maxQueue <= 2048, `queue reached ${maxQueue}`);
  assert.ok(maxPending <= 2048, `backlog reached ${maxPending}`);
  if (gc !== undefined) assert.ok(heapPeak < 40 * 1024 * 1024, `retained heap grew by ${(heapPeak / 1048576).toFixed(1)} MiB`);
  assert.ok(warnings.some((w) => w.includes('in total')), 'the drop total is logged');
  assert.ok(warnings.length <= 4, `drops are logged when they start and as a total, not per batch (${warnings.length} lines)`);
});
