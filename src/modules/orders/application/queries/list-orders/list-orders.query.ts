import { Query } from '@nestjs/cqrs';
import type { OrderSnapshot, OrderStatus } from '../../../domain/order.js';

export interface OrderPage {
  items: OrderSnapshot[];
  nextCursor: string | null;
}

/** A channel's orders (operations: every channel's), newest first, cursor paged. */
export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly filter: {
      channelId: string | null;
      status?: OrderStatus;
      channelOrderRef?: string;
      cursor?: string;
      limit?: number;
    },
  ) {
    super();
  }
}
