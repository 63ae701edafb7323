import type {
  LineStatus,
  PriceSource,
  PromotionCodeResult,
  QuoteTotals,
} from '../../domain/quote.js';

/** A quote line as the hub keeps it for verification (the trace is not kept). */
export interface StoredQuoteLine {
  lineNo: number;
  sku: string;
  quantity: string;
  uom: string;
  status: LineStatus;
  unitPrice: string | null;
  extendedPrice: string | null;
  priceUom: string | null;
  source: PriceSource | null;
  sourceRef: string | null;
  promotions: string[];
  violations: string[];
}

/** An issued quote: what order capture checks a channel's prices and quote id against. */
export interface StoredQuote {
  quoteId: string;
  channelId: string | null;
  customerId: string;
  shipToId: string | null;
  currency: string;
  pricingDate: string;
  priceVersion: string;
  lines: StoredQuoteLine[];
  promotionCodes: PromotionCodeResult[];
  totals: QuoteTotals;
  createdAt: Date;
  expiresAt: Date;
}
