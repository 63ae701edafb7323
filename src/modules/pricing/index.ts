import { Pricing1764600100000 } from './infrastructure/migrations/1764600100000-pricing.js';

/** The public API of the pricing module: other modules and ERP adapters import only this. */
export { PricingModule } from './pricing.module.js';

// The ERP port and its contract (ERP adapters implement it).
export { PriceDataFeed } from './application/ports/price-data.feed.js';
// The checks the hub applies to every record a feed delivers (adapter tests may use them).
export {
  checkContract,
  checkPriceList,
  checkPriceListEntry,
  checkPromotion,
} from './application/price-data.checks.js';

// Canonical price data.
export * from './domain/price-data.js';
// The engine and its in-memory index: pure, deterministic.
export {
  PriceIndex,
  ITEM_STATUSES as PRICING_ITEM_STATUSES,
  type PricingCustomer,
  type PricingItem,
  type PriceIndexStats,
} from './domain/price-index.js';
export { evaluateQuote, priceVersionOf } from './domain/quote-engine.js';
export * from './domain/quote.js';

// Use cases other modules run through the CommandBus / QueryBus (order capture, #7).
export {
  SyncPriceDataCommand,
  PRICING_SYNC,
} from './application/commands/sync-price-data/sync-price-data.command.js';
export {
  PRICING_FULL_SYNC_JOB,
  PRICING_SYNC_JOB,
} from './application/commands/sync-price-data/price-data-sync.schedule.js';
export { CreateQuoteCommand } from './application/commands/create-quote/create-quote.command.js';
export { PriceQuoteQuery } from './application/queries/price-quote/price-quote.query.js';
export {
  GetQuoteQuery,
  type QuoteLookup,
} from './application/queries/get-quote/get-quote.query.js';
export {
  CheckPricesQuery,
  QUOTE_CHECK_STATUSES,
  type PriceCheckLine,
  type PriceCheckLineResult,
  type PriceCheckRequest,
  type PriceCheckResult,
  type QuoteCheckStatus,
} from './application/queries/check-prices/check-prices.query.js';
export type { IssuedQuote, QuoteRequest } from './application/quotes/quote.service.js';
export type { StoredQuote, StoredQuoteLine } from './application/quotes/stored-quote.js';
// The pricing-trace entry of the HTTP API (the order lines' priceTrace answers it too).
export { TraceEntryResponse } from './http/dto/trace-entry.response.js';

/** This module's schema migrations, assembled into the hub list by src/migrations.ts. */
export const pricingMigrations = [Pricing1764600100000];
