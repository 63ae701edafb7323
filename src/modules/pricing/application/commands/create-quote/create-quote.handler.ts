import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type IssuedQuote, QuoteService } from '../../quotes/quote.service.js';
import { CreateQuoteCommand } from './create-quote.command.js';

@CommandHandler(CreateQuoteCommand)
export class CreateQuoteHandler implements ICommandHandler<CreateQuoteCommand> {
  constructor(private readonly quotes: QuoteService) {}

  execute(command: CreateQuoteCommand): Promise<IssuedQuote> {
    return this.quotes.issue(command.request, command.channelId, command.customerScope);
  }
}
