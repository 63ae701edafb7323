import { Optional } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { OrderSnapshot } from '../../../domain/order.js';
import { type OrderDocuments, OrderDocumentsReader } from '../../ports/order-documents.reader.js';
import { OrderStore } from '../../../infrastructure/order.store.js';
import { OrderErrors } from '../../orders.errors.js';
import { GetOrderQuery } from './get-order.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(
    private readonly store: OrderStore,
    @Optional() private readonly documents?: OrderDocumentsReader,
  ) {}

  async execute({ orderId, channelId }: GetOrderQuery): Promise<OrderSnapshot & OrderDocuments> {
    const order = UUID.test(orderId) ? await this.store.find(orderId) : null;
    // Another channel's order is as unknown as a missing one: its existence is not revealed.
    if (!order || (channelId !== null && order.channelId !== channelId)) {
      throw OrderErrors.notFound(orderId);
    }
    const documents = this.documents
      ? await this.documents.forOrder(order.id)
      : { shipments: [], invoices: [] };
    return { ...order, ...documents };
  }
}
