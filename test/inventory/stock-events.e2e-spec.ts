import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { bearer, createTestChannel } from '../support/channels.js';
import {
  atpOf,
  type InventoryHub,
  positionOf,
  seedItems,
  startInventoryHub,
  stockEvent,
  uniqueSku,
} from './inventory-test-app.js';

interface ResultBody {
  index: number;
  eventId: string | null;
  status: string;
  reason?: string;
  originalStatus?: string;
  problems?: { code: string; field: string }[];
}
interface EventsBody {
  summary: Record<string, number>;
  results: ResultBody[];
}

const T0 = Date.parse('2026-05-13T10:00:00.000Z');
const time = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

describe('stock events', () => {
  let hub: InventoryHub;
  let wms: Record<string, string>;
  let sku: string;
  let lotSku: string;

  beforeAll(async () => {
    hub = await startInventoryHub();
    sku = uniqueSku('BOLT');
    lotSku = uniqueSku('FLOUR');
    await seedItems(hub, [{ sku }, { sku: lotSku, lotControlled: true }]);
    wms = bearer((await createTestChannel(hub.app, { kind: 'wms' })).apiKey);
  });
  afterAll(async () => {
    await hub?.close();
  });

  const send = async (events: unknown[]): Promise<EventsBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/inventory/events`, {
      method: 'POST',
      headers: { ...wms, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as EventsBody;
  };

  it('applies the good events of a batch and rejects each bad one with its reasons', async () => {
    const body = await send([
      stockEvent({ sku, quantity: '40', occurredAt: time(0) }),
      stockEvent({ sku, quantity: '12.1234567' }),
      stockEvent({ sku: 'NO-SUCH-SKU' }),
      stockEvent({ sku: lotSku }),
      stockEvent({ sku, lot: 'L-1' }),
      stockEvent({ sku, warehouse: 'WH-MARS' }),
      stockEvent({ sku, type: 'ADJUSTMENT', quantity: '0', colour: 'red' }),
      stockEvent({ sku: lotSku, lot: 'L-7', quantity: '5', occurredAt: time(0) }),
      'not an event',
    ]);

    expect(body.summary).toEqual({ applied: 2, duplicate: 0, ignored: 0, rejected: 7 });
    const codes = body.results.map((r) => (r.problems ?? []).map((p) => p.code).sort());
    expect(body.results.map((r) => r.status)).toEqual([
      'APPLIED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'APPLIED',
      'REJECTED',
    ]);
    expect(codes).toEqual([
      [],
      ['INVALID_QUANTITY'],
      ['UNKNOWN_SKU'],
      ['LOT_REQUIRED'],
      ['LOT_NOT_ALLOWED'],
      ['UNKNOWN_WAREHOUSE'],
      ['UNKNOWN_PROPERTY', 'ZERO_ADJUSTMENT'],
      [],
      ['NOT_AN_OBJECT'],
    ]);
    expect(await atpOf(hub, sku, 'WH-EAST')).toBe('40');
    expect(await atpOf(hub, lotSku, 'WH-EAST')).toBe('5');
  });

  it('rejects an event that would overflow on hand (numeric(18,6)) with a reason and applies the rest of the batch', async () => {
    const big = uniqueSku('HUGE');
    const lots = uniqueSku('HUGE-LOT');
    const other = uniqueSku('SMALL');
    await seedItems(hub, [{ sku: big }, { sku: lots, lotControlled: true }, { sku: other }]);
    const max = '999999999999.999999';
    const overflowing = stockEvent({
      sku: big,
      type: 'ADJUSTMENT',
      quantity: '1',
      occurredAt: time(2),
    });

    const body = await send([
      stockEvent({ sku: big, quantity: max, occurredAt: time(1) }),
      overflowing,
      stockEvent({ sku: other, quantity: '7', occurredAt: time(1) }),
      // Each lot fits; their sum, the position's on hand, does not.
      stockEvent({ sku: lots, lot: 'L-1', quantity: max, occurredAt: time(1) }),
      stockEvent({ sku: lots, lot: 'L-2', quantity: '0.000001', occurredAt: time(1) }),
    ]);

    expect(body.results.map((r) => r.status)).toEqual([
      'APPLIED',
      'REJECTED',
      'APPLIED',
      'APPLIED',
      'REJECTED',
    ]);
    expect(body.results[1].problems).toEqual([
      expect.objectContaining({ code: 'QUANTITY_OUT_OF_RANGE', field: 'quantity' }),
    ]);
    expect(body.results[4].problems?.map((p) => p.code)).toEqual(['QUANTITY_OUT_OF_RANGE']);
    expect((await positionOf(hub, big, 'WH-EAST'))?.on_hand).toBe(max);
    expect(await atpOf(hub, other, 'WH-EAST')).toBe('7');

    // A rejected event was not recorded: the same id with a quantity that fits is applied.
    const retry = await send([{ ...overflowing, quantity: '-1' }]);
    expect(retry.results[0].status).toBe('APPLIED');
    expect((await positionOf(hub, big, 'WH-EAST'))?.on_hand).toBe('999999999998.999999');
  });

  it('refuses a malformed batch as a whole with 400', async () => {
    const res = await fetch(`${hub.baseUrl}/v1/inventory/events`, {
      method: 'POST',
      headers: { ...wms, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('applies an event once: a resend is DUPLICATE, the same id with other content is REJECTED', async () => {
    const s = uniqueSku('DUP');
    await seedItems(hub, [{ sku: s }]);
    const event = stockEvent({ sku: s, type: 'ADJUSTMENT', quantity: '3' });

    const first = await send([event, event]);
    const again = await send([event, { ...event, quantity: '4' }]);

    expect(first.results.map((r) => r.status)).toEqual(['APPLIED', 'DUPLICATE']);
    expect(again.results[0]).toMatchObject({ status: 'DUPLICATE', originalStatus: 'APPLIED' });
    expect(again.results[1]).toMatchObject({
      status: 'REJECTED',
      problems: [{ code: 'EVENT_ID_REUSED', field: 'eventId' }],
    });
    expect(await atpOf(hub, s, 'WH-EAST')).toBe('3');
  });

  it('ignores stale snapshots and adjustments before the last snapshot, and keeps later adjustments that arrived first', async () => {
    const s = uniqueSku('ORD');
    await seedItems(hub, [{ sku: s }]);
    const late = stockEvent({ sku: s, type: 'ADJUSTMENT', quantity: '-2', occurredAt: time(30) });

    const body = await send([
      late,
      stockEvent({ sku: s, quantity: '100', occurredAt: time(20) }),
      stockEvent({ sku: s, quantity: '90', occurredAt: time(10) }),
      stockEvent({ sku: s, type: 'ADJUSTMENT', quantity: '5', occurredAt: time(15) }),
      stockEvent({ sku: s, type: 'ADJUSTMENT', quantity: '1', occurredAt: time(25) }),
    ]);

    expect(body.results.map((r) => [r.status, r.reason])).toEqual([
      ['APPLIED', undefined],
      ['APPLIED', undefined],
      ['IGNORED', 'STALE_SNAPSHOT'],
      ['IGNORED', 'BEFORE_SNAPSHOT'],
      ['APPLIED', undefined],
    ]);
    // The 20s snapshot (100) plus the adjustments after it (−2 at 30s, +1 at 25s).
    expect(await positionOf(hub, s, 'WH-EAST')).toMatchObject({ on_hand: '99.000000' });
  });

  it('tells channels the time of the newest stock event behind each figure', async () => {
    const s = uniqueSku('TIME');
    await seedItems(hub, [{ sku: s }]);
    await send([
      stockEvent({ sku: s, quantity: '7', occurredAt: time(40) }),
      stockEvent({ sku: s, warehouse: 'WH-WEST', quantity: '3', occurredAt: time(50) }),
    ]);
    const reader = bearer((await createTestChannel(hub.app)).apiKey);

    const res = await fetch(`${hub.baseUrl}/v1/inventory/availability?sku=${s}&sku=UNKNOWN-${s}`, {
      headers: reader,
    });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      items: [
        {
          sku: s,
          atp: '10',
          stockEventAt: time(50),
          warehouses: [
            { warehouse: 'WH-EAST', atp: '7', stockEventAt: time(40) },
            { warehouse: 'WH-WEST', atp: '3', stockEventAt: time(50) },
          ],
        },
        { sku: `UNKNOWN-${s}`, atp: '0', stockEventAt: null, warehouses: [] },
      ],
    });
  });

  it('remembers event ids across a restart of the hub', async () => {
    const s = uniqueSku('RST');
    await seedItems(hub, [{ sku: s }]);
    const event = stockEvent({ sku: s, type: 'ADJUSTMENT', quantity: '8' });
    expect((await send([event])).results[0].status).toBe('APPLIED');

    await hub.close();
    hub = await startInventoryHub({}, { masterData: hub.masterData, erp: hub.erp });
    wms = bearer((await createTestChannel(hub.app, { kind: 'wms' })).apiKey);

    expect((await send([event])).results[0]).toMatchObject({
      status: 'DUPLICATE',
      originalStatus: 'APPLIED',
    });
    expect(await atpOf(hub, s, 'WH-EAST')).toBe('8');
  });

  /*
   * The reference model: the final on hand of a lot is the quantity of its newest snapshot (by
   * occurredAt, then eventId) plus every adjustment after it; with no snapshot, the sum of the
   * adjustments. Whatever the order of arrival, duplicates or batching.
   */
  interface GenEvent {
    eventId: string;
    lot: string;
    type: 'SNAPSHOT' | 'ADJUSTMENT';
    quantity: string;
    second: number;
  }

  function reference(events: GenEvent[]): Map<string, string> {
    const byLot = new Map<string, GenEvent[]>();
    for (const e of events) byLot.set(e.lot, [...(byLot.get(e.lot) ?? []), e]);
    const result = new Map<string, string>();
    const after = (a: GenEvent, b: GenEvent): boolean =>
      a.second !== b.second ? a.second > b.second : a.eventId > b.eventId;
    for (const [lot, list] of byLot) {
      const snapshot = list
        .filter((e) => e.type === 'SNAPSHOT')
        .reduce<GenEvent | null>((best, e) => (!best || after(e, best) ? e : best), null);
      const total = list
        .filter((e) => e.type === 'ADJUSTMENT' && (!snapshot || after(e, snapshot)))
        .reduce((sum, e) => sum.plus(e.quantity), new Decimal(snapshot?.quantity ?? 0));
      result.set(lot, total.toFixed());
    }
    return result;
  }

  const genEvent = (index: number): fc.Arbitrary<GenEvent> =>
    fc.record({
      eventId: fc.constant(`e${String(index).padStart(2, '0')}`),
      lot: fc.constantFrom('L1', 'L2'),
      type: fc.constantFrom<'SNAPSHOT' | 'ADJUSTMENT'>('SNAPSHOT', 'ADJUSTMENT'),
      quantity: fc.integer({ min: 1, max: 50 }).map(String),
      // Few distinct seconds: ties between events are common and must be broken by eventId.
      second: fc.integer({ min: 0, max: 5 }),
    });

  it('ends in the reference model’s positions for any interleaving of duplicate, reordered snapshots and adjustments', async () => {
    const s = uniqueSku('PROP');
    await seedItems(hub, [{ sku: s, lotControlled: true }]);
    const scenario = fc
      .integer({ min: 1, max: 10 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => genEvent(i))))
      .chain((events) =>
        fc.record({
          events: fc.constant(events),
          // Every event at least once, some twice, in any order, cut into batches.
          deliveries: fc
            .tuple(
              fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
              fc.subarray(events),
            )
            .chain(([all, again]) =>
              fc.shuffledSubarray([...all, ...again], {
                minLength: all.length + again.length,
                maxLength: all.length + again.length,
              }),
            ),
          cuts: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 4 }),
        }),
      );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ events, deliveries, cuts }) => {
        run += 1;
        const warehouse = ['WH-EAST', 'WH-WEST', 'WH-NORTH'][run % 3];
        const prefix = `${s}-${run}-`;
        const toWire = (e: GenEvent): Record<string, unknown> => ({
          eventId: prefix + e.eventId,
          sku: s,
          warehouse: warehouse,
          lot: `${run}-${e.lot}`,
          type: e.type,
          quantity:
            e.type === 'ADJUSTMENT' && e.quantity.length % 2 ? `-${e.quantity}` : e.quantity,
          occurredAt: time(e.second),
          source: 'PROPERTY',
        });
        const wire = deliveries.map(toWire);
        const batches: Record<string, unknown>[][] = [];
        let from = 0;
        for (const cut of [...cuts, wire.length]) {
          const to = Math.min(wire.length, from + cut);
          if (to > from) batches.push(wire.slice(from, to));
          from = to;
        }
        const statuses = new Map<string, string[]>();
        for (const batch of batches) {
          for (const r of await hub.inventory.applyStockEvents(batch)) {
            statuses.set(r.eventId!, [...(statuses.get(r.eventId!) ?? []), r.status]);
          }
        }
        // Each event counted once (APPLIED or IGNORED), every redelivery a DUPLICATE.
        for (const list of statuses.values()) {
          expect(['APPLIED', 'IGNORED']).toContain(list[0]);
          expect(list.slice(1).every((st) => st === 'DUPLICATE')).toBe(true);
        }
        const signed = events.map((e) => ({
          ...e,
          quantity: String(toWire(e).quantity),
        }));
        const expected = reference(signed);
        const rows = (await hub.db.query(
          `SELECT lot_no, on_hand::text FROM inv_lot WHERE sku = $1 AND warehouse_code = $2
             AND lot_no LIKE $3`,
          [s, warehouse, `${run}-%`],
        )) as { lot_no: string; on_hand: string }[];
        const actual = new Map(
          rows.map((r) => [r.lot_no.slice(`${run}-`.length), new Decimal(r.on_hand).toFixed()]),
        );
        expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
      }),
      { numRuns: 40 },
    );
    // The position is the sum of its lots.
    const [check] = (await hub.db.query(
      `SELECT bool_and(p.on_hand = l.total) AS consistent FROM inv_position p
         JOIN (SELECT sku, warehouse_code, sum(on_hand) AS total FROM inv_lot GROUP BY 1, 2) l
           USING (sku, warehouse_code)
        WHERE p.sku = $1`,
      [s],
    )) as { consistent: boolean }[];
    expect(check.consistent).toBe(true);
  });
});
