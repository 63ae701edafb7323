import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedChannel,
  CurrentChannel,
  RequireScopes,
} from '../../../platform/auth/index.js';
import { ApiProblemResponses } from '../../../platform/openapi/index.js';
import { CreateQuoteCommand } from '../application/commands/create-quote/create-quote.command.js';
import { CreateQuoteRequest } from './dto/create-quote.request.js';
import { QuoteResponse } from './dto/quote.response.js';

const PRECEDENCE = `
Prices are the ERP's (synced into the hub) and evaluated by one deterministic engine, so every
channel gets the same price for the same request. Per line:

1. **List price** from the price books: the customer's own CUSTOMER book, then its parent
   account's (and so on up), then the BASE book of the quote currency. The first one that is
   valid on the pricing date, in the currency and has a price for the quantity wins (within one
   level: the newest validFrom). Prices per another unit of the item are converted with its UoM
   factors.
2. **Quantity breaks** are compared in the item's base unit: a break "from 12 EA" applies to an
   order of 1 CASE of 12. Of the breaks the quantity reaches, the lowest price applies.
3. **Contracts** beat every price book: the customer's own, then its parent account's; an item
   contract before an item-group contract of the same account; then the lowest price, then the
   lowest contract number. FIXED sets the price (per its unit, converted); PERCENT_OFF takes its
   percentage off the list price of step 1. Contracts may need a minimum quantity (base unit).
4. **Promotions** then apply to that price, in order of priority (highest first), then larger
   discount, then code. Stackable ones combine (percentages compound); an exclusive one applies
   only if nothing applied before it, and nothing after it does. A code promotion needs its code
   in \`promotionCodes\`. The price never goes below zero.
5. **Rounding**: the unit price is computed exactly and rounded once, to 4 decimals, half-up
   (ROUND_HALF_UP); the extended price is that unit price × quantity, rounded half-up to the
   currency's minor unit (2 for USD, CAD, EUR). Validity dates are inclusive calendar dates.

\`source\` says which rule set the price (CONTRACT, CUSTOMER_PRICE_BOOK, BASE_PRICE_BOOK); \`trace\`
lists every candidate rule with why it won or lost. A line that cannot be priced carries
\`violations\` (ITEM_NOT_FOUND, ITEM_NOT_SELLABLE, UOM_NOT_CONVERTIBLE, NO_PRICE) and the other
lines are still priced. \`priceVersion\` changes whenever any price data the quote used changes;
order capture checks prices and the quote id (valid until \`expiresAt\`) against the engine.`;

/** Channels: real-time prices with the rule trace. */
@ApiTags('Pricing')
@Controller('v1/pricing')
export class PricingController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('quotes')
  @RequireScopes('pricing:read')
  @ApiOperation({
    summary: 'Price lines for a customer (a quote, with the "why this price" trace)',
    description: PRECEDENCE.trim(),
  })
  @ApiBody({
    type: CreateQuoteRequest,
    examples: {
      cart: {
        summary: 'A cart for demo customer C10001 (a box of 12 and single brushes)',
        value: {
          customerId: 'C10001',
          lines: [
            { sku: 'ABR-10015', quantity: '2', uom: 'BX' },
            { sku: 'ABR-10026', quantity: '10', uom: 'EA' },
          ],
        },
      },
    },
  })
  @ApiResponse({ status: 201, type: QuoteResponse, description: 'The quote, issued with an id' })
  @ApiProblemResponses(
    400,
    {
      status: 422,
      description:
        'The quote as a whole cannot be priced: UNKNOWN_CUSTOMER (unknown to the hub, or outside ' +
        "the channel's customer scope: answered alike), UNKNOWN_SHIP_TO (not a " +
        "ship-to of the customer) or CURRENCY_MISMATCH (not the customer's currency)",
      code: 'UNKNOWN_CUSTOMER',
      detail: 'No customer C99999 is known to the hub.',
    },
    {
      status: 503,
      description: 'The price cache could not be loaded',
      code: 'UNAVAILABLE',
      detail: 'A dependency is unavailable.',
    },
  )
  async quote(
    @Body() body: CreateQuoteRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<QuoteResponse> {
    const issued = await this.commandBus.execute(
      new CreateQuoteCommand(
        {
          customerId: body.customerId,
          shipToId: body.shipToId ?? null,
          currency: body.currency ?? null,
          pricingDate: body.pricingDate ?? null,
          promotionCodes: body.promotionCodes ?? [],
          channel: { name: channel.channelName, kind: channel.kind },
          lines: body.lines,
        },
        channel.channelId,
        channel.customerScope,
      ),
    );
    return QuoteResponse.from(issued);
  }
}
