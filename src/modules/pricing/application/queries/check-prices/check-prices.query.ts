import { Query } from '@nestjs/cqrs';
import type { PricedQuote, QuoteLineInput } from '../../../domain/quote.js';
import type { QuoteRequest } from '../../quotes/quote.service.js';

export interface PriceCheckLine extends QuoteLineInput {
  /** The unit price (per `uom`) the channel expects, a decimal string. */
  expectedUnitPrice: string;
}

export interface PriceCheckRequest extends Omit<QuoteRequest, 'lines'> {
  lines: PriceCheckLine[];
  /** The quote the channel priced from, if any. */
  quoteId?: string | null;
  /** The priceVersion the channel's prices came with, if any. */
  priceVersion?: string | null;
}

export const QUOTE_CHECK_STATUSES = ['VALID', 'EXPIRED', 'NOT_FOUND', 'OTHER_CUSTOMER'] as const;
export type QuoteCheckStatus = (typeof QUOTE_CHECK_STATUSES)[number];

export interface PriceCheckLineResult {
  lineNo: number;
  sku: string;
  expectedUnitPrice: string;
  /** What the engine prices now (null: the line has violations, see `quote`). */
  unitPrice: string | null;
  matchesCurrent: boolean;
  /** The issued quote's price for the same line (same SKU, UoM and quantity), if any. */
  quotedUnitPrice: string | null;
  /** null when there is no valid quote line to compare with. */
  matchesQuote: boolean | null;
}

export interface PriceCheckResult {
  /** The engine's answer now, with trace and violations. */
  quote: PricedQuote;
  /** null when the request carried no priceVersion. */
  priceVersionMatches: boolean | null;
  /** null when the request carried no quoteId. */
  quoteStatus: QuoteCheckStatus | null;
  lines: PriceCheckLineResult[];
  /** Every line priced now, at exactly the expected unit price. */
  allMatchCurrent: boolean;
}

/**
 * For order capture: checks the unit prices a channel sends against the engine now, and against
 * the quote it names. Decides nothing: the caller applies its own price-mismatch policy (hold,
 * reject, honour a still-valid quote). Prices compare as decimals (`"9.5"` equals `"9.5000"`).
 */
export class CheckPricesQuery extends Query<PriceCheckResult> {
  constructor(readonly request: PriceCheckRequest) {
    super();
  }
}
