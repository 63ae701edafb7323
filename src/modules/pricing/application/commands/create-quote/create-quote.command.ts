import { Command } from '@nestjs/cqrs';
import type { IssuedQuote, QuoteRequest } from '../../quotes/quote.service.js';

/** Price a quote and issue it: persisted, with an id valid for PRICING_QUOTE_TTL_SECONDS. */
export class CreateQuoteCommand extends Command<IssuedQuote> {
  constructor(
    readonly request: QuoteRequest,
    readonly channelId: string | null,
  ) {
    super();
  }
}
