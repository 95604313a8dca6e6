// AsyncLocalStorage has two implementations in the supported Nodes: async_hooks (the default on
// Node 22, where AsyncContextFrame is opt-in with --experimental-async-context-frame) and
// AsyncContextFrame (the default from Node 24, opt-out with --no-async-context-frame). The suite
// runs under each Node's default; this runs the context tests and the Fastify request-path
// tests (where the store is re-entered after body parsing) again in a child under the other
// implementation, so every Node of the matrix checks both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
/** The flag that switches this Node to the implementation it does not use by default. */
const OTHER = major >= 24 ? { flag: '--no-async-context-frame', frames: false } : { flag: '--experimental-async-context-frame', frames: true };
/** Prints whether AsyncLocalStorage runs on AsyncContextFrame (its frames show in a stack taken inside run()). */
const PROBE = "const { AsyncLocalStorage } = require('node:async_hooks'); new AsyncLocalStorage().run(1, () => console.log(/async_context_frame/.test(new Error().stack)));";

const probe = spawnSync(process.execPath, [OTHER.flag, '-e', PROBE], { encoding: 'utf8' });
const unsupported = probe.status !== 0 && `Node ${process.versions.node} has no ${OTHER.flag}`;

test(`the context and request-path tests pass under the other AsyncLocalStorage implementation too (${OTHER.flag})`, { skip: unsupported }, () => {
  assert.equal(probe.stdout.trim(), String(OTHER.frames), 'the child really runs the other implementation');
  const files = ['./isolation.test.js', './api.test.js', '../../nest/request-path.test.js'].map((f) => fileURLToPath(new URL(f, import.meta.url)));
  const env = { ...process.env };
  // Set in every test-runner child: a nested --test would report to this runner, not print TAP.
  delete env['NODE_TEST_CONTEXT'];
  const run = spawnSync(process.execPath, [OTHER.flag, '--expose-gc', '--test', '--test-reporter=tap', ...files], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? NaN);
  assert.equal(run.status, 0, run.stdout.slice(-4000) + run.stderr.slice(-2000));
  assert.equal(count('fail'), 0);
  assert.ok(count('pass') >= 20, `${count('pass')} tests passed`);
});
