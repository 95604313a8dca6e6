// `isGlobal` is an extra of Nest's ConfigurableModuleBuilder: Nest strips it before the options
// are validated, so it is checked where the module definition is built. Both entries.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RequestContextModule, TraceContextModule } from '../../nest/index.js';

test('isGlobal must be true or false: forRoot and forRootAsync of both modules fail with ERR_INVALID_OPTION naming it', () => {
  const calls: Array<[string, () => unknown]> = [
    ['RequestContextModule.forRoot', () => RequestContextModule.forRoot({ isGlobal: 'yes' as never })],
    ['RequestContextModule.forRootAsync', () => RequestContextModule.forRootAsync({ isGlobal: 1 as never, useFactory: () => ({}) })],
    ['TraceContextModule.forRoot', () => TraceContextModule.forRoot({ isGlobal: 'no' as never })],
    ['TraceContextModule.forRootAsync', () => TraceContextModule.forRootAsync({ isGlobal: null as never, useFactory: () => ({}) })],
  ];
  for (const [name, call] of calls) {
    assert.throws(call, (err: unknown) => {
      assert.equal((err as { code?: string }).code, ErrorCodes.ERR_INVALID_OPTION, name);
      assert.match((err as Error).message, /Invalid option isGlobal: got .*, expected true or false/, name);
      return true;
    });
  }
});

test('isGlobal: global by default, false scopes, true is global', () => {
  assert.equal(RequestContextModule.forRoot({}).global, true);
  assert.equal(RequestContextModule.forRoot({ isGlobal: false }).global, false);
  assert.equal(TraceContextModule.forRoot({ isGlobal: true }).global, true);
  assert.equal(TraceContextModule.forRootAsync({ useFactory: () => ({}) }).global, true);
});
