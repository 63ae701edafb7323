import { Command } from '@nestjs/cqrs';
import type { AuthenticatedChannel } from '../../../../../platform/auth/index.js';
import type { IdempotentOutcome, ResponseFor } from '../../../../../platform/idempotency/index.js';
import type { OrderSnapshot } from '../../../domain/order.js';
import type { OrderRequest } from '../../order-planner.js';

/**
 * Validates, prices, places and stores an order, reserving its stock and queueing its ERP
 * posting in one transaction. Rejected (ORDER_REJECTED, 422, every violation) when the channel's
 * policy rejects any violation; a second order under the same channelOrderRef → ORDER_ALREADY_EXISTS.
 */
export class CaptureOrderCommand extends Command<OrderSnapshot> {
  constructor(
    readonly request: OrderRequest,
    readonly channel: AuthenticatedChannel,
    /**
     * The request's Idempotency-Key and the answer the route gives for the order: stored in the
     * order's own transaction, so a committed order always has its answer for a same-key retry.
     */
    readonly idempotency?: { outcome: IdempotentOutcome; respond: ResponseFor<OrderSnapshot> },
  ) {
    super();
  }
}
