import { Controller, Get, Param } from '@nestjs/common';
import { RequestContextService } from '../../nest/index.js';
import { OrdersService, type Order } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly requestContext: RequestContextService,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<{ service: string; traceId: string | undefined; order: Order }> {
    const order = await this.orders.find(id);
    return { service: 'orders', traceId: this.requestContext.getTraceContext()?.traceId, order };
  }
}
