import { ApplicationError } from '../../../platform/errors/index.js';
import type { OrderStatus } from '../domain/order.js';
import type { OrderViolation } from '../domain/order-violation.js';

const substitutesOf = (violations: readonly OrderViolation[]) =>
  violations
    .filter((v) => v.substitutes !== undefined && v.substitutes.length > 0)
    .map((v) => ({ field: v.field, substitutes: v.substitutes }));

/** Expected failures of the orders module, each with its stable problem code. */
export const OrderErrors = {
  erpAdapterUnavailable: (): ApplicationError =>
    new ApplicationError(
      'ERP_ADAPTER_UNAVAILABLE',
      'No ERP adapter is bound to read order changes from.',
      'unavailable',
    ),

  rejected: (violations: readonly OrderViolation[]): ApplicationError =>
    new ApplicationError(
      'ORDER_REJECTED',
      `The order was rejected: ${violations.length} violation(s); nothing was stored.`,
      'unprocessable',
      {
        violations: violations.map(({ code, field, message }) => ({ code, field, message })),
        extensions:
          substitutesOf(violations).length > 0 ? { substitutes: substitutesOf(violations) } : {},
      },
    ),

  duplicate: (existing: {
    id: string;
    orderNumber: string;
    status: OrderStatus;
  }): ApplicationError =>
    new ApplicationError(
      'ORDER_ALREADY_EXISTS',
      `This channel already submitted an order with this channelOrderRef: ${existing.orderNumber} (${existing.status}).`,
      'conflict',
      {
        extensions: {
          orderId: existing.id,
          orderNumber: existing.orderNumber,
          href: `/v1/orders/${existing.id}`,
        },
        headers: { Location: `/v1/orders/${existing.id}` },
      },
    ),

  notFound: (id: string): ApplicationError =>
    new ApplicationError('ORDER_NOT_FOUND', `No order has id ${id}.`, 'not-found'),

  notOnHold: (id: string, status: OrderStatus): ApplicationError =>
    new ApplicationError(
      'ORDER_NOT_ON_HOLD',
      `Order ${id} is ${status}; only an order ON_HOLD can be released.`,
      'conflict',
    ),

  holdStillApplies: (violations: readonly OrderViolation[]): ApplicationError =>
    new ApplicationError(
      'ORDER_HOLD_STILL_APPLIES',
      'Re-validation still finds reasons to hold the order; fix them, or release with override: true.',
      'conflict',
      { violations: violations.map(({ code, field, message }) => ({ code, field, message })) },
    ),

  notCancellable: (id: string, status: OrderStatus): ApplicationError =>
    new ApplicationError(
      'ORDER_NOT_CANCELLABLE',
      `Order ${id} is ${status} and can no longer be cancelled.`,
      'conflict',
    ),

  busy: (id: string): ApplicationError =>
    new ApplicationError(
      'ORDER_BUSY',
      `Order ${id} is being posted to the ERP right now; retry in a few seconds.`,
      'conflict',
      { headers: { 'Retry-After': '2' } },
    ),

  stockMoved: (): ApplicationError =>
    new ApplicationError(
      'ORDER_STOCK_CONTENDED',
      'Stock for this order kept changing while it was being reserved; retry the request.',
      'unavailable',
      { headers: { 'Retry-After': '1' } },
    ),
};
