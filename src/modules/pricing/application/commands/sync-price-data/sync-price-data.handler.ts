import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../../../../config/index.js';
import { type DeltaSyncRun, DeltaSyncService } from '../../../../../platform/delta-sync/index.js';
import { PriceCache } from '../../price-cache/price-cache.js';
import { PricingErrors } from '../../pricing.errors.js';
import { PriceDataFeed } from '../../ports/price-data.feed.js';
import { priceDataStreams } from './price-data.streams.js';
import { PRICING_SYNC, SyncPriceDataCommand } from './sync-price-data.command.js';

@CommandHandler(SyncPriceDataCommand)
export class SyncPriceDataHandler implements ICommandHandler<SyncPriceDataCommand> {
  constructor(
    // Optional until ErpAdapterModule binds an adapter: without one, a sync answers 503.
    @Optional() @Inject(PriceDataFeed) private readonly feed: PriceDataFeed | null,
    private readonly sync: DeltaSyncService,
    private readonly cache: PriceCache,
    private readonly config: AppConfig,
  ) {}

  execute(command: SyncPriceDataCommand): Promise<DeltaSyncRun> {
    const feed = this.feed;
    if (!feed) throw PricingErrors.erpAdapterUnavailable();
    return this.sync.start(
      {
        sync: PRICING_SYNC,
        feedName: feed.name,
        streams: priceDataStreams(feed),
        pageSize: this.config.pricing.syncPageSize,
        lagSeconds: this.config.pricing.syncLagSeconds,
        // Quotes on this instance see the new prices as soon as the run is over (others within
        // PRICING_CACHE_REFRESH_SECONDS).
        afterRun: () => this.cache.refresh(),
      },
      { trigger: command.trigger, wait: command.wait, full: command.full },
    );
  }
}
