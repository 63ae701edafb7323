import { checkStockEvent, compareEventKeys, decideStockEvent } from './stock-event.js';

const NOW = Date.parse('2026-05-13T10:00:00.000Z');
const valid = {
  eventId: 'wms-1',
  sku: ' HX-2040-BLK ',
  warehouse: 'WH-EAST',
  type: 'ADJUSTMENT',
  quantity: '-2.50',
  occurredAt: '2026-05-13T09:59:59.123456+00:00',
  source: 'WMS-EAST',
};

describe(checkStockEvent.name, () => {
  it('normalises a valid event: trimmed codes, canonical quantity, millisecond time, no lot', () => {
    expect(checkStockEvent(valid, NOW)).toEqual({
      ok: true,
      value: {
        eventId: 'wms-1',
        sku: 'HX-2040-BLK',
        warehouse: 'WH-EAST',
        lot: '',
        type: 'ADJUSTMENT',
        quantity: '-2.5',
        occurredAt: Date.parse('2026-05-13T09:59:59.123Z'),
        source: 'WMS-EAST',
      },
    });
  });

  it('reports every problem of an event at once', () => {
    const check = checkStockEvent(
      { eventId: 'has space', type: 'SNAPSHOT', quantity: '-1', occurredAt: '2026-05-13 10:00' },
      NOW,
    );
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'eventId:INVALID_EVENT_ID',
      'sku:REQUIRED',
      'warehouse:REQUIRED',
      'quantity:NEGATIVE_SNAPSHOT',
      'occurredAt:INVALID_OCCURRED_AT',
      'source:REQUIRED',
    ]);
  });

  it('refuses a time more than five minutes ahead, which would outrank every real count', () => {
    const check = checkStockEvent({ ...valid, occurredAt: '2026-05-13T10:05:01Z' }, NOW);
    expect(!check.ok && check.problems[0].code).toBe('OCCURRED_IN_FUTURE');
    expect(checkStockEvent({ ...valid, occurredAt: '2026-05-13T10:04:59Z' }, NOW).ok).toBe(true);
  });

  it('refuses quantities that a numeric(18,6) column cannot hold exactly, and floats', () => {
    for (const quantity of ['1.1234567', '1234567890123', 12, '1e3']) {
      const check = checkStockEvent({ ...valid, quantity }, NOW);
      expect(!check.ok && check.problems[0].code).toBe('INVALID_QUANTITY');
    }
  });
});

describe(decideStockEvent.name, () => {
  const last = { at: 1000, id: 'm' };

  it('applies anything to a position that has no snapshot yet', () => {
    expect(decideStockEvent('SNAPSHOT', { at: 1, id: 'a' }, null)).toEqual({ apply: true });
  });

  it('ignores a snapshot at or before the last one, ties broken by event id', () => {
    expect(decideStockEvent('SNAPSHOT', { at: 999, id: 'z' }, last)).toEqual({
      apply: false,
      reason: 'STALE_SNAPSHOT',
    });
    expect(decideStockEvent('SNAPSHOT', { at: 1000, id: 'a' }, last).apply).toBe(false);
    expect(decideStockEvent('SNAPSHOT', { at: 1000, id: 'n' }, last).apply).toBe(true);
  });

  it('ignores an adjustment that happened before the last snapshot', () => {
    expect(decideStockEvent('ADJUSTMENT', { at: 999, id: 'z' }, last)).toEqual({
      apply: false,
      reason: 'BEFORE_SNAPSHOT',
    });
    expect(decideStockEvent('ADJUSTMENT', { at: 1001, id: 'a' }, last)).toEqual({ apply: true });
  });

  it('orders event ids ordinally, as PostgreSQL "C" does', () => {
    expect(compareEventKeys({ at: 1, id: 'B' }, { at: 1, id: 'a' })).toBeLessThan(0);
    expect(compareEventKeys({ at: 1, id: 'a10' }, { at: 1, id: 'a9' })).toBeLessThan(0);
  });
});
