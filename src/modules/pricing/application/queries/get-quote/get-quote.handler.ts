import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { QuoteService } from '../../quotes/quote.service.js';
import { GetQuoteQuery, type QuoteLookup } from './get-quote.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@QueryHandler(GetQuoteQuery)
export class GetQuoteHandler implements IQueryHandler<GetQuoteQuery> {
  constructor(private readonly quotes: QuoteService) {}

  async execute(query: GetQuoteQuery): Promise<QuoteLookup | null> {
    if (!UUID.test(query.quoteId)) return null;
    const quote = await this.quotes.find(query.quoteId);
    if (!quote) return null;
    return { quote, expired: quote.expiresAt.getTime() <= Date.now() };
  }
}
