import { Command } from '@nestjs/cqrs';
import type { CustomerScope } from '../../../../../platform/auth/index.js';
import type { IssuedQuote, QuoteRequest } from '../../quotes/quote.service.js';

/**
 * Price a quote and issue it: persisted, with an id valid for PRICING_QUOTE_TTL_SECONDS. A
 * customer outside `customerScope` (the calling channel's) is UNKNOWN_CUSTOMER.
 */
export class CreateQuoteCommand extends Command<IssuedQuote> {
  constructor(
    readonly request: QuoteRequest,
    readonly channelId: string | null,
    readonly customerScope?: CustomerScope,
  ) {
    super();
  }
}
