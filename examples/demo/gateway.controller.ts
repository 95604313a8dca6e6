// The gateway's public route: it calls the orders service with plain global fetch. The outbound
// instrumentation adds the client span and the traceparent; nothing here mentions tracing
// except reading the trace id to show it in the reply.

import { BadGatewayException, Controller, Get, Inject, Param } from '@nestjs/common';
import { RequestContextService } from '../../nest/index.js';
import { DEMO_CONFIG, type DemoConfig } from './demo-config.js';

@Controller('orders')
export class GatewayController {
  constructor(
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
    private readonly requestContext: RequestContextService,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<{ service: string; traceId: string | undefined; orders: unknown }> {
    let reply: Response;
    try {
      reply = await fetch(`${this.config.ordersUrl}/orders/${encodeURIComponent(id)}`);
    } catch (error) {
      throw new BadGatewayException(`orders service unreachable: ${(error as Error).message}`);
    }
    if (!reply.ok) throw new BadGatewayException(`orders service answered ${reply.status}`);
    return { service: 'gateway', traceId: this.requestContext.getTraceContext()?.traceId, orders: await reply.json() };
  }
}
