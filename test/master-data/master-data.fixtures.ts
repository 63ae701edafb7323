import type { Customer, Item, ShipTo, Warehouse } from '../../src/modules/master-data/index.js';

export const aShipTo = (overrides: Partial<ShipTo> = {}): ShipTo => ({
  code: 'MAIN',
  name: 'Acme Hardware, Main Warehouse',
  addressLines: ['1200 Industrial Pkwy', 'Dock 4'],
  city: 'Columbus',
  region: 'OH',
  postalCode: '43215',
  country: 'US',
  defaultWarehouseCode: 'WH-EAST',
  taxAreaCode: 'OH-FRANKLIN',
  ...overrides,
});

export const aCustomer = (overrides: Partial<Customer> = {}): Customer => ({
  erpId: 'C10042',
  name: 'Acme Hardware Inc.',
  parentErpId: null,
  status: 'ACTIVE',
  creditLimit: '25000.00',
  balanceDue: '1834.5',
  paymentTerms: 'NET30',
  currency: 'USD',
  taxAreaCode: 'OH-FRANKLIN',
  taxExemptionNumber: null,
  taxLiable: true,
  email: 'purchasing@acme.example',
  phone: '+1 614 555 0100',
  website: 'https://www.acme.example',
  address: {
    addressLines: ['4410 Commerce Dr', 'Suite 300'],
    city: 'Columbus',
    region: 'OH',
    postalCode: '43215',
    country: 'US',
  },
  shipTos: [aShipTo()],
  ...overrides,
});

export const anItem = (overrides: Partial<Item> = {}): Item => ({
  sku: 'HX-2040-BLK',
  description: 'Hex bolt M8x40, black oxide',
  baseUom: 'EA',
  uomConversions: [
    { uom: 'EA', factor: '1' },
    { uom: 'CASE', factor: '12' },
    { uom: 'PALLET', factor: '1440.000' },
  ],
  itemGroup: 'FASTENERS',
  status: 'ACTIVE',
  fulfillmentType: 'STOCK',
  supplierId: null,
  lotControlled: false,
  substitutes: [],
  gtin: '0614141000036',
  taxGroupCode: 'MATERIALS',
  ...overrides,
});

export const aDropShipItem = (overrides: Partial<Item> = {}): Item =>
  anItem({
    sku: 'DS-9000',
    description: 'Industrial shelving unit (ships from vendor)',
    fulfillmentType: 'DROP_SHIP',
    supplierId: 'V-2001',
    ...overrides,
  });

export const aWarehouse = (overrides: Partial<Warehouse> = {}): Warehouse => ({
  code: 'WH-EAST',
  name: 'East distribution center',
  address: {
    addressLines: ['500 Logistics Dr'],
    city: 'Columbus',
    region: 'OH',
    postalCode: '43217',
    country: 'US',
  },
  active: true,
  ...overrides,
});

/** An ISO timestamp `minutes` after a fixed base: feeds order by it. */
export const at = (minutes: number, base = Date.parse('2026-05-13T08:00:00.000Z')): string =>
  new Date(base + minutes * 60_000).toISOString();
