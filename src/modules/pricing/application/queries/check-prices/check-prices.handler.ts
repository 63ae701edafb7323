import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Decimal } from 'decimal.js';
import { QuoteService } from '../../quotes/quote.service.js';
import type { StoredQuote } from '../../quotes/stored-quote.js';
import {
  CheckPricesQuery,
  type PriceCheckLineResult,
  type PriceCheckResult,
  type QuoteCheckStatus,
} from './check-prices.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;

const sameAmount = (a: string | null, b: string): boolean =>
  a !== null && DECIMAL.test(a) && DECIMAL.test(b) && new Decimal(a).equals(b);

@QueryHandler(CheckPricesQuery)
export class CheckPricesHandler implements IQueryHandler<CheckPricesQuery> {
  constructor(private readonly quotes: QuoteService) {}

  async execute({ request }: CheckPricesQuery): Promise<PriceCheckResult> {
    const { quoteId, priceVersion, ...rest } = request;
    const quote = await this.quotes.price({
      ...rest,
      lines: request.lines.map(({ sku, quantity, uom }) => ({ sku, quantity, uom })),
    });
    let stored: StoredQuote | null = null;
    let quoteStatus: QuoteCheckStatus | null = null;
    if (quoteId) {
      stored = UUID.test(quoteId) ? await this.quotes.find(quoteId) : null;
      if (!stored) quoteStatus = 'NOT_FOUND';
      else if (stored.customerId !== quote.customerId) quoteStatus = 'OTHER_CUSTOMER';
      else if (stored.expiresAt.getTime() <= Date.now()) quoteStatus = 'EXPIRED';
      else quoteStatus = 'VALID';
    }
    const lines: PriceCheckLineResult[] = request.lines.map((line, i) => {
      const priced = quote.lines[i];
      const quoted =
        quoteStatus === 'VALID'
          ? stored?.lines.find(
              (l) =>
                l.sku === line.sku &&
                l.uom.toUpperCase() === line.uom.toUpperCase() &&
                DECIMAL.test(line.quantity) &&
                new Decimal(l.quantity).equals(line.quantity),
            )
          : undefined;
      const quotedUnitPrice = quoted?.unitPrice ?? null;
      return {
        lineNo: priced.lineNo,
        sku: line.sku,
        expectedUnitPrice: line.expectedUnitPrice,
        unitPrice: priced.unitPrice,
        matchesCurrent: sameAmount(priced.unitPrice, line.expectedUnitPrice),
        quotedUnitPrice,
        matchesQuote:
          quotedUnitPrice === null ? null : sameAmount(quotedUnitPrice, line.expectedUnitPrice),
      };
    });
    return {
      quote,
      priceVersionMatches: priceVersion ? priceVersion === quote.priceVersion : null,
      quoteStatus,
      lines,
      allMatchCurrent: lines.every((l) => l.matchesCurrent),
    };
  }
}
