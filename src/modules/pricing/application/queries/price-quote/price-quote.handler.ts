import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PricedQuote } from '../../../domain/quote.js';
import { QuoteService } from '../../quotes/quote.service.js';
import { PriceQuoteQuery } from './price-quote.query.js';

@QueryHandler(PriceQuoteQuery)
export class PriceQuoteHandler implements IQueryHandler<PriceQuoteQuery> {
  constructor(private readonly quotes: QuoteService) {}

  execute(query: PriceQuoteQuery): Promise<PricedQuote> {
    return this.quotes.price(query.request);
  }
}
