import { Query } from '@nestjs/cqrs';
import type { OrderSnapshot } from '../../../domain/order.js';
import type { OrderDocuments } from '../../ports/order-documents.reader.js';

/** One order; ORDER_NOT_FOUND (404) when unknown or when it belongs to another channel. */
export class GetOrderQuery extends Query<OrderSnapshot & OrderDocuments> {
  constructor(
    readonly orderId: string,
    /** null = operations: any channel's order. */
    readonly channelId: string | null,
  ) {
    super();
  }
}
