import { Query } from '@nestjs/cqrs';
import type { StoredQuote } from '../../quotes/stored-quote.js';

export interface QuoteLookup {
  quote: StoredQuote;
  /** True once expiresAt has passed: the quote's prices are no longer guaranteed. */
  expired: boolean;
}

/** An issued quote by id, or null when the hub never issued it (or purged it after expiry). */
export class GetQuoteQuery extends Query<QuoteLookup | null> {
  constructor(readonly quoteId: string) {
    super();
  }
}
