// A node:test reporter that writes one JSON line of counts: {"passed":N,"failed":N,"skipped":N}.
// scripts/run-tests.mjs adds it beside the spec reporter to print its one-line summary.
// Suites are not counted (their tests are); a file that fails to load counts as one failure,
// a cancelled test as a failure, skip and todo as skipped.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip !== undefined || event.data.todo !== undefined) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
