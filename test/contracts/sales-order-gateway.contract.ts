import { Decimal } from 'decimal.js';
import type {
  DemoCustomer,
  DemoDataset,
  DemoItem,
} from '../../src/erp-simulators/demo-data/index.js';
import {
  type ErpSalesOrderDocument,
  type ErpSalesOrderLine,
  SalesOrderGateway,
  SalesOrderNotCancellableError,
  SalesOrderRejectedError,
} from '../../src/modules/orders/index.js';

/** One sales order as the ERP holds it, read on the ERP side (SQL / the sandbox's store). */
export interface ErpSideOrder {
  number: string;
  customerNo: string;
  /** The ERP's own status word (on-prem: OPEN/…/CANCELLED; cloud: Draft/Open). */
  status: string;
  shipToCity: string | null;
  lines: ErpSideOrderLine[];
}

export interface ErpSideOrderLine {
  sku: string;
  uom: string;
  quantity: string;
  unitPrice: string;
  /** Where the line ships from; null for a drop-ship line. */
  warehouseCode: string | null;
}

/**
 * What the SalesOrderGateway contract suite needs from an adapter: the gateway over an ERP that
 * holds `dataset`, and the ERP side of things (what the ERP's own programs and users do).
 */
export interface SalesOrderGatewayHarness {
  gateway: SalesOrderGateway;
  dataset: DemoDataset;
  /**
   * The ERP creates orders later, in its own import job (on-prem): submit answers PENDING and
   * `runErpImportJob()` makes the ERP create or reject them. false: CREATED at once (cloud).
   */
  importsAsynchronously: boolean;
  /** The ERP deletes a cancelled order (BC): afterwards the reference reads NOT_FOUND. */
  deletesCancelledOrders: boolean;
  /** Runs the ERP's import job once (no-op where the ERP creates synchronously). */
  runErpImportJob(): Promise<void>;
  /** Every ERP order that carries this external reference. */
  erpOrders(externalReference: string): Promise<ErpSideOrder[]>;
  /** Stock the ERP holds allocated for an item at a warehouse (base UoM, all lots). */
  allocated(sku: string, warehouseCode: string): Promise<string>;
  /** The ERP ships part of the order's first line. */
  shipFirstLine(externalReference: string): Promise<void>;
  /**
   * A submit whose answer the hub never gets (cloud: the ERP commits the POST and the
   * connection drops; on-prem: two hub instances submit the same document at once). Resolves
   * once that submit is over; the suite then retries as the hub would.
   */
  submitLosingTheAnswer(document: ErpSalesOrderDocument): Promise<void>;
  close(): Promise<void>;
}

/** Documents built from the demo dataset: real customers, items, warehouses. */
class DocumentBuilder {
  private seq = 0;
  readonly customer: DemoCustomer;
  readonly warehouseCode: string;
  /** Stock items with stock at `warehouseCode`, the first one sold in a non-base UoM. */
  readonly stockItems: DemoItem[];
  readonly dropShipItem: DemoItem;
  private readonly run = Date.now().toString(36).toUpperCase();

  constructor(private readonly dataset: DemoDataset) {
    const base = dataset.company.baseCurrencyCode;
    const customer = dataset.customers.find(
      (c) =>
        c.status === 'ACTIVE' &&
        c.taxAreaCode !== null &&
        c.currencyCode === base &&
        dataset.shipTos.some((s) => s.customerNo === c.customerNo),
    );
    if (!customer) throw new Error('the demo dataset has no active customer with tax data');
    this.customer = customer;
    const stocked = (item: DemoItem, warehouse: string): boolean =>
      dataset.inventoryBalances.some((b) => b.sku === item.sku && b.warehouseCode === warehouse);
    const active = dataset.items.filter((i) => i.status === 'ACTIVE');
    // A warehouse other than the customer's default: the ERP must take the document's.
    this.warehouseCode =
      dataset.warehouses.find((w) => w.code !== customer.defaultWarehouseCode)?.code ??
      customer.defaultWarehouseCode;
    const stock = active.filter(
      (i) => i.fulfillmentType === 'STOCK' && !i.lotControlled && stocked(i, this.warehouseCode),
    );
    const multiUom = stock.find((i) => i.uoms.length > 1);
    const others = stock.filter((i) => i !== multiUom);
    if (!multiUom || others.length < 1) throw new Error('the demo dataset lacks stock items');
    this.stockItems = [multiUom, others[0]];
    const dropShip = active.find((i) => i.fulfillmentType === 'DROP_SHIP');
    if (!dropShip) throw new Error('the demo dataset has no drop-ship item');
    this.dropShipItem = dropShip;
  }

