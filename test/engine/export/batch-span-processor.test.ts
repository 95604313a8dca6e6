// The batch processor: bounded queue, drops counted and logged once then as a total, batches
// of at most maxExportBatchSize, serialization off the request path, records released exactly
// once after every exporter serialized them, one request in flight per exporter, exporters
// independent of each other, idempotent and bounded flush/shutdown.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { BatchSpanProcessor } from '../../../engine/export/batch-span-processor.js';
import { resolveBatchOptions, type BatchOptions } from '../../../engine/export/batch-options.js';
import { MemorySpanExporter } from '../../../engine/export/memory-exporter.js';
import type { SendOutcome, SpanExporter } from '../../../engine/export/span-exporter.js';
import type { SpanData } from '../../../engine/spans/span-data.js';
import { makeSpan, makeSpans } from './span-fixture.js';

function collectingLogger(): { warn(m: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m: string) => lines.push(m) };
}

/** With mocked timers: `promise` is still pending 1 ms before `ms` from now, and settles at `ms`. */
async function settlesAt(t: TestContext, promise: Promise<unknown>, ms: number, pendingBefore: string): Promise<void> {
  let settled = false;
  const watched = promise.then(() => void (settled = true));
  await tick();
  t.mock.timers.tick(ms - 1);
  await tick();
  await tick();
  assert.equal(settled, false, pendingBefore);
  t.mock.timers.tick(1);
  await watched;
}

function processor(exporters: SpanExporter[], batch: BatchOptions, logger = collectingLogger()): BatchSpanProcessor {
  return new BatchSpanProcessor(exporters, resolveBatchOptions(batch, {}, logger), logger);
}

/** Records batch sizes; each send waits until the test releases it (when `gated`). */
class ScriptedExporter implements SpanExporter<string[]> {
  readonly name: string;
  serializeCalls = 0;
  batches: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  private gates: Array<() => void> = [];
  gated: boolean;
  failWith: Error | null = null;
  stopped = false;

  constructor(name: string, gated = false) {
    this.name = name;
    this.gated = gated;
  }

  serialize(spans: readonly SpanData[], count: number): string[] {
    this.serializeCalls++;
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(spans[i]!.name);
    return names;
  }

  async send(payload: string[], count: number): Promise<SendOutcome> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.gated && !this.stopped) await new Promise<void>((resolve) => this.gates.push(resolve));
    this.inFlight--;
    if (this.stopped) return { accepted: 0, rejected: 0, failed: count, retries: 0, error: new Error('stopped') };
    if (this.failWith !== null) return { accepted: 0, rejected: 0, failed: count, retries: 0, error: this.failWith };
    this.batches.push(payload);
    return { accepted: count, rejected: 0, failed: 0, retries: 0, error: null };
  }

  openGate(): void {
    this.gates.shift()?.();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const g of this.gates.splice(0)) g();
  }
}

test('onEnd only queues: nothing is serialized until the scheduled flush runs', async () => {
  const exporter = new ScriptedExporter('x');
  const p = processor([exporter], { scheduledDelayMillis: 10, maxExportBatchSize: 4, maxQueueSize: 8 });
  const spans = makeSpans(3);
  for (const s of spans) p.onEnd(s);
  assert.equal(exporter.serializeCalls, 0);
  assert.equal(p.getExportStats().queueLength, 3);
  assert.ok(spans.every((s) => s.releases === 0));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(exporter.serializeCalls, 1);
  assert.deepEqual(exporter.batches, [spans.map(() => 'GET /users/:id')]);
  assert.ok(spans.every((s) => s.releases === 1));
  await p.shutdown();
});

test('a full batch is exported on the next turn of the event loop, not inside onEnd', async () => {
  const exporter = new ScriptedExporter('x');
  const p = processor([exporter], { scheduledDelayMillis: 60_000, maxExportBatchSize: 4, maxQueueSize: 16 });
  for (const s of makeSpans(4)) p.onEnd(s);
  assert.equal(exporter.serializeCalls, 0);
  await tick();
  await tick();
  assert.equal(exporter.batches.length, 1);
  assert.equal(exporter.batches[0]!.length, 4);
  await p.shutdown();
});

