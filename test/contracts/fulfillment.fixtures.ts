import { Decimal } from 'decimal.js';
import type { DemoCustomer, DemoItem } from '../../src/erp-simulators/demo-data/index.js';
import type { ErpShipmentDocument } from '../../src/modules/fulfillment/index.js';
import type { ErpSalesOrderDocument } from '../../src/modules/orders/index.js';
import type {
  DeltaChange,
  DeltaEntry,
  DeltaPage,
  DeltaReadRequest,
  DeltaWatermark,
} from '../../src/platform/delta-sync/index.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

export const same = (a: string | null | undefined, b: string): boolean =>
  a !== null && a !== undefined && new Decimal(a).eq(b);

/** An ERP order the suites created through SalesOrderGateway. */
export interface ContractOrder {
  ref: string;
  erpOrderNumber: string;
  document: ErpSalesOrderDocument;
}

type Read<T> = (request: DeltaReadRequest) => Promise<DeltaPage<T>>;

/** Every entry of a pass from `since`, page by page; checks the port's order and cursors. */
export async function readPass<T>(
  read: Read<T>,
  since: DeltaWatermark | null,
  pageSize = 100,
): Promise<{ entries: DeltaEntry<T>[]; pages: number }> {
  const entries: DeltaEntry<T>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: DeltaPage<T> = await read({ since, cursor, pageSize });
    expect(page.records.length).toBeLessThanOrEqual(pageSize);
    entries.push(...page.records);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 10_000) throw new Error('the feed never ends its pass');
  } while (cursor !== null);
  return { entries, pages };
}

/** Where a pass ended: the next pass from here delivers only what changed after. */
export function lastPosition<T>(
  entries: DeltaEntry<T>[],
  before: DeltaWatermark | null,
): DeltaWatermark | null {
  const last = entries[entries.length - 1];
  if (!last?.modifiedAt) return before;
  return { modifiedAt: last.modifiedAt, sourceId: last.sourceId };
}

export async function watermarkOf<T>(read: Read<T>): Promise<DeltaWatermark | null> {
  return lastPosition((await readPass(read, null, 500)).entries, null);
}

export function changes<T>(entries: DeltaEntry<T>[]): DeltaChange<T>[] {
  return entries.filter((e): e is DeltaChange<T> => 'record' in e);
}

/** Ascending modifiedAt (compared as instants: ERPs differ in sub-second digits). */
export function expectAscending<T>(entries: DeltaEntry<T>[]): void {
  const instants = entries.map((e) => Date.parse(e.modifiedAt ?? ''));
  for (let i = 1; i < instants.length; i += 1) {
    expect(instants[i]).toBeGreaterThanOrEqual(instants[i - 1]);
  }
  const ids = entries.map((e) => e.sourceId);
  expect(new Set(ids).size).toBe(ids.length);
}

/**
 * Orders and shipment documents from the demo dataset: an active base-currency customer with
 * tax data, stock items without lot control that have stock at the customer's warehouse.
 */
export class FulfillmentFixtures {
  readonly customer: DemoCustomer;
  readonly warehouseCode: string;
  readonly items: [DemoItem, DemoItem, DemoItem];
  private seq = 0;
  private readonly run = Date.now().toString(36).toUpperCase();

  constructor(
    private readonly h: FulfillmentHarness,
    private readonly prefix: string,
  ) {
    const dataset = h.dataset;
    const base = dataset.company.baseCurrencyCode;
    const customer = dataset.customers.find(
      (c) => c.status === 'ACTIVE' && c.taxAreaCode !== null && c.currencyCode === base,
    );
    if (!customer) throw new Error('the demo dataset has no active customer with tax data');
    this.customer = customer;
    this.warehouseCode = customer.defaultWarehouseCode;
    const stocked = dataset.items.filter(
      (i) =>
        i.status === 'ACTIVE' &&
        i.fulfillmentType === 'STOCK' &&
        !i.lotControlled &&
        dataset.inventoryBalances.some(
          (b) => b.sku === i.sku && b.warehouseCode === this.warehouseCode,
        ),
    );
    if (stocked.length < 3) throw new Error('the demo dataset lacks stock items');
    this.items = [stocked[0], stocked[1], stocked[2]];
  }

  reference(kind: string): string {
    this.seq += 1;
    return `${this.prefix}${kind}-${this.run}-${this.seq}`;
  }

  /** Creates an ERP order: line 1 = 5 of item 0 at 10.00, line 2 = 3 of item 1 at 4.50, line 3 = 4 of item 2 at 2.25. */
  async order(): Promise<ContractOrder> {
    const [a, b, c] = this.items;
    const document: ErpSalesOrderDocument = {
      externalReference: this.reference('O'),
      customerNo: this.customer.customerNo,
      shipTo: null,
      customerPo: 'PO-FULFIL',
      orderDate: this.h.dataset.baseDate.slice(0, 10),
      requestedDate: null,
      currency: this.customer.currencyCode,
      warehouseCode: this.warehouseCode,
      dropShipSupplierId: null,
      notes: 'Fulfillment contract test order',
      lines: [
        {
          lineNo: 1,
          lineRef: 'L1',
          sku: a.sku,
          uom: a.baseUom,
          quantity: '5',
          unitPrice: '10.0000',
        },
        {
          lineNo: 2,
          lineRef: 'L2',
          sku: b.sku,
          uom: b.baseUom,
          quantity: '3',
          unitPrice: '4.5000',
        },
        {
          lineNo: 3,
          lineRef: 'L3',
          sku: c.sku,
          uom: c.baseUom,
          quantity: '4',
          unitPrice: '2.2500',
        },
      ],
    };
    await this.h.salesOrders.submit(document);
    await this.h.runErpImportJob();
    const status = await this.h.salesOrders.status(document.externalReference);
    expect(status.state).toBe('CREATED');
    if (!status.erpOrderNumber) throw new Error('the ERP order has no number');
    return { ref: document.externalReference, erpOrderNumber: status.erpOrderNumber, document };
  }

  /** A hub shipment of an order's lines (by hub line number and quantity). */
  shipment(
    order: ContractOrder,
    lines: { lineNo: number; quantity: string }[],
    overrides: Partial<ErpShipmentDocument> = {},
  ): ErpShipmentDocument {
    return {
      shipmentReference: this.reference('S'),
      externalReference: order.ref,
      erpOrderNumber: order.erpOrderNumber,
      shipDate: this.h.dataset.baseDate.slice(0, 10),
      carrier: 'FEDEX',
      service: 'GROUND',
      trackingNumbers: ['794600000001'],
      trackingUrl: null,
      lines: lines.map((l) => {
        const line = order.document.lines.find((ol) => ol.lineNo === l.lineNo);
        if (!line) throw new Error(`order ${order.ref} has no line ${l.lineNo}`);
        return {
          orderLineNo: l.lineNo,
          sku: line.sku,
          uom: line.uom,
          quantity: l.quantity,
          lotNo: null,
          serialNos: [],
        };
      }),
      ...overrides,
    };
  }
}
