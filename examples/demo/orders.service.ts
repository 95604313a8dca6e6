// The orders service's work: a lookup and a price calculation, each in its own span, so the
// demo trace shows internal spans under the orders server span.

import { Injectable } from '@nestjs/common';
import { RequestContextService, Span, SpanStatusCode } from '../../nest/index.js';

export interface Order {
  readonly id: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: number }[];
  readonly total: number;
}

const CATALOGUE: Readonly<Record<string, number>> = { 'sku-apple': 0.5, 'sku-bread': 2.25, 'sku-tea': 4 };

@Injectable()
export class OrdersService {
  constructor(private readonly requestContext: RequestContextService) {}

  /** `@Span` makes `orders.find` a child of the request's server span. */
  @Span('orders.find')
  async find(id: string): Promise<Order> {
    await new Promise((resolve) => setTimeout(resolve, 2)); // a pretend database round trip
    const n = [...id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
    const items = [
      { sku: 'sku-apple', quantity: 1 + (n % 5) },
      { sku: 'sku-bread', quantity: 1 + (n % 2) },
      { sku: 'sku-tea', quantity: 1 },
    ];
    return { id, ...this.price(items) };
  }

  /** The manual API: startSpan … end(), with attributes and status. */
  private price(items: { sku: string; quantity: number }[]): Pick<Order, 'items' | 'total'> {
    const span = this.requestContext.startSpan('orders.price', { attributes: { 'orders.item_count': items.length } });
    try {
      const priced = items.map((item) => ({ ...item, unitPrice: CATALOGUE[item.sku] ?? 0 }));
      const total = priced.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      span.setAttribute('orders.total', total);
      return { items: priced, total };
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }
}
