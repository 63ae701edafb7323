import type {
  Contract,
  PriceList,
  PriceListEntry,
  PricingCustomer,
  PricingItem,
  Promotion,
} from '../../src/modules/pricing/index.js';
import { PriceIndex } from '../../src/modules/pricing/index.js';

/** The date most cases price on. */
export const TODAY = '2026-05-13';

export const anItem = (overrides: Partial<PricingItem> = {}): PricingItem => ({
  sku: 'HX-2040',
  baseUom: 'EA',
  itemGroup: 'FASTENERS',
  status: 'ACTIVE',
  uomConversions: [
    { uom: 'EA', factor: '1' },
    { uom: 'CASE', factor: '12' },
    { uom: 'PALLET', factor: '1440' },
  ],
  ...overrides,
});

export const aCustomer = (overrides: Partial<PricingCustomer> = {}): PricingCustomer => ({
  id: 'C200',
  parentId: null,
  currency: 'USD',
  status: 'ACTIVE',
  shipToCodes: ['MAIN'],
  ...overrides,
});

export const aBaseList = (overrides: Partial<PriceList> = {}): PriceList => ({
  code: 'BASE-USD',
  description: 'Base price list USD',
  type: 'BASE',
  currency: 'USD',
  customerId: null,
  validFrom: '2025-01-01',
  validTo: null,
  active: true,
  ...overrides,
});

export const aCustomerList = (customerId: string, overrides: Partial<PriceList> = {}): PriceList =>
  aBaseList({
    code: `CPL-${customerId}`,
    description: `Price list for ${customerId}`,
    type: 'CUSTOMER',
    customerId,
    ...overrides,
  });

export const anEntry = (overrides: Partial<PriceListEntry> = {}): PriceListEntry => ({
  priceListCode: 'BASE-USD',
  sku: 'HX-2040',
  uom: 'EA',
  minQuantity: '0',
  unitPrice: '10.00',
  ...overrides,
});

export const aContract = (overrides: Partial<Contract> = {}): Contract => ({
  contractNo: 'CT-000001',
  description: 'Contract price HX-2040 per EA',
  customerId: 'P100',
  sku: 'HX-2040',
  itemGroup: null,
  priceType: 'FIXED',
  fixedPrice: '8.50',
  uom: 'EA',
  currency: 'USD',
  discountPercent: null,
  minQuantity: null,
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  ...overrides,
});

export const aPercentContract = (overrides: Partial<Contract> = {}): Contract =>
  aContract({
    description: '10% off HX-2040',
    priceType: 'PERCENT_OFF',
    fixedPrice: null,
    uom: null,
    discountPercent: '10',
    ...overrides,
  });

export const aPromotion = (overrides: Partial<Promotion> = {}): Promotion => ({
  code: 'SPRING-10',
  description: 'Spring sale: 10% off fasteners',
  discountType: 'PERCENT_OFF',
  discountPercent: '10',
  discountAmount: null,
  fixedPrice: null,
  currency: null,
  minQuantity: null,
  validFrom: '2026-05-01',
  validTo: '2026-05-31',
  active: true,
  requiresCode: false,
  stackable: true,
  priority: 0,
  items: [],
  itemGroups: ['FASTENERS'],
  customers: [],
  channels: [],
  ...overrides,
});

/** The price data of one test world, put into an index in any order. */
export interface PriceWorld {
  items: PricingItem[];
  customers: PricingCustomer[];
  priceLists: PriceList[];
  entries: PriceListEntry[];
  contracts: Contract[];
  promotions: Promotion[];
}

/**
 * The world most cases start from: a parent account P100 with children C101 and C102, a stand-
 * alone customer C200 and a EUR customer C300; item HX-2040 (EA, CASE of 12, PALLET of 1440) in
 * FASTENERS with base prices and EA breaks from 12 and 24; P100's customer price book.
 */
export function standardWorld(): PriceWorld {
  return {
    items: [
      anItem(),
      anItem({
        sku: 'WR-1000',
        itemGroup: 'TOOLS',
        uomConversions: [
          { uom: 'EA', factor: '1' },
          { uom: 'BOX', factor: '6' },
        ],
      }),
      anItem({ sku: 'BLK-1', status: 'BLOCKED' }),
      anItem({ sku: 'OLD-1', status: 'DISCONTINUED' }),
    ],
    customers: [
      aCustomer({ id: 'P100', shipToCodes: ['HQ'] }),
      aCustomer({ id: 'C101', parentId: 'P100' }),
      aCustomer({ id: 'C102', parentId: 'P100' }),
      aCustomer({ id: 'C200' }),
      aCustomer({ id: 'C300', currency: 'EUR' }),
    ],
    priceLists: [
      aBaseList(),
      aBaseList({ code: 'BASE-EUR', currency: 'EUR', description: 'Base price list EUR' }),
      aCustomerList('P100'),
    ],
    entries: [
      anEntry(),
      anEntry({ minQuantity: '12', unitPrice: '9.50' }),
      anEntry({ minQuantity: '24', unitPrice: '9.00' }),
      anEntry({ uom: 'CASE', unitPrice: '110.00' }),
      anEntry({ sku: 'WR-1000', unitPrice: '25.00' }),
      anEntry({ sku: 'BLK-1', unitPrice: '1.00' }),
      anEntry({ sku: 'OLD-1', unitPrice: '3.00' }),
      anEntry({ priceListCode: 'BASE-EUR', unitPrice: '9.20' }),
      anEntry({ priceListCode: 'CPL-P100', unitPrice: '9.80' }),
    ],
    contracts: [],
    promotions: [],
  };
}

export function buildIndex(world: PriceWorld): PriceIndex {
  const index = new PriceIndex();
  for (const item of world.items) index.putItem(item);
  for (const customer of world.customers) index.putCustomer(customer);
  for (const list of world.priceLists) index.putPriceList(list);
  for (const entry of world.entries) index.putEntry(entry);
  for (const contract of world.contracts) index.putContract(contract);
  for (const promotion of world.promotions) index.putPromotion(promotion);
  return index;
}
