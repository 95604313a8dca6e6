// The export pipeline never keeps a process alive on its own (issue 5: timers unref()ed): a
// script that ends spans and never calls shutdown() exits by itself, both while spans wait for
// a long scheduled delay and while an export to a dead collector waits for its next retry.
// Each case runs in a child process, since only process exit shows what holds the event loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENGINE = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../../engine/index.js')).href;

interface Exit {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

function runScript(body: string, limitMs: number): Promise<Exit> {
  const script = `import { Tracer, createExportPipeline } from ${JSON.stringify(ENGINE)};\n${body}`;
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolvePromise({ code, ms: Date.now() - started, stdout, stderr });
    });
  });
}

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('spans queued behind a 60 s scheduled delay do not keep the process alive', async () => {
  const exit = await runScript(
    `const pipeline = createExportPipeline({ exporters: [{ type: 'memory' }], batch: { scheduledDelayMillis: 60000 } }, {});
     const tracer = new Tracer({ sampler: { type: 'always_on' }, processor: pipeline.processor });
     for (let i = 0; i < 10; i++) tracer.startSpan('work').end();
     console.log('queued', pipeline.getExportStats().queueLength);`,
    20_000,
  );
  assert.equal(exit.code, 0, exit.stderr);
  assert.equal(exit.stdout.trim(), 'queued 10', 'the spans were really waiting in the queue');
  assert.ok(exit.ms < 10_000, `exited after ${exit.ms} ms`);
});

test('an export to a dead collector waiting for its retry does not keep the process alive', async () => {
  const port = await deadPort();
  const exit = await runScript(
    `const pipeline = createExportPipeline({
       exporters: [{ type: 'otlp', endpoint: 'http://127.0.0.1:${port}/v1/traces', timeoutMs: 60000 }],
       batch: { scheduledDelayMillis: 1 },
       logger: { warn: () => {} },
     }, {});
     const tracer = new Tracer({ sampler: { type: 'always_on' }, processor: pipeline.processor });
     tracer.startSpan('work').end();
     // after the first attempts failed (backoff 1 s, then 1.5 s) the span is still pending,
     // waiting for a retry inside the 60 s timeout; the script then leaves everything running
     setTimeout(() => {
       const s = pipeline.getExportStats();
       console.log('pending', s.exporters[0].pending, 'failed', s.failed);
     }, 1500);`,
    30_000,
  );
  assert.equal(exit.code, 0, exit.stderr);
  assert.equal(exit.stdout.trim(), 'pending 1 failed 0', 'the export was still retrying when the script left it');
  assert.ok(exit.ms < 15_000, `exited after ${exit.ms} ms (the 60 s export timeout would hold it longer)`);
});
