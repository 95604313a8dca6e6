// What one local trace is: spans that end after their local root follow its decision (kept
// with it, or released with it), spans started after it ended too; a job started from a
// request is its own local root, kept or released on its own outcome in the same trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTracingRuntime } from '../../../nest/index.js';
import { startSink } from '../../helpers/sink.js';
import { request, waitFor } from '../helpers.js';
import { byTrace, exportedSpans, lateDone, startTailApp, traceIdOf } from './tail-app.js';

async function setup(t: { after(fn: () => unknown): void }) {
  const sink = await startSink();
  const app = await startTailApp(sink, { type: 'tail', ratio: 0 });
  t.after(() => app.close());
  t.after(() => sink.close());
  return { sink, app, runtime: getTracingRuntime()! };
}

test('late children follow the decision of their local root', async (t) => {
  const { sink, app, runtime } = await setup(t);
  const before = lateDone;
  const failed = await request(app.origin, '/late/fail');
  const fine = await request(app.origin, '/late/ok');
  assert.equal(failed.status, 500);
  assert.equal(fine.status, 200);
  await waitFor(() => lateDone === before + 2, undefined, 'the background spans');
  await runtime.forceFlush();

  const traces = byTrace(exportedSpans(sink));
  assert.equal(traces.size, 1, 'only the failed request was kept');
  const spans = traces.get(traceIdOf(failed.headers))!;
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /late/:outcome', 'late-end', 'late-start', 'load']);
  const root = spans.find((s) => s.name === 'GET /late/:outcome')!;
  assert.equal(root.attributes['sampling.rule'], 'error');
  for (const s of spans) if (s !== root) assert.equal(s.parentSpanId, root.spanId, `${s.name} is the root's child`);
  const tail = runtime.stats().tail!;
  assert.equal(tail.lateSpansKept, 2, 'late-end ended and late-start started after the kept root');
  assert.equal(tail.lateSpansReleased, 1, "the unkept request's late-end, released (its late-start was never recorded)");
  assert.equal(tail.released, 1);
});

test('a job started from a request is its own local root: kept or released on its own outcome', async (t) => {
  const { sink, app, runtime } = await setup(t);
  const jobFails = await request(app.origin, '/job/job');
  const requestFails = await request(app.origin, '/job/request');
  const noneFails = await request(app.origin, '/job/none');
  assert.deepEqual([jobFails.status, requestFails.status, noneFails.status], [200, 500, 200]);
  await runtime.forceFlush();

  const traces = byTrace(exportedSpans(sink));
  assert.equal(traces.size, 2);
  // The job failed: its local trace (job span + its step) is kept, the request's is not.
  const job = traces.get(traceIdOf(jobFails.headers))!;
  assert.deepEqual(job.map((s) => s.name).sort(), ['job-step', 'process job']);
  const jobRoot = job.find((s) => s.name === 'process job')!;
  assert.equal(jobRoot.attributes['sampling.rule'], 'error');
  assert.equal(job.find((s) => s.name === 'job-step')!.parentSpanId, jobRoot.spanId);
  // The request failed after its job succeeded: the request's local trace only.
  const req = traces.get(traceIdOf(requestFails.headers))!;
  assert.deepEqual(req.map((s) => s.name).sort(), ['GET /job/:fails', 'load']);
  assert.equal(req.find((s) => s.name === 'GET /job/:fails')!.attributes['sampling.rule'], 'error');
  assert.equal(traces.get(traceIdOf(noneFails.headers)), undefined);
  const tail = runtime.stats().tail!;
  assert.equal(tail.keptError, 2);
  assert.equal(tail.released, 4, 'three requests and three jobs are six local traces; two kept');
});