test('batches never exceed maxExportBatchSize', async () => {
  const exporter = new ScriptedExporter('x');
  const p = processor([exporter], { scheduledDelayMillis: 60_000, maxExportBatchSize: 5, maxQueueSize: 64 });
  for (const s of makeSpans(23)) p.onEnd(s);
  await p.forceFlush();
  assert.deepEqual(
    exporter.batches.map((b) => b.length),
    [5, 5, 5, 5, 3],
  );
  assert.equal(p.getExportStats().exported, 23);
  await p.shutdown();
});

test('a full queue drops new spans, releases them, counts them exactly, logs once when dropping starts and the total at shutdown', async () => {
  const exporter = new ScriptedExporter('x');
  const logger = collectingLogger();
  const p = processor([exporter], { scheduledDelayMillis: 60_000, maxExportBatchSize: 10, maxQueueSize: 10 }, logger);
  // 10 fill the queue (and schedule an immediate drain); 15 more are dropped in the same tick.
  const spans = makeSpans(25);
  for (const s of spans) p.onEnd(s);
  assert.equal(p.getExportStats().queueLength, 10);
  assert.equal(p.getExportStats().dropped, 15);
  assert.ok(spans.slice(10).every((s) => s.releases === 1), 'dropped spans go back to the pool at once');
  assert.equal(logger.lines.filter((l) => l.includes('queue full')).length, 1, 'one line when dropping starts');
  await p.forceFlush();
  for (const s of makeSpans(30)) p.onEnd(s);
  assert.equal(logger.lines.length, 1, 'a second episode within the interval adds no line');
  await p.shutdown();
  assert.deepEqual(logger.lines.slice(1), ['span queue full (10 spans): dropped 35 spans in total']);
  const stats = p.getExportStats();
  assert.equal(stats.exported, 20);
  assert.equal(stats.exported + stats.dropped, 55);
  assert.ok(spans.every((s) => s.releases === 1));
});

test('recording-but-unsampled spans are released and not exported', async () => {
  const exporter = new ScriptedExporter('x');
  const p = processor([exporter], { scheduledDelayMillis: 60_000 });
  const span = makeSpan({ traceFlags: 0 });
  p.onEnd(span);
  assert.equal(span.releases, 1);
  await p.forceFlush();
  assert.equal(exporter.serializeCalls, 0);
  assert.deepEqual({ ...p.getExportStats(), exporters: [] }, { exported: 0, dropped: 0, failed: 0, retried: 0, queueLength: 0, queueDropped: 0, shutdownDropped: 0, exporters: [] });
  await p.shutdown();
});

test('each record is released exactly once, after every exporter has serialized it', async () => {
  const order: string[] = [];
  const watcher = (name: string): SpanExporter<null> => ({
    name,
    serialize(spans, count) {
      for (let i = 0; i < count; i++) order.push(`${name}:${(spans[i] as ReturnType<typeof makeSpan>).releases}`);
      return null;
    },
    send: (_p, count) => Promise.resolve({ accepted: count, rejected: 0, failed: 0, retries: 0, error: null }),
    shutdown: () => Promise.resolve(),
  });
  const p = processor([watcher('a'), watcher('b')], { scheduledDelayMillis: 60_000 });
  const spans = makeSpans(3);
  for (const s of spans) p.onEnd(s);
  await p.forceFlush();
  assert.deepEqual(order, ['a:0', 'a:0', 'a:0', 'b:0', 'b:0', 'b:0']);
  assert.ok(spans.every((s) => s.releases === 1));
  await p.shutdown();
  assert.ok(spans.every((s) => s.releases === 1));
});

