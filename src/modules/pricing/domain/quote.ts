/*
 * What the engine answers: a price per line with the rule trace that explains it.
 */

export const PRICE_SOURCES = ['CONTRACT', 'CUSTOMER_PRICE_BOOK', 'BASE_PRICE_BOOK'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

export const TRACE_RULES = [
  'CONTRACT',
  'CUSTOMER_PRICE_BOOK',
  'BASE_PRICE_BOOK',
  'QUANTITY_BREAK',
  'PROMOTION',
] as const;
export type TraceRule = (typeof TRACE_RULES)[number];

/**
 * WON: this rule set the price before promotions. BASIS: its price is the list price a
 * percent-off contract discounted. APPLIED: a quantity break or promotion that changed the price.
 * LOST: applicable but another rule took precedence. NOT_APPLICABLE / NOT_REACHED: did not apply.
 */
export const TRACE_OUTCOMES = [
  'WON',
  'BASIS',
  'APPLIED',
  'LOST',
  'NOT_APPLICABLE',
  'NOT_REACHED',
] as const;
export type TraceOutcome = (typeof TRACE_OUTCOMES)[number];

export const TRACE_REASONS = [
  // WON / BASIS / APPLIED
  'HIGHEST_PRECEDENCE',
  'LIST_PRICE_FOR_CONTRACT',
  'BREAK_REACHED',
  'PROMOTION_APPLIED',
  // LOST
  'OUTRANKED',
  'SUPERSEDED',
  'HIGHER_PRICE',
  'EXCLUDED_BY_EXCLUSIVE',
  'NOT_COMBINABLE',
  'NO_REDUCTION',
  // NOT_APPLICABLE / NOT_REACHED
  'INACTIVE',
  'NOT_YET_VALID',
  'EXPIRED',
  'CURRENCY_MISMATCH',
  'BELOW_MIN_QUANTITY',
  'BELOW_BREAK',
  'UOM_NOT_CONVERTIBLE',
  'NO_LIST_PRICE',
  'CODE_REQUIRED',
  'CUSTOMER_NOT_IN_SCOPE',
  'CHANNEL_NOT_IN_SCOPE',
] as const;
export type TraceReason = (typeof TRACE_REASONS)[number];

/** One candidate rule the engine considered for a line, and what became of it. */
export interface TraceEntry {
  rule: TraceRule;
  /** Contract number, price-list code or promotion code. */
  ref: string;
  outcome: TraceOutcome;
  reason: TraceReason;
  /** The account the rule belongs to (contracts, customer price books). */
  account?: string;
  /** The candidate's unit price per price UoM (4 decimals), when it could be computed. */
  unitPrice?: string;
  /** Quantity breaks: the break's minimum quantity, in `uom`. */
  minQuantity?: string;
  uom?: string;
  /** One sentence for a person. */
  detail: string;
}

export const LINE_VIOLATION_CODES = [
  'ITEM_NOT_FOUND',
  'ITEM_NOT_SELLABLE',
  'UOM_NOT_CONVERTIBLE',
  'QUANTITY_NOT_DIVISIBLE',
  'NO_PRICE',
  'INVALID_QUANTITY',
] as const;
export type LineViolationCode = (typeof LINE_VIOLATION_CODES)[number];

export interface LineViolation {
  code: LineViolationCode;
  field: string;
  message: string;
}

export interface AppliedQuantityBreak {
  priceList: string;
  /** The break's minimum quantity, in `uom` (the price-book line's UoM). */
  minQuantity: string;
  uom: string;
  /** The same minimum in the item's base UoM: what the line's quantity was compared with. */
  minBaseQuantity: string;
  baseUom: string;
}

export interface AppliedPromotion {
  code: string;
  description: string;
  discountType: string;
  /** Taken off the unit price (per price UoM), 4 decimals. */
  amountOff: string;
}

export const LINE_STATUSES = ['PRICED', 'REJECTED'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export interface PricedLine {
  lineNo: number;
  sku: string;
  quantity: string;
  uom: string;
  status: LineStatus;
  /** Per one `priceUom`, 4 decimals, rounded half-up once at the end. */
  unitPrice: string | null;
  /** unitPrice × quantity, rounded half-up to the currency's minor unit. */
  extendedPrice: string | null;
  priceUom: string | null;
  /** The price-book price before contract and promotions (4 decimals), when there is one. */
  listPrice: string | null;
  source: PriceSource | null;
  /** The contract number or price-list code that set the price. */
  sourceRef: string | null;
  quantityBreak: AppliedQuantityBreak | null;
  promotions: AppliedPromotion[];
  trace: TraceEntry[];
  violations: LineViolation[];
}

export const PROMOTION_CODE_STATUSES = ['APPLIED', 'NOT_APPLIED', 'UNKNOWN'] as const;
export type PromotionCodeStatus = (typeof PROMOTION_CODE_STATUSES)[number];

export interface PromotionCodeResult {
  code: string;
  status: PromotionCodeStatus;
}

export interface QuoteTotals {
  lineCount: number;
  pricedLineCount: number;
  rejectedLineCount: number;
  /** Sum of the priced lines' extended prices. */
  subtotal: string;
}

export interface PricedQuote {
  customerId: string;
  shipToId: string | null;
  currency: string;
  pricingDate: string;
  priceVersion: string;
  lines: PricedLine[];
  promotionCodes: PromotionCodeResult[];
  totals: QuoteTotals;
}

export const QUOTE_REFUSAL_CODES = [
  'UNKNOWN_CUSTOMER',
  'UNKNOWN_SHIP_TO',
  'CURRENCY_MISMATCH',
] as const;
export type QuoteRefusalCode = (typeof QUOTE_REFUSAL_CODES)[number];

/** Why a whole quote cannot be priced (422). */
export interface QuoteRefusal {
  code: QuoteRefusalCode;
  field: string;
  message: string;
}

export type QuoteEvaluation =
  { ok: true; quote: PricedQuote } | { ok: false; refusal: QuoteRefusal };

export interface QuoteLineInput {
  sku: string;
  quantity: string;
  uom: string;
}

export interface QuoteInput {
  customerId: string;
  shipToId?: string | null;
  /** Defaults to the customer's currency; any other currency is refused. */
  currency?: string | null;
  /** Calendar date the validity dates are compared with (inclusive), `YYYY-MM-DD`. */
  pricingDate: string;
  promotionCodes?: readonly string[];
  /** The channel asking: promotions scoped to channels match its name or kind. */
  channel?: { name: string; kind: string } | null;
  lines: readonly QuoteLineInput[];
}
