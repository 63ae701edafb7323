import { Command } from '@nestjs/cqrs';
import type { OrderSnapshot } from '../../../domain/order.js';

/**
 * Cancels an order before it ships (idempotent: cancelling a CANCELLED order returns it). Stock
 * held in the hub is released; segments the ERP may hold are cancelled there by a durable job.
 * `channelId` null = operations (any order); otherwise only that channel's orders.
 */
export class CancelOrderCommand extends Command<OrderSnapshot> {
  constructor(
    readonly orderId: string,
    readonly channelId: string | null,
    readonly reason: string,
  ) {
    super();
  }
}