  reference(): string {
    this.seq += 1;
    return `CT-${this.run}-${this.seq}`;
  }

  stocked(overrides: Partial<ErpSalesOrderDocument> = {}): ErpSalesOrderDocument {
    const [first, second] = this.stockItems;
    const caseUom = first.uoms.find((u) => !u.isBase) ?? first.uoms[0];
    return {
      externalReference: this.reference(),
      customerNo: this.customer.customerNo,
      shipTo: null,
      customerPo: 'PO-4711',
      orderDate: this.dataset.baseDate.slice(0, 10),
      requestedDate: null,
      currency: this.customer.currencyCode,
      warehouseCode: this.warehouseCode,
      dropShipSupplierId: null,
      notes: 'Contract test order',
      lines: [
        line(1, first.sku, caseUom.uomCode, '2', '41.5000'),
        line(2, second.sku, second.baseUom, '3.5', '7.2500'),
      ],
      ...overrides,
    };
  }

  dropShip(): ErpSalesOrderDocument {
    const item = this.dropShipItem;
    return this.stocked({
      warehouseCode: null,
      dropShipSupplierId: item.supplierNo,
      lines: [line(1, item.sku, item.baseUom, '1', '199.0000')],
    });
  }
}

function line(
  lineNo: number,
  sku: string,
  uom: string,
  quantity: string,
  unitPrice: string,
): ErpSalesOrderLine {
  return { lineNo, lineRef: `L${lineNo}`, sku, uom, quantity, unitPrice };
}

const same = (a: string, b: string): boolean => new Decimal(a).eq(b);

