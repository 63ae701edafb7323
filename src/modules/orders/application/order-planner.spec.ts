import type { QueryBus } from '@nestjs/cqrs';
import type { InventoryService, SkuAvailability } from '../../inventory/index.js';
import {
  type Customer,
  GetCustomerQuery,
  GetItemsQuery,
  GetWarehousesQuery,
  type Item,
} from '../../master-data/index.js';
import { type PricedQuote, PriceQuoteQuery, type QuoteRequest } from '../../pricing/index.js';
import type { AppConfig } from '../../../config/index.js';
import type { Clock } from '../../../platform/clock/index.js';
import { ApplicationError } from '../../../platform/errors/index.js';
import { BUILT_IN_POLICY } from '../domain/order-policy.js';
import { OrderPlanner, type OrderRequest } from './order-planner.js';

const customer: Customer = {
  erpId: 'C1',
  name: 'Acme',
  parentErpId: null,
  status: 'ACTIVE',
  creditLimit: '1000.0000',
  balanceDue: '0.0000',
  paymentTerms: 'NET30',
  currency: 'USD',
  taxAreaCode: 'US-NV',
  taxExemptionNumber: null,
  taxLiable: true,
  email: null,
  phone: null,
  website: null,
  address: null,
  shipTos: [],
};
const item = (sku: string, overrides: Partial<Item> = {}): Item => ({
  sku,
  description: sku,
  baseUom: 'EA',
  uomConversions: [
    { uom: 'EA', factor: '1' },
    { uom: 'CS', factor: '12' },
  ],
  itemGroup: null,
  status: 'ACTIVE',
  fulfillmentType: 'STOCK',
  supplierId: null,
  lotControlled: false,
  substitutes: [],
  gtin: null,
  taxGroupCode: null,
  ...overrides,
});

/** The planner's collaborators as plain answers: master data, the engine, stock. */
/** "Now" for the planner: 2026-11-29 noon UTC (a date in the past is any day before it). */
const NOW = new Date('2026-11-29T12:00:00.000Z');
const clock = { now: () => NOW } as Clock;
const config = { pricing: { timeZone: 'UTC' } } as AppConfig;

function plannerWith(world: {
  items: Item[];
  price: (request: QuoteRequest) => PricedQuote;
  atp: Record<string, Record<string, string>>;
  customer?: Customer;
}): OrderPlanner {
  const buyer = world.customer ?? customer;
  const queryBus = {
    execute: (query: unknown) => {
      if (query instanceof GetCustomerQuery) {
        if (query.erpId !== buyer.erpId) {
          return Promise.reject(new ApplicationError('CUSTOMER_NOT_FOUND', 'no', 'not-found'));
        }
        return Promise.resolve({ value: buyer });
      }
      if (query instanceof GetItemsQuery) {
        return Promise.resolve(world.items.filter((i) => query.skus.includes(i.sku)));
      }
      if (query instanceof GetWarehousesQuery)
        return Promise.resolve([{ code: 'MAIN', active: true }]);
      if (query instanceof PriceQuoteQuery) return Promise.resolve(world.price(query.request));
      return Promise.reject(new Error('unexpected query'));
    },
  } as unknown as QueryBus;
  const inventory = {
    availability: (skus: readonly string[]): Promise<SkuAvailability[]> =>
      Promise.resolve(
        skus.map((sku) => ({
          sku,
          found: true,
          uom: 'EA',
          atp: '0',
          stockEventAt: null,
          warehouses: Object.entries(world.atp[sku] ?? {}).map(([warehouse, atp]) => ({
            warehouse,
            atp,
            stockEventAt: null,
            updatedAt: new Date(),
          })),
        })),
      ),
  } as unknown as InventoryService;
  return new OrderPlanner(queryBus, inventory, clock, config);
}

const quote = (request: QuoteRequest, prices: Record<string, string | null>): PricedQuote => ({
  customerId: request.customerId,
  shipToId: null,
  currency: 'USD',
  pricingDate: '2026-11-29',
  priceVersion: 'pv1',
  promotionCodes: [],
  totals: { lineCount: 0, pricedLineCount: 0, rejectedLineCount: 0, subtotal: '0.00' },
  lines: request.lines.map((l, i) => {
    const unitPrice = prices[l.sku] ?? null;
    return {
      lineNo: i + 1,
      sku: l.sku,
      quantity: l.quantity,
      uom: l.uom,
      status: unitPrice === null ? 'REJECTED' : 'PRICED',
      unitPrice,
      extendedPrice:
        unitPrice === null ? null : (Number(unitPrice) * Number(l.quantity)).toFixed(2),
      priceUom: unitPrice === null ? null : l.uom,
      listPrice: unitPrice,
      source: unitPrice === null ? null : 'BASE_PRICE_BOOK',
      sourceRef: null,
      quantityBreak: null,
      promotions: [],
      trace: [],
      violations:
        unitPrice === null
          ? [{ code: 'NO_PRICE', field: `lines[${i}]`, message: `No price for ${l.sku}.` }]
          : [],
    };
  }),
});

const request = (lines: OrderRequest['lines']): OrderRequest => ({
  channelOrderRef: 'R1',
  customerId: 'C1',
  lines,
});
const channel = { channelId: 'ch', name: 'shop', kind: 'ecommerce' };

