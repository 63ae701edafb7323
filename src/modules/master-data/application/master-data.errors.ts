import { ApplicationError } from '../../../platform/errors/index.js';

/** Expected failures of the master-data module, each with its stable problem code. */
export const MasterDataErrors = {
  customerNotFound: (erpId: string): ApplicationError =>
    new ApplicationError(
      'CUSTOMER_NOT_FOUND',
      `No customer with ERP number ${erpId} is known to the hub.`,
      'not-found',
    ),

  itemNotFound: (sku: string): ApplicationError =>
    new ApplicationError(
      'ITEM_NOT_FOUND',
      `No item with SKU ${sku} is known to the hub.`,
      'not-found',
    ),

  erpAdapterUnavailable: (): ApplicationError =>
    new ApplicationError(
      'ERP_ADAPTER_UNAVAILABLE',
      'No ERP adapter is bound to read master data from.',
      'unavailable',
    ),

  invalidCursor: (
    detail = 'The cursor is not one this API returned; start again without a cursor.',
  ) =>
    new ApplicationError('INVALID_CURSOR', detail, 'validation', {
      violations: [
        {
          code: 'INVALID_CURSOR',
          field: 'cursor',
          message: 'cursor must be a nextCursor value returned by this endpoint',
        },
      ],
    }),
};
