import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readmeExample } from '../examples/README-example.js';

test('the README API example runs and prints what the README says', async () => {
  assert.equal(await readmeExample(), 'req-1 ada');
});