/** The SalesOrderGateway contract (src/modules/orders/application/ports/sales-order.gateway.ts). */
export function describeSalesOrderGatewayContract(
  adapter: string,
  createHarness: () => Promise<SalesOrderGatewayHarness>,
): void {
  describe(`SalesOrderGateway contract: ${adapter}`, () => {
    let h: SalesOrderGatewayHarness;
    let docs: DocumentBuilder;
    beforeAll(async () => {
      h = await createHarness();
      docs = new DocumentBuilder(h.dataset);
    });
    afterAll(async () => {
      await h?.close();
    });

    /** Submits, lets the ERP do its part, and returns what the ERP made of it. */
    async function submitAndSettle(document: ErpSalesOrderDocument) {
      const submitted = await h.gateway.submit(document);
      await h.runErpImportJob();
      return { submitted, status: await h.gateway.status(document.externalReference) };
    }

    async function oneErpOrder(ref: string): Promise<ErpSideOrder> {
      const orders = await h.erpOrders(ref);
      expect(orders).toHaveLength(1);
      return orders[0];
    }

    it('creates one ERP order with the customer, lines, warehouse and external reference', async () => {
      const document = docs.stocked();
      const submitted = await h.gateway.submit(document);
      expect(submitted).toMatchObject({
        externalReference: document.externalReference,
        created: true,
        errors: [],
      });
      if (h.importsAsynchronously) {
        expect(submitted.state).toBe('PENDING');
        expect(submitted.erpOrderNumber).toBeNull();
        expect(await h.gateway.status(document.externalReference)).toMatchObject({
          state: 'PENDING',
        });
        await h.runErpImportJob();
      } else {
        expect(submitted.state).toBe('CREATED');
      }
      const status = await h.gateway.status(document.externalReference);
      expect(status).toEqual({
        externalReference: document.externalReference,
        state: 'CREATED',
        erpOrderNumber: expect.any(String),
        errors: [],
      });
      if (!h.importsAsynchronously) expect(status.erpOrderNumber).toBe(submitted.erpOrderNumber);

      const order = await oneErpOrder(document.externalReference);
      expect(order.number).toBe(status.erpOrderNumber);
      expect(order.customerNo).toBe(document.customerNo);
      expect(order.lines).toHaveLength(document.lines.length);
      document.lines.forEach((expected, i) => {
        const got = order.lines[i];
        expect({ sku: got.sku, uom: got.uom, warehouseCode: got.warehouseCode }).toEqual({
          sku: expected.sku,
          uom: expected.uom,
          warehouseCode: document.warehouseCode,
        });
        expect(same(got.quantity, expected.quantity)).toBe(true);
        expect(same(got.unitPrice, expected.unitPrice)).toBe(true);
      });
    });

    it('finds the order on a second submit: created false, same ERP number, still one order', async () => {
      const document = docs.stocked();
      const first = await submitAndSettle(document);
      const again = await h.gateway.submit(document);
      expect(again).toMatchObject({
        created: false,
        state: 'CREATED',
        erpOrderNumber: first.status.erpOrderNumber,
      });
      await h.runErpImportJob();
      await oneErpOrder(document.externalReference);
    });

    it('answers created false while the ERP has not imported the document yet', async () => {
      if (!h.importsAsynchronously) return;
      const document = docs.stocked();
      await h.gateway.submit(document);
      const again = await h.gateway.submit(document);
      expect(again).toMatchObject({ created: false, state: 'PENDING' });
      await h.runErpImportJob();
      await oneErpOrder(document.externalReference);
    });

    it('leaves exactly one ERP order when a submit lost its answer and the hub retried', async () => {
      const document = docs.stocked();
      await h.submitLosingTheAnswer(document);
      const retried = await h.gateway.submit(document);
      expect(retried.created).toBe(false);
      await h.runErpImportJob();
      const status = await h.gateway.status(document.externalReference);
      expect(status.state).toBe('CREATED');
      const order = await oneErpOrder(document.externalReference);
      expect(order.number).toBe(status.erpOrderNumber);
    });

    it('reports a document the ERP refuses, and takes the corrected one once', async () => {
      const document = docs.stocked();
      const bad = { ...document, lines: [{ ...document.lines[0], sku: 'NOPE-404' }] };
      if (h.importsAsynchronously) {
        const { submitted, status } = await submitAndSettle(bad);
        expect(submitted.state).toBe('PENDING');
        expect(status.state).toBe('REJECTED');
        expect(status.erpOrderNumber).toBeNull();
        expect(status.errors.join(' ')).toContain('NOPE-404');
      } else {
        const refused = await h.gateway.submit(bad).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(SalesOrderRejectedError);
        expect((refused as SalesOrderRejectedError).reasons.join(' ')).toContain('NOPE-404');
        expect(await h.gateway.status(document.externalReference)).toMatchObject({
          state: 'NOT_FOUND',
        });
      }
      expect(await h.erpOrders(document.externalReference)).toHaveLength(0);

      const { submitted, status } = await submitAndSettle(document);
      expect(submitted.created).toBe(true);
      expect(status).toMatchObject({ state: 'CREATED', errors: [] });
      const again = await submitAndSettle(document);
      expect(again.submitted.created).toBe(false);
      const order = await oneErpOrder(document.externalReference);
      expect(order.lines.map((l) => l.sku)).toEqual(document.lines.map((l) => l.sku));
    });

    it('rejects a blocked customer', async () => {
      const blocked = h.dataset.customers.find((c) => c.status === 'BLOCKED');
      if (!blocked) return;
      const document = docs.stocked({ customerNo: blocked.customerNo });
      if (h.importsAsynchronously) {
        const { status } = await submitAndSettle(document);
        expect(status.state).toBe('REJECTED');
        expect(status.errors.join(' ')).toContain(blocked.customerNo);
      } else {
        await expect(h.gateway.submit(document)).rejects.toBeInstanceOf(SalesOrderRejectedError);
      }
      expect(await h.erpOrders(document.externalReference)).toHaveLength(0);
    });

    it('creates a drop-ship segment without a warehouse', async () => {
      const document = docs.dropShip();
      const { status } = await submitAndSettle(document);
      expect(status.state).toBe('CREATED');
      const order = await oneErpOrder(document.externalReference);
      expect(order.lines).toHaveLength(1);
      expect(order.lines[0]).toMatchObject({ sku: docs.dropShipItem.sku, warehouseCode: null });
    });

    it('delivers to a one-time address', async () => {
      const document = docs.stocked({
        shipTo: {
          kind: 'address',
          name: 'Site office',
          addressLine1: '1 Harbour Road',
          addressLine2: null,
          city: 'Portside',
          region: 'WA',
          postalCode: '98001',
          country: 'US',
        },
      });
      const { status } = await submitAndSettle(document);
      expect(status.state).toBe('CREATED');
      expect((await oneErpOrder(document.externalReference)).shipToCity).toBe('Portside');
    });

    it("delivers to one of the customer's ship-to codes, and refuses an unknown one", async () => {
      const shipTo =
        h.dataset.shipTos.find((s) => s.customerNo === docs.customer.customerNo && !s.isDefault) ??
        h.dataset.shipTos.find((s) => s.customerNo === docs.customer.customerNo);
      if (!shipTo) throw new Error('the customer has no ship-to');
      const document = docs.stocked({ shipTo: { kind: 'code', code: shipTo.code } });
      const { status } = await submitAndSettle(document);
      expect(status.state).toBe('CREATED');
      expect((await oneErpOrder(document.externalReference)).shipToCity).toBe(shipTo.city);

      const unknown = docs.stocked({ shipTo: { kind: 'code', code: 'NOPE' } });
      if (h.importsAsynchronously) {
        const settled = await submitAndSettle(unknown);
        expect(settled.status.state).toBe('REJECTED');
        expect(settled.status.errors.join(' ')).toContain('NOPE');
      } else {
        await expect(h.gateway.submit(unknown)).rejects.toBeInstanceOf(SalesOrderRejectedError);
      }
      expect(await h.erpOrders(unknown.externalReference)).toHaveLength(0);
    });

    it('answers NOT_FOUND for a reference the ERP never saw', async () => {
      const ref = docs.reference();
      expect(await h.gateway.status(ref)).toEqual({
        externalReference: ref,
        state: 'NOT_FOUND',
        erpOrderNumber: null,
        errors: [],
      });
      expect(await h.gateway.cancel(ref)).toMatchObject({ state: 'NOT_FOUND' });
    });

    it('cancels a created order, gives its stock back, and answers a second cancel', async () => {
      const document = docs.stocked();
      const [first] = docs.stockItems;
      const before = await h.allocated(first.sku, docs.warehouseCode);
      const { status } = await submitAndSettle(document);
      expect(status.state).toBe('CREATED');
      expect(new Decimal(await h.allocated(first.sku, docs.warehouseCode)).gt(before)).toBe(true);

      const cancelled = await h.gateway.cancel(document.externalReference);
      expect(cancelled).toEqual({
        externalReference: document.externalReference,
        state: 'CANCELLED',
        erpOrderNumber: status.erpOrderNumber,
        errors: [],
      });
      expect(same(await h.allocated(first.sku, docs.warehouseCode), before)).toBe(true);
      const orders = await h.erpOrders(document.externalReference);
      if (h.deletesCancelledOrders) {
        expect(orders).toHaveLength(0);
        // The ERP forgot it: NOT_FOUND is all it can say (documented on the adapter).
        expect(await h.gateway.cancel(document.externalReference)).toMatchObject({
          state: 'NOT_FOUND',
        });
        expect(await h.gateway.status(document.externalReference)).toMatchObject({
          state: 'NOT_FOUND',
        });
      } else {
        expect(orders.map((o) => o.status)).toEqual(['CANCELLED']);
        expect(await h.gateway.cancel(document.externalReference)).toEqual(cancelled);
        expect(await h.gateway.status(document.externalReference)).toEqual(cancelled);
        // Exactly once holds for a cancelled reference too: nothing is created again.
        expect(await h.gateway.submit(document)).toMatchObject({
          created: false,
          state: 'CANCELLED',
        });
        await h.runErpImportJob();
        expect(await h.erpOrders(document.externalReference)).toHaveLength(1);
      }
    });

    it('withdraws a document the ERP has not imported yet', async () => {
      if (!h.importsAsynchronously) return;
      const document = docs.stocked();
      await h.gateway.submit(document);
      const cancelled = await h.gateway.cancel(document.externalReference);
      expect(cancelled).toMatchObject({ state: 'CANCELLED', erpOrderNumber: null });
      await h.runErpImportJob();
      expect(await h.erpOrders(document.externalReference)).toHaveLength(0);
      expect(await h.gateway.status(document.externalReference)).toMatchObject({
        state: 'CANCELLED',
      });
      expect(await h.gateway.cancel(document.externalReference)).toEqual(cancelled);
      expect(await h.gateway.submit(document)).toMatchObject({ created: false });
      await h.runErpImportJob();
      expect(await h.erpOrders(document.externalReference)).toHaveLength(0);
    });

    it('refuses to cancel an order the ERP has shipped part of', async () => {
      const document = docs.stocked();
      const { status } = await submitAndSettle(document);
      await h.shipFirstLine(document.externalReference);
      const refused = await h.gateway.cancel(document.externalReference).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SalesOrderNotCancellableError);
      expect(await h.gateway.status(document.externalReference)).toMatchObject({
        state: 'CREATED',
        erpOrderNumber: status.erpOrderNumber,
      });
      expect((await oneErpOrder(document.externalReference)).status).not.toBe('CANCELLED');
    });
  });
}