describe(OrderPlanner.name, () => {
  it('reports NO_PRICE for a line the engine cannot price, and plans no lines', async () => {
    const sut = plannerWith({
      items: [item('A'), item('B')],
      price: (r) => quote(r, { A: '2.5000', B: null }),
      atp: { A: { MAIN: '100' }, B: { MAIN: '100' } },
    });
    const plan = await sut.plan(
      request([
        { lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' },
        { lineRef: '2', sku: 'B', quantity: '1', uom: 'EA' },
      ]),
      channel,
      BUILT_IN_POLICY,
    );
    expect(plan.violations).toEqual([
      { code: 'NO_PRICE', field: 'lines[1].sku', message: 'No price for B.' },
    ]);
    expect(plan.lines).toEqual([]);
  });

  it('prices, converts to the base unit and places every line when all is well', async () => {
    const sut = plannerWith({
      items: [item('A'), item('D', { fulfillmentType: 'DROP_SHIP', supplierId: 'V9' })],
      price: (r) => quote(r, { A: '30.0000', D: '5.0000' }),
      atp: { A: { MAIN: '100', EAST: '5' } },
    });
    const plan = await sut.plan(
      request([
        { lineRef: '1', sku: 'A', quantity: '2', uom: 'cs', expectedUnitPrice: '30' },
        { lineRef: '2', sku: 'D', quantity: '3', uom: 'EA' },
      ]),
      channel,
      BUILT_IN_POLICY,
    );
    expect(plan.violations).toEqual([]);
    expect(plan.total).toBe('75.00');
    expect(
      plan.lines.map((l) => [l.sku, l.baseQuantity, l.warehouse, l.supplierId, l.segmentNo]),
    ).toEqual([
      ['A', '24', 'MAIN', null, 1],
      ['D', '3', null, 'V9', 2],
    ]);
    expect(plan.segments).toEqual([
      { segmentNo: 1, kind: 'STOCK', warehouse: 'MAIN', supplierId: null },
      { segmentNo: 2, kind: 'DROP_SHIP', warehouse: null, supplierId: 'V9' },
    ]);
  });

  it('reports TAX_ATTRIBUTES_MISSING for a tax-liable customer without tax area or exemption', async () => {
    const sut = plannerWith({
      items: [item('A')],
      price: (r) => quote(r, { A: '2.5000' }),
      atp: { A: { MAIN: '100' } },
      customer: { ...customer, taxAreaCode: null, taxLiable: true },
    });
    const plan = await sut.plan(
      request([{ lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' }]),
      channel,
      BUILT_IN_POLICY,
    );
    expect(plan.violations.map((v) => [v.code, v.field])).toEqual([
      ['TAX_ATTRIBUTES_MISSING', 'customerId'],
    ]);
  });

  it('needs no tax area for a customer the ERP holds not tax liable', async () => {
    const sut = plannerWith({
      items: [item('A')],
      price: (r) => quote(r, { A: '2.5000' }),
      atp: { A: { MAIN: '100' } },
      customer: { ...customer, taxAreaCode: null, taxLiable: false },
    });
    const plan = await sut.plan(
      request([{ lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' }]),
      channel,
      BUILT_IN_POLICY,
    );
    expect(plan.violations).toEqual([]);
  });

  it('treats a customer the pricing cache does not know yet as unpriceable, not as a crash', async () => {
    const sut = plannerWith({
      items: [item('A')],
      price: () => {
        throw new ApplicationError('UNKNOWN_CUSTOMER', 'unknown', 'unprocessable');
      },
      atp: {},
    });
    const plan = await sut.plan(
      request([{ lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' }]),
      channel,
      BUILT_IN_POLICY,
    );
    expect(plan.violations.map((v) => v.code)).toEqual(['NO_PRICE']);
  });

  it('refuses a fraction of a counted unit (1.5 EA) with QUANTITY_NOT_DIVISIBLE on that line only', async () => {
    const sut = plannerWith({
      items: [
        item('A'),
        item('K', { baseUom: 'KG', uomConversions: [{ uom: 'KG', factor: '1' }] }),
      ],
      price: (r) => quote(r, { A: '2.5000', K: '4.0000' }),
      atp: { A: { MAIN: '100' }, K: { MAIN: '100' } },
    });

    const plan = await sut.plan(
      request([
        { lineRef: '1', sku: 'A', quantity: '1.5', uom: 'EA' },
        { lineRef: '2', sku: 'K', quantity: '1.5', uom: 'KG' },
      ]),
      channel,
      BUILT_IN_POLICY,
    );

    expect(plan.violations).toEqual([
      {
        code: 'QUANTITY_NOT_DIVISIBLE',
        field: 'lines[0].quantity',
        message: 'EA is counted in whole units: 1.5 EA is not a whole number.',
      },
    ]);
  });

  it('refuses a requested ship date before today (REQUESTED_DATE_IN_PAST) and accepts today', async () => {
    const sut = plannerWith({
      items: [item('A')],
      price: (r) => quote(r, { A: '2.5000' }),
      atp: { A: { MAIN: '100' } },
    });
    const line = { lineRef: '1', sku: 'A', quantity: '1', uom: 'EA' };

    const yesterday = await sut.plan(
      { ...request([line]), requestedShipDate: '2026-11-28' },
      channel,
      BUILT_IN_POLICY,
    );
    const today = await sut.plan(
      { ...request([line]), requestedShipDate: '2026-11-29' },
      channel,
      BUILT_IN_POLICY,
    );

    expect(yesterday.violations).toEqual([
      {
        code: 'REQUESTED_DATE_IN_PAST',
        field: 'requestedShipDate',
        message: 'The requested ship date 2026-11-28 is before today (2026-11-29).',
      },
    ]);
    expect(today.violations).toEqual([]);
  });
});