test('at most one export is in flight per exporter; later batches wait in its backlog', async () => {
  const exporter = new ScriptedExporter('gated', true);
  const p = processor([exporter], { scheduledDelayMillis: 60_000, maxExportBatchSize: 2, maxQueueSize: 100 });
  for (const s of makeSpans(6)) p.onEnd(s);
  const flushed = p.forceFlush();
  await tick();
  assert.equal(exporter.inFlight, 1);
  assert.equal(p.getExportStats().exporters[0]!.pending, 6);
  for (let i = 0; i < 3; i++) {
    exporter.openGate();
    await tick();
    await tick();
  }
  await flushed;
  assert.equal(exporter.maxInFlight, 1);
  assert.equal(exporter.batches.length, 3);
  assert.equal(p.getExportStats().exporters[0]!.pending, 0);
  await p.shutdown();
});

test('a stalled exporter neither delays nor drops another exporter\'s spans', async (t) => {
  // Timers mocked: "shutdown is bounded by exportTimeoutMillis" is checked on the timer's own
  // schedule, not on a wall clock a loaded machine stretches.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const stalled = new ScriptedExporter('stalled', true);
  const memory = new MemorySpanExporter();
  const p = processor([stalled, memory], { scheduledDelayMillis: 60_000, maxExportBatchSize: 4, maxQueueSize: 8, exportTimeoutMillis: 200 });
  const spans = makeSpans(40);
  for (let i = 0; i < 40; i += 4) {
    for (const s of spans.slice(i, i + 4)) p.onEnd(s);
    await tick();
    await tick();
  }
  assert.equal(memory.getFinishedSpans().length, 40, 'the healthy exporter got every span at once');
  const stats = p.getExportStats();
  const [s0, s1] = stats.exporters;
  assert.equal(s1!.exported, 40);
  assert.equal(s1!.dropped, 0);
  // The stalled one holds one batch in flight and one queue's worth (8) waiting; the rest is dropped.
  assert.equal(s0!.pending, 8);
  assert.equal(s0!.dropped, 32);
  assert.equal(stats.queueDropped, 0);
  assert.ok(spans.every((s) => s.releases === 1), 'records are not held by the stalled exporter');
  await settlesAt(t, p.shutdown(), 200, 'shutdown waits for the stalled export until exportTimeoutMillis');
  const final = p.getExportStats().exporters[0]!;
  assert.equal(final.exported + final.dropped + final.failed, 40);
});

test('an exporter whose serialize throws loses only its own copy of the batch', async () => {
  const broken: SpanExporter<never> = {
    name: 'broken',
    serialize() {
      throw new Error('boom');
    },
    send: () => Promise.reject(new Error('unreachable')),
    shutdown: () => Promise.resolve(),
  };
  const memory = new MemorySpanExporter();
  const logger = collectingLogger();
  const p = processor([broken, memory], { scheduledDelayMillis: 60_000 }, logger);
  for (const s of makeSpans(3)) p.onEnd(s);
  await p.forceFlush();
  assert.equal(memory.getFinishedSpans().length, 3);
  assert.equal(p.getExportStats().exporters[0]!.failed, 3);
  assert.ok(logger.lines.some((l) => l.includes('could not serialize')));
  await p.shutdown();
});

test('a rejecting send is counted as failed, never an unhandled rejection', async () => {
  const rejecting: SpanExporter<null> = {
    name: 'rejecting',
    serialize: () => null,
    send: () => Promise.reject(new Error('network down')),
    shutdown: () => Promise.resolve(),
  };
  const p = processor([rejecting], { scheduledDelayMillis: 60_000 });
  for (const s of makeSpans(2)) p.onEnd(s);
  await p.forceFlush();
  assert.equal(p.getExportStats().failed, 2);
  await p.shutdown();
});

test('shutdown flushes what ended before it, is idempotent, and drops (and releases) spans ended after it', async () => {
  const memory = new MemorySpanExporter();
  const p = processor([memory], { scheduledDelayMillis: 60_000 });
  for (const s of makeSpans(5)) p.onEnd(s);
  const first = p.shutdown();
  const second = p.shutdown();
  assert.equal(first, second);
  const late = makeSpan();
  p.onEnd(late);
  assert.equal(late.releases, 1);
  await first;
  assert.equal(memory.getFinishedSpans().length, 5);
  const stats = p.getExportStats();
  assert.equal(stats.exported, 5);
  assert.equal(stats.queueDropped, 1);
  await p.forceFlush();
});

