// Runs every compiled test file with node:test, on whatever Node runs this script.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
// Two processes: every selected file on the 2.x OpenTelemetry SDK of the root devDependencies,
// then the selected OpenTelemetry-mode files again on the 3.x SDK (otel-sdks/v3, loaded by
// scripts/otel-sdk-v3.mjs; Node >= 22.15, that SDK's own floor: on an older Node they are
// listed as not run). Ends with one line, `tests: N passed, N failed, N skipped ...`, which
// scripts/test-matrix.mjs reads. Node 20's `--test` takes no glob patterns, so the files are
// listed here. `--expose-gc` is for the leak and allocation tests.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'dist/test';
/** Files whose tests run 'otel' or 'auto' mode against an installed @opentelemetry/api. */
const OTEL_MODE = ['dist/test/nest/otel/', 'dist/test/nest/options.test.js', 'dist/test/nest/trace-context-module.test.js'];
/** Runs without any @opentelemetry package, so which SDK is installed does not reach it. */
const SDK_INDEPENDENT = ['dist/test/nest/otel/api-absent.test.js'];

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js') && (filters.length === 0 || filters.some((f) => path.includes(f)))) files.push(path);
  }
})(root);

if (files.length === 0) {
  console.error(`no test files under ${root}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'ntc-tests-'));
/** One node --test process; returns its counts (a process that died before reporting is one failure). */
function run(label, execArgv, list) {
  console.log(`\n== ${list.length} test file(s) on Node ${process.versions.node}, ${label}`);
  const countsFile = join(scratch, `${label.replace(/\W+/g, '-')}.json`);
  const result = spawnSync(
    process.execPath,
    [...execArgv, '--expose-gc', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${countsFile}`, ...list],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
  );
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    // No counts: the process ended before its reporter finished.
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

const total = run('OpenTelemetry SDK 2.x', [], files);
const otelFiles = files.filter((f) => OTEL_MODE.some((p) => f.startsWith(p)) && !SDK_INDEPENDENT.includes(f));
let note = '';
if (otelFiles.length > 0) {
  if (typeof nodeModule.registerHooks === 'function') {
    const v3 = run('OpenTelemetry SDK 3.x', ['--import', './scripts/otel-sdk-v3.mjs'], otelFiles);
    for (const key of Object.keys(total)) total[key] += v3[key];
    note = ` (${otelFiles.length} OpenTelemetry-mode file(s) also on SDK 3.x: ${v3.passed} passed, ${v3.failed} failed)`;
  } else {
    note = ` (the ${otelFiles.length} OpenTelemetry-mode file(s) did not run on SDK 3.x: it needs Node >= 22.15, this is ${process.versions.node})`;
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped on Node ${process.versions.node}${note}`);
process.exit(total.failed === 0 ? 0 : 1);
