import { InMemoryMasterDataFeed } from '../../support/in-memory-master-data-feed.js';
import {
  aCustomer as aMasterDataCustomer,
  anItem as aMasterDataItem,
  aShipTo,
  at,
} from '../../master-data/master-data.fixtures.js';
import { priceListEntryKey } from '../../../src/modules/pricing/index.js';
import type { PriceWorld } from '../price-data.fixtures.js';
import type { InMemoryPriceDataFeed } from './in-memory-price-data-feed.js';

/** Source ids the in-memory "ERP" uses, by kind and business key. */
export const sourceIds = {
  priceList: (code: string) => `pl:${code}`,
  entry: (key: string) => `ple:${key}`,
  contract: (no: string) => `ct:${no}`,
  promotion: (code: string) => `pr:${code}`,
};

/** Puts a test world into the two in-memory ERP feeds: master data and price data. */
export function loadWorld(
  world: PriceWorld,
  masterData: InMemoryMasterDataFeed,
  prices: InMemoryPriceDataFeed,
): void {
  world.items.forEach((item, i) =>
    masterData.put(
      'items',
      `item:${item.sku}`,
      at(i),
      aMasterDataItem({
        sku: item.sku,
        description: `Item ${item.sku}`,
        baseUom: item.baseUom,
        itemGroup: item.itemGroup,
        status: item.status,
        uomConversions: item.uomConversions,
      }),
    ),
  );
  world.customers.forEach((customer, i) =>
    masterData.put(
      'customers',
      `customer:${customer.id}`,
      at(i),
      aMasterDataCustomer({
        erpId: customer.id,
        name: `Customer ${customer.id}`,
        parentErpId: customer.parentId,
        currency: customer.currency,
        shipTos: customer.shipToCodes.map((code) => aShipTo({ code })),
      }),
    ),
  );
  for (const list of world.priceLists)
    prices.put('priceLists', sourceIds.priceList(list.code), list);
  for (const entry of world.entries) {
    prices.put('priceListEntries', sourceIds.entry(priceListEntryKey(entry)), entry);
  }
  for (const contract of world.contracts) {
    prices.put('contracts', sourceIds.contract(contract.contractNo), contract);
  }
  for (const promotion of world.promotions) {
    prices.put('promotions', sourceIds.promotion(promotion.code), promotion);
  }
}
