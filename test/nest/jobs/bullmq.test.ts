// The BullMQ recipe from the README, against a real redis-server (started on a free port):
// the producer puts captureTraceContext() in the job data, the worker runs the job with
// runWithTraceContext, and the job's span continues (or links to) the producer's trace.
// Tracing is the app's RequestContextModule (memory exporter), as in a real service.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Inject, Module, Param } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import {
  SpanKind,
  captureTraceContext,
  context,
  runWithTraceContext,
  type TraceCarrier,
} from '../../../engine/index.js';
import { RequestContextModule } from '../../../nest/index.js';
import { getFinishedSpans, resetFinishedSpans, waitForFinishedSpans, type FinishedSpan } from '../../../nest/testing/index.js';
import { request, startApp, waitFor } from '../helpers.js';
import { cleanupStack, startRedis } from '../../helpers/servers.js';

const INCOMING = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const EMAILS = 'EMAILS';

interface EmailJob {
  to: string;
  /** The recipe: the producer's trace rides in the job data. */
  trace?: TraceCarrier;
}

/** What the worker saw inside the job. */
interface Processed {
  to: string;
  traceparent: string | undefined;
  requestId: string | undefined;
}

@Controller('signup')
class SignupController {
  constructor(@Inject(EMAILS) private readonly emails: Queue<EmailJob>) {}

  @Get(':to')
  async signup(@Param('to') to: string): Promise<{ queued: string }> {
    const job = await this.emails.add('welcome', { to, trace: captureTraceContext() });
    return { queued: job.id! };
  }
}

function processWith(processed: Processed[], options: { link?: boolean } = {}) {
  // The worker side of the recipe.
  return (job: Job<EmailJob>) =>
    runWithTraceContext(
      job.data.trace,
      `process ${job.queueName}`,
      async () => {
        processed.push({ to: job.data.to, traceparent: captureTraceContext().traceparent, requestId: context.getRequestId() });
      },
      {
        link: options.link,
        requestId: `job-${job.id}`,
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': job.queueName,
          'messaging.message.id': String(job.id),
        },
      },
    );
}

async function spans(name: string, count: number): Promise<FinishedSpan[]> {
  return waitForFinishedSpans(count, { timeoutMs: 60_000, filter: (s) => s.name === name });
}

async function setup(t: { after(fn: () => unknown): void }, queueName: string, link?: boolean) {
  const defer = cleanupStack(t);
  resetFinishedSpans();
  const redis = await startRedis();
  defer(() => redis.stop());
  const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const queue = new Queue<EmailJob>(queueName, { connection });
  defer(() => queue.close());
  const processed: Processed[] = [];
  const worker = new Worker<EmailJob>(queueName, processWith(processed, { link }), { connection });
  defer(() => worker.close());
  await worker.waitUntilReady();

  @Module({
    imports: [
      RequestContextModule.forRoot({
        tracing: { enabled: true, exporters: [{ type: 'memory' }], responseHeaders: { traceparent: true } },
      }),
    ],
    controllers: [SignupController],
    providers: [{ provide: EMAILS, useValue: queue }],
  })
  class AppModule {}

  const app = await startApp(AppModule);
  defer(() => app.close());
  return { queue, processed, origin: app.origin };
}

test('BullMQ: a job queued during an HTTP request is processed in a consumer span that continues the request trace', async (t) => {
  const { queue, processed, origin } = await setup(t, 'emails');
  const reply = await request(origin, '/signup/ada@example.com', { headers: { traceparent: INCOMING } });
  assert.equal(reply.status, 200);
  const { queued } = reply.json<{ queued: string }>();
  const requestSpanId = (reply.headers.traceparent as string).split('-')[2];

  await waitFor(() => processed.length === 1, undefined, 'the worker');
  const [job] = await spans('process emails', 1);
  assert.ok(job !== undefined);
  assert.equal(job.kind, SpanKind.CONSUMER);
  assert.equal(job.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(job.parentSpanId, requestSpanId, 'the job span is the child of the request span');
  assert.equal(job.attributes['messaging.system'], 'bullmq');
  assert.equal(job.attributes['messaging.message.id'], queued);
  assert.equal(processed[0]!.traceparent, `00-${job.traceId}-${job.spanId}-01`);
  assert.equal(processed[0]!.requestId, `job-${queued}`);
  // The carrier stored in Redis is the small header object, nothing else.
  const stored = await queue.getJob(queued);
  assert.deepEqual(Object.keys(stored!.data.trace!), ['traceparent']);
});

test('BullMQ with link: true: each run is a new trace linked to the producer', async (t) => {
  const { queue, processed } = await setup(t, 'reports', true);
  // A scheduler outside any request: its own root span, internal kind.
  await runWithTraceContext(undefined, 'schedule reports', async () => {
    await queue.add('daily', { to: 'ops', trace: captureTraceContext() });
    await queue.add('daily', { to: 'ops', trace: captureTraceContext() });
  }, { kind: SpanKind.INTERNAL });
  const [producer] = await spans('schedule reports', 1);
  await waitFor(() => processed.length === 2, undefined, 'both runs');
  const runs = await spans('process reports', 2);
  assert.equal(runs.length, 2);
  for (const run of runs) {
    assert.notEqual(run.traceId, producer!.traceId);
    assert.equal(run.parentSpanId, undefined);
    assert.deepEqual(run.links.map((l) => [l.traceId, l.spanId]), [[producer!.traceId, producer!.spanId]]);
  }
  assert.notEqual(runs[0]!.traceId, runs[1]!.traceId);
});

test('BullMQ: a job without a carrier, or with a corrupted one, is processed in a new trace', async (t) => {
  const { queue, processed } = await setup(t, 'legacy');
  await queue.add('old', { to: 'a' });
  await queue.add('bad', { to: 'b', trace: { traceparent: 'not-a-traceparent' } });
  await queue.add('odd', { to: 'c', trace: 'garbage' as never });
  await waitFor(() => processed.length === 3, undefined, 'three jobs');
  const runs = await spans('process legacy', 3);
  assert.equal(runs.length, 3);
  for (const run of runs) assert.equal(run.parentSpanId, undefined);
  assert.equal(getFinishedSpans().length, 3, 'nothing else was traced');
  assert.equal(new Set(runs.map((r) => r.traceId)).size, 3);
});
