import { ApplicationError, type Violation } from '../../../platform/errors/index.js';

export interface Shortage {
  sku: string;
  warehouse: string;
  requested: string;
  /** What the caller (after its channel's rules) could have reserved there. */
  available: string;
}

/** Expected failures of the inventory module, each with its stable problem code. */
export const InventoryErrors = {
  invalidReservation: (violations: Violation[]): ApplicationError =>
    new ApplicationError(
      'RESERVATION_INVALID',
      'The reservation request is invalid.',
      'validation',
      {
        violations,
      },
    ),

  insufficientStock: (shortages: Shortage[]): ApplicationError =>
    new ApplicationError(
      'INSUFFICIENT_STOCK',
      shortages.length > 0
        ? `Not enough stock: ${shortages
            .map(
              (s) =>
                `${s.sku} at ${s.warehouse} (requested ${s.requested}, available ${s.available})`,
            )
            .join('; ')}. Nothing was reserved.`
        : 'Not enough stock; nothing was reserved.',
      'conflict',
      {
        violations: shortages.map((s) => ({
          code: 'INSUFFICIENT_STOCK',
          field: `${s.sku}@${s.warehouse}`,
          message: `requested ${s.requested}, available ${s.available}`,
        })),
        extensions: { shortages },
      },
    ),

  warehouseNotAllowed: (violations: Violation[]): ApplicationError =>
    new ApplicationError(
      'WAREHOUSE_NOT_ALLOWED',
      'The channel may not sell from a warehouse named in the request.',
      'unprocessable',
      { violations },
    ),

  reservationExists: (orderId: string, reservationId: string): ApplicationError =>
    new ApplicationError(
      'RESERVATION_EXISTS',
      `Order ${orderId} already holds an active reservation for other stock; release it first.`,
      'conflict',
      { extensions: { reservationId } },
    ),

  channelNotFound: (channelId: string): ApplicationError =>
    new ApplicationError('CHANNEL_NOT_FOUND', `No channel has id ${channelId}.`, 'not-found'),

  invalidChannelRule: (violations: Violation[]): ApplicationError =>
    new ApplicationError('INVALID_CHANNEL_RULE', 'The channel rule is invalid.', 'validation', {
      violations,
    }),

  invalidSafetyStock: (): ApplicationError =>
    new ApplicationError(
      'INVALID_SAFETY_STOCK',
      'safetyStock must be a non-negative decimal string.',
      'validation',
      {
        violations: [
          {
            code: 'INVALID_QUANTITY',
            field: 'safetyStock',
            message: 'must be a non-negative decimal string',
          },
        ],
      },
    ),

  unknownPosition: (
    sku: string,
    warehouse: string,
    unknown: { skuUnknown: boolean; warehouseUnknown: boolean },
  ): ApplicationError =>
    new ApplicationError(
      unknown.skuUnknown ? 'ITEM_NOT_FOUND' : 'WAREHOUSE_NOT_FOUND',
      `No position ${sku} × ${warehouse}: the hub's master data has no ` +
        [
          unknown.skuUnknown ? `item ${sku}` : '',
          unknown.warehouseUnknown ? `warehouse ${warehouse}` : '',
        ]
          .filter(Boolean)
          .join(' and ') +
        '.',
      'not-found',
    ),

  erpAdapterUnavailable: (): ApplicationError =>
    new ApplicationError(
      'ERP_ADAPTER_UNAVAILABLE',
      'No ERP adapter is bound to read inventory balances from.',
      'unavailable',
    ),

  syncAlreadyRunning: (): ApplicationError =>
    new ApplicationError(
      'SYNC_ALREADY_RUNNING',
      'An inventory sync is already running on this instance; wait for it to finish.',
      'conflict',
    ),
};
