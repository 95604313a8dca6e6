// A Nest app for the metrics tests: routes with known statuses and delays, one that calls out
// over HTTP (a client span), and the module options under test.

import { Body, Controller, Get, HttpCode, Module, NotFoundException, Param, Post, Query, type DynamicModule } from '@nestjs/common';
import { RequestContextModule, TraceContextModule, type RequestContextModuleOptions, type TraceContextModuleOptions } from '../../../nest/index.js';
import { delay } from '../helpers.js';

/** Milliseconds each delayed route waits: a lower bound on its duration, so a known minimum bucket. */
export const ITEM_DELAY_MS = 6;
export const ORDER_DELAY_MS = 12;

@Controller()
class MetricsProbeController {
  @Get('fast')
  fast(): string {
    return 'ok';
  }

  @Get('items/:id')
  async item(@Param('id') id: string): Promise<{ id: string }> {
    await delay(ITEM_DELAY_MS);
    return { id };
  }

  @Post('orders')
  @HttpCode(201)
  async order(@Body() body: unknown): Promise<unknown> {
    await delay(ORDER_DELAY_MS);
    return body ?? {};
  }

  @Get('missing/:id')
  missing(): never {
    throw new NotFoundException('no such thing');
  }

  @Get('boom')
  boom(): never {
    throw new Error('boom');
  }

  /** Calls `url` with fetch: a CLIENT span, sampled or not. */
  @Get('call')
  async call(@Query('url') url: string): Promise<{ status: number }> {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status };
  }
}

@Module({})
export class MetricsProbeModule {
  static with(options: RequestContextModuleOptions): DynamicModule {
    return { module: MetricsProbeModule, imports: [RequestContextModule.forRoot(options)], controllers: [MetricsProbeController] };
  }

  static withTraceContextModule(options: TraceContextModuleOptions): DynamicModule {
    return { module: MetricsProbeModule, imports: [TraceContextModule.forRoot(options)], controllers: [MetricsProbeController] };
  }
}
