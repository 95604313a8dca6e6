// @Span on a synchronous method that throws (the async rejection is in decorators.test.ts), and
// @Span misuse failing with the registry's ERR_INVALID_ARGUMENT when the class is defined.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ErrorCodes, RequestContextModule, Span, SpanKind, SpanStatusCode } from '../../nest/index.js';
import { resetFinishedSpans, waitForFinishedSpans } from '../../nest/testing/index.js';
import { request, startApp } from './helpers.js';

const THROWN = new RangeError('quantity out of range');

@Injectable()
class Pricing {
  @Span()
  price(quantity: number): number {
    if (quantity < 0) throw THROWN;
    return quantity * 2;
  }
}

@Controller()
class PriceController {
  constructor(private readonly pricing: Pricing) {}

  @Get('price')
  price(): { same: boolean; ok: number } {
    let same = false;
    try {
      this.pricing.price(-1);
    } catch (err) {
      same = err === THROWN;
    }
    return { same, ok: this.pricing.price(3) };
  }
}

@Module({
  imports: [RequestContextModule.forRoot({ tracing: { exporters: [{ type: 'memory' }] } })],
  controllers: [PriceController],
  providers: [Pricing],
})
class App {}

test('a synchronous @Span method that throws: its span has error status and the exception event, the same error reaches the caller, the span still ends', async (t) => {
  resetFinishedSpans();
  const app = await startApp(App);
  t.after(() => app.close());
  const r = await request(app.origin, '/price');
  assert.deepEqual(r.json(), { same: true, ok: 6 });
  const spans = await waitForFinishedSpans(3);
  const server = spans.find((s) => s.name === 'GET /price')!;
  const [failed, ok] = spans.filter((s) => s.name === 'Pricing.price');
  assert.equal(failed!.kind, SpanKind.INTERNAL);
  assert.equal(failed!.parentSpanId, server.spanId);
  assert.equal(failed!.status.code, SpanStatusCode.ERROR);
  assert.equal(failed!.status.message, 'quantity out of range');
  const event = failed!.events.find((e) => e.name === 'exception');
  assert.equal(event?.attributes['exception.type'], 'RangeError');
  assert.equal(event?.attributes['exception.message'], 'quantity out of range');
  assert.equal(ok!.status.code, SpanStatusCode.UNSET);
  assert.equal(ok!.events.length, 0);
});

test('@Span misuse fails with ERR_INVALID_ARGUMENT: an empty name, a non-method', () => {
  assert.throws(() => Span(''), (err: unknown) => {
    assert.ok(err instanceof TypeError);
    assert.equal((err as { code?: string }).code, ErrorCodes.ERR_INVALID_ARGUMENT);
    assert.match((err as Error).message, /@Span\(name\): got "".*non-empty string/);
    return true;
  });
  assert.throws(() => Span()({}, 'limit', { value: 5 }), (err: unknown) => {
    assert.equal((err as { code?: string }).code, ErrorCodes.ERR_INVALID_ARGUMENT);
    assert.match((err as Error).message, /@Span\(\) target limit: got 5, expected a method/);
    return true;
  });
});
