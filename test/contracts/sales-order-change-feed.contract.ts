import type { ErpOrderSnapshot } from '../../src/modules/orders/index.js';
import type { DeltaWatermark } from '../../src/platform/delta-sync/index.js';
import {
  changes,
  type ContractOrder,
  expectAscending,
  FulfillmentFixtures,
  lastPosition,
  readPass,
  same,
  watermarkOf,
} from './fulfillment.fixtures.js';
import type { FulfillmentHarness } from './fulfillment.harness.js';

/** The SalesOrderChangeFeed contract (src/modules/orders/application/ports/sales-order-change.feed.ts). */
export function describeSalesOrderChangeFeedContract(
  adapter: string,
  createHarness: () => Promise<FulfillmentHarness>,
): void {
  describe(`SalesOrderChangeFeed contract: ${adapter}`, () => {
    let h: FulfillmentHarness;
    let fx: FulfillmentFixtures;
    beforeAll(async () => {
      h = await createHarness();
      fx = new FulfillmentFixtures(h, 'OC');
    });
    afterAll(async () => {
      await h?.close();
    });

    const read = (since: DeltaWatermark | null, pageSize = 100) =>
      readPass((r) => h.orderChanges.readChanges(r), since, pageSize);

    /** An order, and the feed's position once it has been read. */
    async function orderAndWatermark(): Promise<{
      order: ContractOrder;
      since: DeltaWatermark | null;
    }> {
      const order = await fx.order();
      return { order, since: await watermarkOf((r) => h.orderChanges.readChanges(r)) };
    }

    async function changedSnapshot(
      since: DeltaWatermark | null,
      ref: string,
    ): Promise<ErpOrderSnapshot> {
      const found = changes((await read(since)).entries).filter(
        (e) => e.record.externalReference === ref,
      );
      expect(found).toHaveLength(1);
      return found[0].record;
    }

    const lineOf = (snapshot: ErpOrderSnapshot, lineNo: number) => {
      const line = snapshot.lines.find((l) => l.lineNo === lineNo);
      if (!line) throw new Error(`the snapshot has no line ${lineNo}`);
      return line;
    };

    it('delivers an order whose quantity an ERP user changed, as a snapshot with the hub line numbers', async () => {
      const { order, since } = await orderAndWatermark();
      await h.erpSetLineQuantity(order.ref, 2, '2');
      const snapshot = await changedSnapshot(since, order.ref);
      expect(snapshot.state).toBe('OPEN');
      expect(snapshot.erpOrderNumber).toBe(order.erpOrderNumber);
      expect(snapshot.lines.map((l) => l.lineNo).sort()).toEqual([1, 2, 3]);
      expect(same(lineOf(snapshot, 2).quantity, '2')).toBe(true);
      expect(same(lineOf(snapshot, 1).quantity, '5')).toBe(true);
      expect(lineOf(snapshot, 1).sku).toBe(fx.items[0].sku);
      expect(same(lineOf(snapshot, 1).shippedQuantity, '0')).toBe(true);
      expect(Number.isNaN(Date.parse(snapshot.modifiedAt))).toBe(false);
    });

    it('delivers shipped quantities, and CLOSED once the ERP shipped everything', async () => {
      const { order, since } = await orderAndWatermark();
      await h.erpShip(order.ref, [{ lineNo: 1, quantity: '2' }]);
      const partly = await changedSnapshot(since, order.ref);
      expect(partly.state).toBe('OPEN');
      expect(same(lineOf(partly, 1).shippedQuantity, '2')).toBe(true);

      const end = lastPosition((await read(since)).entries, since);
      await h.erpShip(order.ref, [
        { lineNo: 1, quantity: '3' },
        { lineNo: 2, quantity: '3' },
        { lineNo: 3, quantity: '4' },
      ]);
      const shipped = await changedSnapshot(end, order.ref);
      expect(shipped.state).toBe('CLOSED');
      expect(same(lineOf(shipped, 1).shippedQuantity, '5')).toBe(true);
    });

    it('shows an order cancelled in the ERP', async () => {
      const { order, since } = await orderAndWatermark();
      await h.erpCancelOrder(order.ref);
      const [looked] = await h.orderChanges.lookUp([order.ref]);
      expect(looked.externalReference).toBe(order.ref);
      if (h.deletesCancelledOrders) {
        expect(looked.state).toBe('NOT_FOUND');
      } else {
        expect(looked.state).toBe('CANCELLED');
        expect((await changedSnapshot(since, order.ref)).state).toBe('CANCELLED');
      }
    });

    it('looks orders up by external reference, NOT_FOUND for what the ERP does not have', async () => {
      const order = await fx.order();
      const unknown = fx.reference('NONE');
      const snapshots = await h.orderChanges.lookUp([order.ref, unknown]);
      const byRef = new Map(snapshots.map((s) => [s.externalReference, s]));
      expect(snapshots).toHaveLength(2);
      expect(byRef.get(unknown)).toMatchObject({ state: 'NOT_FOUND', lines: [] });
      const found = byRef.get(order.ref);
      expect(found?.state).toBe('OPEN');
      expect(found?.erpOrderNumber).toBe(order.erpOrderNumber);
      expect(found?.lines).toHaveLength(3);
    });

    it('pages in modifiedAt order with keyset cursors and delivers nothing twice', async () => {
      const { order, since } = await orderAndWatermark();
      const other = await fx.order();
      await h.erpSetLineQuantity(order.ref, 1, '6');
      await h.erpSetLineQuantity(other.ref, 1, '7');
      const paged = await read(since, 1);
      expectAscending(paged.entries);
      const refs = changes(paged.entries).map((e) => e.record.externalReference);
      expect(refs).toEqual(expect.arrayContaining([order.ref, other.ref]));
      const whole = await read(since);
      expect(whole.entries.map((e) => e.sourceId)).toEqual(paged.entries.map((e) => e.sourceId));
      expect((await read(lastPosition(whole.entries, since))).entries).toEqual([]);
    });
  });
}
