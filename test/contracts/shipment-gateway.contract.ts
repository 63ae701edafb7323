import {
  type ErpShipmentDocument,
  ShipmentRejectedError,
} from '../../src/modules/fulfillment/index.js';
import { FulfillmentFixtures, same } from './fulfillment.fixtures.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

/** The ShipmentGateway contract (src/modules/fulfillment/application/ports/shipment.gateway.ts). */
export function describeShipmentGatewayContract(
  adapter: string,
  createHarness: () => Promise<FulfillmentHarness>,
): void {
  describe(`ShipmentGateway contract: ${adapter}`, () => {
    let h: FulfillmentHarness;
    let fx: FulfillmentFixtures;
    beforeAll(async () => {
      h = await createHarness();
      fx = new FulfillmentFixtures(h, 'SG');
    });
    afterAll(async () => {
      await h?.close();
    });

    /** Posts, lets the ERP do its part (its import job), and answers what it made of it. */
    async function postAndSettle(document: ErpShipmentDocument) {
      const posted = await h.shipmentGateway.post(document);
      await h.runErpImportJob();
      return { posted, status: await h.shipmentGateway.status(document.shipmentReference) };
    }

    /**
     * The ERP refuses the document: at once (ShipmentRejectedError), or, where it imports
     * later, PENDING first and REJECTED with its reasons after its import job. Nothing posted.
     */
    async function expectRejected(document: ErpShipmentDocument): Promise<string[]> {
      let reasons: string[];
      try {
        const posted = await h.shipmentGateway.post(document);
        expect(posted.state).toBe('PENDING');
        await h.runErpImportJob();
        const status = await h.shipmentGateway.status(document.shipmentReference);
        expect(status.state).toBe('REJECTED');
        expect(status.erpShipmentNo).toBeNull();
        reasons = status.errors;
      } catch (error) {
        if (!(error instanceof ShipmentRejectedError)) throw error;
        expect(error.shipmentReference).toBe(document.shipmentReference);
        reasons = error.reasons;
      }
      expect(reasons.length).toBeGreaterThan(0);
      expect(await h.erpShipmentsFor(document.shipmentReference)).toEqual([]);
      return reasons;
    }

    it('answers NOT_FOUND for a reference the ERP has never seen', async () => {
      const posting = await h.shipmentGateway.status(fx.reference('NONE'));
      expect(posting).toMatchObject({ state: 'NOT_FOUND', erpShipmentNo: null, created: false });
    });

    it('posts a hub shipment once and answers the ERP shipment number', async () => {
      const order = await fx.order();
      const document = fx.shipment(order, [
        { lineNo: 1, quantity: '2' },
        { lineNo: 3, quantity: '4' },
      ]);
      const { posted, status } = await postAndSettle(document);
      expect(posted).toMatchObject({
        shipmentReference: document.shipmentReference,
        created: true,
      });
      expect(['PENDING', 'POSTED']).toContain(posted.state);
      expect(status.state).toBe('POSTED');
      expect(status.erpShipmentNo).toEqual(expect.any(String));
      expect(status.errors).toEqual([]);

      const shipments = await h.erpShipmentsFor(document.shipmentReference);
      expect(shipments).toHaveLength(1);
      expect(shipments[0].shipmentNo).toBe(status.erpShipmentNo);
      expect(shipments[0].erpOrderNumber).toBe(order.erpOrderNumber);
      const bySku = new Map(shipments[0].lines.map((l) => [l.sku, l.quantity]));
      expect(same(bySku.get(fx.items[0].sku), '2')).toBe(true);
      expect(same(bySku.get(fx.items[2].sku), '4')).toBe(true);
    });

    it('posts nothing when the same shipment is posted again: created false, same ERP shipment', async () => {
      const order = await fx.order();
      const document = fx.shipment(order, [{ lineNo: 2, quantity: '1' }]);
      const { status } = await postAndSettle(document);
      expect(status.state).toBe('POSTED');
      const again = await h.shipmentGateway.post(document);
      expect(again).toMatchObject({
        state: 'POSTED',
        erpShipmentNo: status.erpShipmentNo,
        created: false,
      });
      await h.runErpImportJob();
      expect(await h.erpShipmentsFor(document.shipmentReference)).toHaveLength(1);
    });

    it('leaves exactly one ERP shipment when a post whose answer was lost is retried', async () => {
      const order = await fx.order();
      const document = fx.shipment(order, [{ lineNo: 1, quantity: '5' }]);
      await h.postLosingTheAnswer(document);
      const retried = await h.shipmentGateway.post(document);
      expect(retried.created).toBe(false);
      await h.runErpImportJob();
      const status = await h.shipmentGateway.status(document.shipmentReference);
      expect(status.state).toBe('POSTED');
      const shipments = await h.erpShipmentsFor(document.shipmentReference);
      expect(shipments).toHaveLength(1);
      expect(shipments[0].shipmentNo).toBe(status.erpShipmentNo);
    });

    it('rejects a shipment of more than the order line has open', async () => {
      const order = await fx.order();
      await h.erpShip(order.ref, [{ lineNo: 2, quantity: '2' }]);
      // 3 ordered, 2 shipped by the ERP's own users: 1 open.
      await expectRejected(fx.shipment(order, [{ lineNo: 2, quantity: '2' }]));
      const fits = fx.shipment(order, [{ lineNo: 2, quantity: '1' }]);
      expect((await postAndSettle(fits)).status.state).toBe('POSTED');
    });

    it('rejects a shipment of an order the ERP does not have', async () => {
      const order = await fx.order();
      await expectRejected(
        fx.shipment(order, [{ lineNo: 1, quantity: '1' }], {
          externalReference: fx.reference('NOPE'),
          erpOrderNumber: 'NOPE-404',
        }),
      );
    });

    it('posts a corrected document under a reference the ERP rejected before', async () => {
      const order = await fx.order();
      const rejected = fx.shipment(order, [{ lineNo: 1, quantity: '50' }]);
      await expectRejected(rejected);
      const corrected = {
        ...fx.shipment(order, [{ lineNo: 1, quantity: '5' }]),
        shipmentReference: rejected.shipmentReference,
      };
      const { posted, status } = await postAndSettle(corrected);
      expect(posted.created).toBe(true);
      expect(status.state).toBe('POSTED');
      expect(await h.erpShipmentsFor(rejected.shipmentReference)).toHaveLength(1);
    });
  });
}
