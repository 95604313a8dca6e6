// A tail sampler's options are checked when the Nest app starts, and errors name the option
// as the app wrote it (under tracing.sampler).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Module } from '@nestjs/common';
import { RequestContextModule } from '../../../nest/index.js';
import { startApp } from '../helpers.js';

test('a Nest app with a bad tail option fails at startup naming tracing.sampler.*', async () => {
  @Module({ imports: [RequestContextModule.forRoot({ tracing: { exporters: [], sampler: { type: 'tail', keepSlowerThanMs: { 'GET /orders/:id': -1 } } } })] })
  class BadTailModule {}
  await assert.rejects(startApp(BadTailModule), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ERR_INVALID_OPTION');
    assert.match(err.message, /tracing\.sampler\.keepSlowerThanMs\['GET \/orders\/:id'\]: got -1/);
    return true;
  });
});
