// Two services in two processes, both tail sampling, sharing one collector. The sampled flag
// each sends on is its head decision, so:
// - a trace the caller keeps by ratio reaches the downstream service sampled, and a
//   parentbased_tail downstream keeps its part too (`sampling.rule` = parent): one whole trace;
// - an error downstream that the caller sees (a 5xx on its client span) is kept by both, each
//   for its own reason (`error`), joined by the trace id;
// - an error the caller does not see (only a downstream child span failed, the response was
//   200) is kept downstream only: its server span's parent is a client span never exported.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTracingRuntime } from '../../../nest/index.js';
import { startSink } from '../../helpers/sink.js';
import { request, waitFor } from '../helpers.js';
import { byTrace, downstream, exportedSpans, ratioKeeps, startTailApp, type ExportedSpan } from './tail-app.js';

const RATIO = 0.01;

/** A random trace id that traceidratio at RATIO keeps (`kept`) or not. */
function traceId(kept: boolean): string {
  for (;;) {
    const id = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    if (ratioKeeps(RATIO, id) === kept) return id;
  }
}

function one(spans: readonly ExportedSpan[], service: string, name: string): ExportedSpan {
  const found = spans.filter((s) => s.service === service && s.name === name);
  assert.equal(found.length, 1, `${service} ${name}: ${JSON.stringify(spans.map((s) => [s.service, s.name]))}`);
  return found[0]!;
}

test('a downstream service in a second process continues the kept traces', { timeout: 60_000 }, async (t) => {
  const sink = await startSink();
  t.after(() => sink.close());
  const child = spawn(process.execPath, [new URL('./downstream-service.js', import.meta.url).pathname], {
    env: { ...process.env, TAIL_SINK: sink.url(''), TAIL_SERVICE: 'downstream' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`downstream exited with ${code}`)));
  });
  downstream.origin = `http://127.0.0.1:${port}`;
  const app = await startTailApp(sink, { type: 'tail', ratio: RATIO });
  t.after(() => app.close());

  const ratioId = traceId(true);
  const seenId = traceId(false);
  const unseenId = traceId(false);
  const parent = (id: string, flags: string): Record<string, string> => ({ traceparent: `00-${id}-00f067aa0ba902b7-${flags}` });
  assert.equal((await request(app.origin, '/call/ok', { headers: parent(ratioId, '01') })).status, 200);
  assert.equal((await request(app.origin, '/call/fail', { headers: parent(seenId, '00') })).status, 500);
  assert.equal((await request(app.origin, '/call/child-error', { headers: parent(unseenId, '00') })).status, 200);
  await getTracingRuntime()!.forceFlush();
  // The downstream process exports on its own 50 ms schedule.
  const expected = 4 + 4 + 2;
  await waitFor(() => exportedSpans(sink).length >= expected, 10_000, `${expected} spans at the collector`);
  const traces = byTrace(exportedSpans(sink));
  assert.equal(traces.size, 3);

  const kept = traces.get(ratioId)!;
  const server = one(kept, 'tail-app', 'GET /call/:what');
  const client = one(kept, 'tail-app', 'GET');
  assert.equal(server.attributes['sampling.rule'], 'ratio');
  assert.equal(client.parentSpanId, server.spanId);
  const downstreamServer = one(kept, 'downstream', 'GET /ok/:i');
  assert.equal(downstreamServer.attributes['sampling.rule'], 'parent');
  assert.equal(downstreamServer.parentSpanId, client.spanId, "the downstream server span's parent is the caller's exported client span");
  assert.equal(kept.length, 4, 'caller: server + client; downstream: server + load');
  assert.match(downstreamServer.traceState, /^ot=th:/, 'the ratio threshold travels with the trace');

  const seen = traces.get(seenId)!;
  assert.equal(seen.length, 4);
  assert.equal(one(seen, 'tail-app', 'GET /call/:what').attributes['sampling.rule'], 'error');
  assert.equal(one(seen, 'tail-app', 'GET').statusCode, 2, "the caller saw the error on its client span");
  assert.equal(one(seen, 'downstream', 'GET /fail/:i').attributes['sampling.rule'], 'error');

  const unseen = traces.get(unseenId)!;
  assert.deepEqual(unseen.map((s) => `${s.service} ${s.name}`).sort(), ['downstream GET /child-error/:i', 'downstream load']);
  assert.equal(one(unseen, 'downstream', 'GET /child-error/:i').attributes['sampling.rule'], 'error');
});
