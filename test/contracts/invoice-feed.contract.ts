import { Decimal } from 'decimal.js';
import type { ErpInvoice } from '../../src/modules/fulfillment/index.js';
import type { DeltaWatermark } from '../../src/platform/delta-sync/index.js';
import {
  changes,
  expectAscending,
  FulfillmentFixtures,
  readPass,
  same,
  watermarkOf,
} from './fulfillment.fixtures.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

/** The InvoiceFeed contract (src/modules/fulfillment/application/ports/invoice.feed.ts). */
export function describeInvoiceFeedContract(
  adapter: string,
  createHarness: () => Promise<FulfillmentHarness>,
): void {
  describe(`InvoiceFeed contract: ${adapter}`, () => {
    let h: FulfillmentHarness;
    let fx: FulfillmentFixtures;
    let since: DeltaWatermark | null;
    beforeAll(async () => {
      h = await createHarness();
      fx = new FulfillmentFixtures(h, 'IF');
      since = await watermarkOf((r) => h.invoiceFeed.readInvoices(r));
    });
    afterAll(async () => {
      await h?.close();
    });

    const read = (pageSize = 100) =>
      readPass((r) => h.invoiceFeed.readInvoices(r), since, pageSize);

    async function invoiceNumbered(invoiceNo: string): Promise<ErpInvoice> {
      const found = changes((await read()).entries).find((e) => e.record.invoiceNo === invoiceNo);
      if (!found) throw new Error(`invoice ${invoiceNo} was not delivered`);
      return found.record;
    }

    function expectAmountsAddUp(invoice: ErpInvoice): void {
      const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0));
      expect(sum(invoice.lines.map((l) => l.amount)).eq(invoice.amountExcludingTax)).toBe(true);
      expect(sum(invoice.lines.map((l) => l.taxAmount)).eq(invoice.taxAmount)).toBe(true);
      expect(
        new Decimal(invoice.amountExcludingTax)
          .plus(invoice.taxAmount)
          .eq(invoice.amountIncludingTax),
      ).toBe(true);
      for (const l of invoice.lines) {
        expect(new Decimal(l.quantity).times(l.unitPrice).toDecimalPlaces(2).eq(l.amount)).toBe(
          true,
        );
      }
    }

    it('delivers an invoice of what was shipped, with its order link, lines and amounts', async () => {
      const order = await fx.order();
      await h.erpShip(order.ref, [
        { lineNo: 1, quantity: '2' },
        { lineNo: 2, quantity: '3' },
      ]);
      const invoiceNo = await h.erpInvoice(order.ref);
      const invoice = await invoiceNumbered(invoiceNo);
      expect(
        invoice.externalReference === order.ref || invoice.erpOrderNumber === order.erpOrderNumber,
      ).toBe(true);
      expect(invoice.status).toBe('OPEN');
      expect(invoice.currency).toBe(fx.customer.currencyCode);
      expect(invoice.invoiceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const bySku = new Map(invoice.lines.map((l) => [l.sku, l]));
      expect(invoice.lines).toHaveLength(2);
      const first = bySku.get(fx.items[0].sku);
      const second = bySku.get(fx.items[1].sku);
      expect(same(first?.quantity, '2')).toBe(true);
      expect(same(first?.unitPrice, '10')).toBe(true);
      expect(same(first?.amount, '20')).toBe(true);
      expect(same(second?.quantity, '3')).toBe(true);
      expect(same(second?.amount, '13.5')).toBe(true);
      expect(first?.orderLineNo).toBe(h.linksOrderLines ? 1 : null);
      expect(second?.orderLineNo).toBe(h.linksOrderLines ? 2 : null);
      expect(same(invoice.amountExcludingTax, '33.5')).toBe(true);
      expectAmountsAddUp(invoice);
      if (invoice.remainingAmount !== null) {
        expect(same(invoice.remainingAmount, invoice.amountIncludingTax)).toBe(true);
      }
    });

    it('invoices only what was shipped since the last invoice', async () => {
      const order = await fx.order();
      await h.erpShip(order.ref, [{ lineNo: 1, quantity: '2' }]);
      const firstNo = await h.erpInvoice(order.ref);
      await h.erpShip(order.ref, [{ lineNo: 1, quantity: '3' }]);
      const secondNo = await h.erpInvoice(order.ref);
      expect(secondNo).not.toBe(firstNo);
      const second = await invoiceNumbered(secondNo);
      expect(second.lines).toHaveLength(1);
      expect(same(second.lines[0].quantity, '3')).toBe(true);
      expect(same(second.amountExcludingTax, '30')).toBe(true);
      expectAmountsAddUp(second);
    });

    it('pages in modifiedAt order with keyset cursors and delivers nothing twice', async () => {
      const paged = await read(1);
      expectAscending(paged.entries);
      expect(changes(paged.entries).length).toBeGreaterThanOrEqual(3);
      const whole = await read();
      expect(whole.entries.map((e) => e.sourceId)).toEqual(paged.entries.map((e) => e.sourceId));
    });

    it('reports itself healthy', async () => {
      expect((await h.invoiceFeed.healthCheck()).up).toBe(true);
    });
  });
}
