import type { DeltaStream, DeltaTable } from '../../../../../platform/delta-sync/index.js';
import type { PriceDataKind } from '../../../domain/price-data.js';
import {
  CONTRACT_TABLE,
  PRICE_LIST_ENTRY_TABLE,
  PRICE_LIST_TABLE,
  PROMOTION_TABLE,
} from '../../../infrastructure/price-data.tables.js';
import {
  checkContract,
  checkPriceList,
  checkPriceListEntry,
  checkPromotion,
} from '../../price-data.checks.js';
import type { PriceDataFeed } from '../../ports/price-data.feed.js';

/** The streams of a price-data sync, in the order they are read (lists before their entries). */
export function priceDataStreams(feed: PriceDataFeed): DeltaStream[] {
  const streams: { [K in PriceDataKind]: DeltaStream<unknown> } = {
    priceLists: {
      name: 'priceLists',
      read: (request) => feed.readPriceLists(request),
      check: checkPriceList,
      table: PRICE_LIST_TABLE as DeltaTable<unknown>,
    },
    priceListEntries: {
      name: 'priceListEntries',
      read: (request) => feed.readPriceListEntries(request),
      check: checkPriceListEntry,
      table: PRICE_LIST_ENTRY_TABLE as DeltaTable<unknown>,
    },
    contracts: {
      name: 'contracts',
      read: (request) => feed.readContracts(request),
      check: checkContract,
      table: CONTRACT_TABLE as DeltaTable<unknown>,
    },
    promotions: {
      name: 'promotions',
      read: (request) => feed.readPromotions(request),
      check: checkPromotion,
      table: PROMOTION_TABLE as DeltaTable<unknown>,
    },
  };
  return [streams.priceLists, streams.priceListEntries, streams.contracts, streams.promotions];
}
