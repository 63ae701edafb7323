import { Command } from '@nestjs/cqrs';
import type { OrderSnapshot } from '../../../domain/order.js';

/**
 * Operations release an order ON_HOLD. The order is validated again first (customer, prices,
 * stock, credit as they are now): a rejecting violation → ORDER_REJECTED (422) and the order stays
 * on hold; reasons to hold that still apply → ORDER_HOLD_STILL_APPLIES (409) unless `override`.
 * Released, it is re-priced and re-placed as capture would, reserved, and queued for the ERP.
 */
export class ReleaseOrderCommand extends Command<OrderSnapshot> {
  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly override: boolean,
  ) {
    super();
  }
}
