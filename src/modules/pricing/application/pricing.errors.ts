import { ApplicationError } from '../../../platform/errors/index.js';
import type { QuoteRefusal } from '../domain/quote.js';

/** Expected failures of the pricing module, each with its stable problem code. */
export const PricingErrors = {
  /** UNKNOWN_CUSTOMER, UNKNOWN_SHIP_TO or CURRENCY_MISMATCH: the quote as a whole (422). */
  quoteRefused: (refusal: QuoteRefusal): ApplicationError =>
    new ApplicationError(refusal.code, refusal.message, 'unprocessable', {
      violations: [{ code: refusal.code, field: refusal.field, message: refusal.message }],
    }),

  erpAdapterUnavailable: (): ApplicationError =>
    new ApplicationError(
      'ERP_ADAPTER_UNAVAILABLE',
      'No ERP adapter is bound to read price data from.',
      'unavailable',
    ),
};
