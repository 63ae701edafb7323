import { Query } from '@nestjs/cqrs';
import type { PricedQuote } from '../../../domain/quote.js';
import type { QuoteRequest } from '../../quotes/quote.service.js';

/**
 * Price lines with the engine without issuing a quote (nothing is stored). Fails with
 * UNKNOWN_CUSTOMER / UNKNOWN_SHIP_TO / CURRENCY_MISMATCH (422); line problems are in the lines.
 */
export class PriceQuoteQuery extends Query<PricedQuote> {
  constructor(readonly request: QuoteRequest) {
    super();
  }
}
