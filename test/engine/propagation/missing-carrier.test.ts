// A missing carrier is "no context", never a throw (issue 3: bad input yields null): job
// messages and microservice packets often arrive without a headers object at all.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPropagator } from '../../../engine/index.js';
import type { IncomingHeaders } from '../../../engine/index.js';

const FORMATS = ['w3c', 'b3', 'b3multi', 'zipkin', 'jaeger', 'datadog', 'newrelic', 'custom'] as const;
const headers = { traceId: 'x-trace-id', spanId: 'x-span-id' };

test('every format, alone and composed, extracts null from a null or undefined carrier', () => {
  const propagators = [
    ...FORMATS.map((format) => [format, createPropagator({ extract: [format], inject: ['w3c'], headers })] as const),
    ['composite', createPropagator({ extract: [...FORMATS], inject: ['w3c'], headers })] as const,
  ];
  for (const [name, p] of propagators) {
    for (const carrier of [null, undefined]) {
      assert.equal(p.extract(carrier as unknown as IncomingHeaders), null, `${name} ${String(carrier)}`);
    }
  }
});
