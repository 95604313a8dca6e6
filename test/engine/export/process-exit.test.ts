// The export pipeline never keeps a process alive on its own (issue 5: timers unref()ed): a
// script that ends spans and never calls shutdown() exits by itself, both while spans wait for
// a long scheduled delay and while an export to a dead collector waits for its next retry.
// Each case runs in a child process, since only process exit shows what holds the event loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { freePort } from '../../helpers/servers.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENGINE = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../../../engine/index.js')).href;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(body: string, limitMs: number): Promise<Exit> {
  const script = `import { Tracer, createExportPipeline } from ${JSON.stringify(ENGINE)};\n${body}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/**
 * Each script leaves 60 s timers behind (a scheduled delay, an export timeout). A process they
 * held would live that long; one that exits by itself does so long before, however loaded the
 * machine. The child is killed short of 60 s, so "exited with code 0" is the whole check.
 */
const HELD_LIMIT_MS = 50_000;


test('spans queued behind a 60 s scheduled delay do not keep the process alive', async () => {
  const exit = await runScript(
    `const pipeline = createExportPipeline({ exporters: [{ type: 'memory' }], batch: { scheduledDelayMillis: 60000 } }, {});
     const tracer = new Tracer({ sampler: { type: 'always_on' }, processor: pipeline.processor });
     for (let i = 0; i < 10; i++) tracer.startSpan('work').end();
     console.log('queued', pipeline.getExportStats().queueLength);`,
    HELD_LIMIT_MS,
  );
  assert.equal(exit.code, 0, exit.stderr || 'killed: the 60 s schedule held the process');
  assert.equal(exit.stdout.trim(), 'queued 10', 'the spans were really waiting in the queue');
});

test('an export to a dead collector waiting for its retry does not keep the process alive', async () => {
  const port = await freePort();
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
    HELD_LIMIT_MS,
  );
  assert.equal(exit.code, 0, exit.stderr || 'killed: the retry schedule inside the 60 s export timeout held the process');
  assert.equal(exit.stdout.trim(), 'pending 1 failed 0', 'the export was still retrying when the script left it');
});
