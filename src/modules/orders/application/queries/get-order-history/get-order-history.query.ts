import { Query } from '@nestjs/cqrs';
import type { OrderHistoryEntry } from '../../../domain/order.js';

/**
 * Every state change of one order, oldest first; ORDER_NOT_FOUND (404) when the order is unknown
 * or belongs to another channel.
 */
export class GetOrderHistoryQuery extends Query<OrderHistoryEntry[]> {
  constructor(
    readonly orderId: string,
    /** null = operations: any channel's order. */
    readonly channelId: string | null,
  ) {
    super();
  }
}
