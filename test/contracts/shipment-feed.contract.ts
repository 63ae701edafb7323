import type { ErpShipment } from '../../src/modules/fulfillment/index.js';
import type { DeltaWatermark } from '../../src/platform/delta-sync/index.js';
import {
  changes,
  expectAscending,
  FulfillmentFixtures,
  lastPosition,
  readPass,
  same,
  watermarkOf,
} from './fulfillment.fixtures.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

/** The ShipmentFeed contract (src/modules/fulfillment/application/ports/shipment.feed.ts). */
export function describeShipmentFeedContract(
  adapter: string,
  createHarness: () => Promise<FulfillmentHarness>,
): void {
  describe(`ShipmentFeed contract: ${adapter}`, () => {
    let h: FulfillmentHarness;
    let fx: FulfillmentFixtures;
    let since: DeltaWatermark | null;
    beforeAll(async () => {
      h = await createHarness();
      fx = new FulfillmentFixtures(h, 'SF');
      since = await watermarkOf((r) => h.shipmentFeed.readShipments(r));
    });
    afterAll(async () => {
      await h?.close();
    });

    const read = (from: DeltaWatermark | null, pageSize = 100) =>
      readPass((r) => h.shipmentFeed.readShipments(r), from, pageSize);

    async function shipmentNumbered(shipmentNo: string): Promise<ErpShipment> {
      const found = changes((await read(since)).entries).find(
        (e) => e.record.shipmentNo === shipmentNo,
      );
      if (!found) throw new Error(`shipment ${shipmentNo} was not delivered`);
      return found.record;
    }

    it('delivers a shipment an ERP user posted, with its order link, lines and tracking', async () => {
      const order = await fx.order();
      const shipmentNo = await h.erpShip(order.ref, [{ lineNo: 1, quantity: '2' }], {
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
      });
      const shipment = await shipmentNumbered(shipmentNo);
      expect(
        shipment.externalReference === order.ref ||
          shipment.erpOrderNumber === order.erpOrderNumber,
      ).toBe(true);
      expect(shipment.shipDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(shipment.hubShipmentId).toBeNull();
      expect(shipment.lines).toHaveLength(1);
      const [line] = shipment.lines;
      expect(line.sku).toBe(fx.items[0].sku);
      expect(line.uom).toBe(fx.items[0].baseUom);
      expect(same(line.quantity, '2')).toBe(true);
      expect(line.orderLineNo).toBe(h.linksOrderLines ? 1 : null);
      if (h.holdsTracking) {
        expect(shipment.carrier).toBe('UPS');
        expect(shipment.trackingNumbers).toContain('1Z999AA10123456784');
      }
    });

    it('delivers every line of a shipment of several order lines', async () => {
      const order = await fx.order();
      const shipmentNo = await h.erpShip(order.ref, [
        { lineNo: 1, quantity: '5' },
        { lineNo: 3, quantity: '1.5' },
      ]);
      const shipment = await shipmentNumbered(shipmentNo);
      const bySku = new Map(shipment.lines.map((l) => [l.sku, l]));
      expect(shipment.lines).toHaveLength(2);
      expect(same(bySku.get(fx.items[0].sku)?.quantity, '5')).toBe(true);
      expect(same(bySku.get(fx.items[2].sku)?.quantity, '1.5')).toBe(true);
      if (h.linksOrderLines) {
        expect(bySku.get(fx.items[0].sku)?.orderLineNo).toBe(1);
        expect(bySku.get(fx.items[2].sku)?.orderLineNo).toBe(3);
      }
    });

    it('pages in modifiedAt order with keyset cursors, nothing twice, and resumes from a watermark', async () => {
      const order = await fx.order();
      const posted: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        posted.push(await h.erpShip(order.ref, [{ lineNo: 2, quantity: '1' }]));
      }
      const paged = await read(since, 1);
      expectAscending(paged.entries);
      const numbers = changes(paged.entries).map((e) => e.record.shipmentNo);
      for (const no of posted) expect(numbers).toContain(no);
      expect(paged.pages).toBeGreaterThanOrEqual(3);
      const whole = await read(since);
      expect(whole.entries.map((e) => e.sourceId)).toEqual(paged.entries.map((e) => e.sourceId));

      // From where that pass ended: only what is posted afterwards.
      const end = lastPosition(whole.entries, since);
      expect((await read(end)).entries).toEqual([]);
      const later = await h.erpShip(order.ref, [{ lineNo: 1, quantity: '1' }]);
      const next = changes((await read(end)).entries).map((e) => e.record.shipmentNo);
      expect(next).toEqual([later]);
    });

    it('marks a shipment the hub posted with its shipment reference', async () => {
      const order = await fx.order();
      const document = fx.shipment(order, [{ lineNo: 2, quantity: '2' }]);
      await h.shipmentGateway.post(document);
      await h.runErpImportJob();
      const posting = await h.shipmentGateway.status(document.shipmentReference);
      expect(posting.state).toBe('POSTED');
      const found = changes((await read(since)).entries).filter(
        (e) => e.record.hubShipmentId === document.shipmentReference,
      );
      expect(found).toHaveLength(1);
      const shipment = found[0].record;
      expect(shipment.shipmentNo).toBe(posting.erpShipmentNo);
      expect(shipment.lines).toHaveLength(1);
      expect(shipment.lines[0].sku).toBe(fx.items[1].sku);
      expect(same(shipment.lines[0].quantity, '2')).toBe(true);
      if (h.holdsTracking) {
        expect(shipment.carrier).toBe('FEDEX');
        expect(shipment.trackingNumbers).toEqual(['794600000001']);
      }
    });

    it('reports itself healthy', async () => {
      expect((await h.shipmentFeed.healthCheck()).up).toBe(true);
    });
  });
}