test('forceFlush is bounded by exportTimeoutMillis even when an exporter never answers', async (t) => {
  // Timers mocked: the flush must end exactly at the export timeout, checked on the timer's own
  // schedule rather than on a wall clock a loaded machine stretches.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const stalled = new ScriptedExporter('stalled', true);
  const p = processor([stalled], { scheduledDelayMillis: 60_000, exportTimeoutMillis: 100 });
  p.onEnd(makeSpan());
  await settlesAt(t, p.forceFlush(), 100, 'still waiting 1 ms before the export timeout');
  const shutdown = p.shutdown();
  t.mock.timers.tick(10_000);
  await shutdown;
  // Still in flight when shutdown ended it: dropped, with shutdown as the reason.
  assert.equal(p.getExportStats().dropped, 1);
  assert.equal(p.getExportStats().shutdownDropped, 1);
});

test('options: OTEL_BSP_* are read, options in code win, bad options throw, bad env values warn and fall back', () => {
  const logger = collectingLogger();
  const env = { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20', OTEL_BSP_SCHEDULE_DELAY: '250', OTEL_BSP_EXPORT_TIMEOUT: '900' };
  assert.deepEqual({ ...resolveBatchOptions(undefined, env, logger) }, { maxQueueSize: 100, maxExportBatchSize: 20, scheduledDelayMillis: 250, exportTimeoutMillis: 900 });
  assert.equal(resolveBatchOptions({ maxQueueSize: 50 }, env, logger).maxQueueSize, 50);
  assert.deepEqual({ ...resolveBatchOptions(undefined, {}, logger) }, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 });
  assert.throws(() => resolveBatchOptions({ maxQueueSize: 0 }, {}, logger), { code: 'ERR_INVALID_OPTION', message: /batch\.maxQueueSize: got 0, expected an integer >= 1/ });
  assert.throws(() => resolveBatchOptions({ scheduledDelayMillis: 1.5 }, {}, logger), { code: 'ERR_INVALID_OPTION', message: /batch\.scheduledDelayMillis/ });
  assert.throws(() => resolveBatchOptions('fast' as never, {}, logger), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => resolveBatchOptions({ maxQueue: 5 } as never, {}, logger), {
    code: 'ERR_INVALID_OPTION',
    message: /batch\.maxQueue: got 5, expected no such option; batch takes maxQueueSize, maxExportBatchSize, scheduledDelayMillis, exportTimeoutMillis/,
  });
  const fallback = resolveBatchOptions(undefined, { OTEL_BSP_MAX_QUEUE_SIZE: 'lots', OTEL_BSP_SCHEDULE_DELAY: '' }, logger);
  assert.equal(fallback.maxQueueSize, 2048);
  assert.equal(fallback.scheduledDelayMillis, 5000);
  assert.ok(logger.lines.some((l) => l.includes('OTEL_BSP_MAX_QUEUE_SIZE')));
  // sdk.md: the batch size may not exceed the queue size; clamped with a warning.
  assert.equal(resolveBatchOptions({ maxQueueSize: 10, maxExportBatchSize: 50 }, {}, logger).maxExportBatchSize, 10);
});

test('the scheduled export runs outside the request context that ended the span', async () => {
  const { context } = await import('../../../engine/context/index.js');
  const seen: boolean[] = [];
  const probe: SpanExporter<null> = {
    name: 'probe',
    serialize: () => (seen.push(context.isActive()), null),
    send: (_p, count) => (seen.push(context.isActive()), Promise.resolve({ accepted: count, rejected: 0, failed: 0, retries: 0, error: null })),
    shutdown: () => Promise.resolve(),
  };
  const p = processor([probe], { scheduledDelayMillis: 5, maxExportBatchSize: 2 });
  await context.run({ requestId: 'req-1' }, async () => {
    p.onEnd(makeSpan()); // arms the timer
    p.onEnd(makeSpan()); // a full batch: arms the immediate
    assert.equal(context.isActive(), true);
    await new Promise((r) => setTimeout(r, 20));
  });
  assert.deepEqual(seen, [false, false]);
  await p.shutdown();
});
