import { Module } from '@nestjs/common';
import { DeltaSyncModule } from '../../platform/delta-sync/index.js';
import { CreateQuoteHandler } from './application/commands/create-quote/create-quote.handler.js';
import { PriceDataSyncSchedule } from './application/commands/sync-price-data/price-data-sync.schedule.js';
import { SyncPriceDataHandler } from './application/commands/sync-price-data/sync-price-data.handler.js';
import { PriceCache } from './application/price-cache/price-cache.js';
import { CheckPricesHandler } from './application/queries/check-prices/check-prices.handler.js';
import { GetPriceSyncRunHandler } from './application/queries/get-price-sync-run/get-price-sync-run.handler.js';
import { GetQuoteHandler } from './application/queries/get-quote/get-quote.handler.js';
import { PriceQuoteHandler } from './application/queries/price-quote/price-quote.handler.js';
import { QuotePurgeSchedule } from './application/quotes/quote-purge.schedule.js';
import { QuoteService } from './application/quotes/quote.service.js';
import { PriceSyncController } from './http/price-sync.controller.js';
import { PricingController } from './http/pricing.controller.js';
import { ListPriceSyncRunsHandler } from './application/queries/list-price-sync-runs/list-price-sync-runs.handler.js';
import { PriceDataReader } from './infrastructure/price-data.reader.js';
import { QuoteStore } from './infrastructure/quote.store.js';

const commandHandlers = [CreateQuoteHandler, SyncPriceDataHandler];
const queryHandlers = [
  PriceQuoteHandler,
  GetQuoteHandler,
  CheckPricesHandler,
  GetPriceSyncRunHandler,
  ListPriceSyncRunsHandler,
];
const repositories = [PriceDataReader, QuoteStore];

/**
 * Pricing: the ERP's price data synced into the hub (through the generic delta-sync runner), an
 * in-memory price cache, the quote engine and the quote API.
 *
 * The ERP port PriceDataFeed is NOT provided here: the module that binds an ERP adapter
 * (ErpAdapterModule) provides and exports it. Until one does, syncs answer 503 (quotes still
 * work from whatever price data the hub holds).
 */
@Module({
  imports: [DeltaSyncModule],
  controllers: [PricingController, PriceSyncController],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ...repositories,
    PriceCache,
    QuoteService,
    PriceDataSyncSchedule,
    QuotePurgeSchedule,
  ],
})
export class PricingModule {}
