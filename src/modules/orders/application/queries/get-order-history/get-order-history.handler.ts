import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { OrderHistoryEntry } from '../../../domain/order.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { GetOrderQuery } from '../get-order/get-order.query.js';
import { GetOrderHistoryQuery } from './get-order-history.query.js';

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  constructor(
    private readonly store: OrderStore,
    private readonly queryBus: QueryBus,
  ) {}

  async execute({ orderId, channelId }: GetOrderHistoryQuery): Promise<OrderHistoryEntry[]> {
    // The same visibility as the order itself: unknown, or another channel's, is 404.
    await this.queryBus.execute(new GetOrderQuery(orderId, channelId));
    return this.store.historyOf(orderId);
  }
}
