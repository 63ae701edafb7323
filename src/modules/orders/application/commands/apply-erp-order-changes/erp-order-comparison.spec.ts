import {
  applyQuantityChange,
  QuantitiesDoNotClearError,
} from '../../../domain/order-line-quantities.js';
import type { ErpOrderSnapshot } from '../../ports/sales-order-change.feed.js';
import {
  checkErpOrderSnapshot,
  compareErpOrder,
  type SegmentLine,
} from './erp-order-comparison.js';
import { everySecondsCron } from './order-changes.jobs.js';

const hubLine = (overrides: Partial<SegmentLine> = {}): SegmentLine => ({
  lineNo: 1,
  documentLineNo: 1,
  sku: 'SKU-1',
  uom: 'EA',
  ordered: '10',
  shipped: '0',
  cancelled: '0',
  invoiced: '0',
  ...overrides,
});

const snapshot = (overrides: Partial<ErpOrderSnapshot> = {}): ErpOrderSnapshot => ({
  externalReference: 'HUB-1-1',
  erpOrderNumber: 'SO-1',
  state: 'OPEN',
  lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '10', shippedQuantity: '0' }],
  modifiedAt: '2026-12-07T10:00:00.000Z',
  changedBy: 'ERP\\ANNA',
  ...overrides,
});

/** The hub lines after applying a comparison's changes (as OrderFulfillment does). */
function applied(lines: SegmentLine[], snap: ErpOrderSnapshot): SegmentLine[] {
  const { changes } = compareErpOrder('POSTED', lines, snap);
  return lines.map((l) =>
    changes
      .filter((c) => c.lineNo === l.lineNo)
      .reduce((line, c) => ({ ...line, ...applyQuantityChange(line, c.change) }), l),
  );
}

describe(compareErpOrder.name, () => {
  it('changes nothing when the ERP holds what the hub holds', () => {
    expect(compareErpOrder('POSTED', [hubLine()], snapshot())).toEqual({
      changes: [],
      lines: [],
      problems: [],
    });
  });

  it('books an ERP quantity cut as an ordered change, naming from and to', () => {
    const snap = snapshot({
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '6', shippedQuantity: '0' }],
    });
    const result = compareErpOrder('POSTED', [hubLine()], snap);
    expect(result.changes).toEqual([{ lineNo: 1, change: { kind: 'ordered', quantity: '6' } }]);
    expect(result.lines).toEqual([
      { lineNo: 1, documentLineNo: 1, kind: 'ordered', from: '10', to: '6' },
    ]);
  });

  it('is idempotent: comparing again after applying yields no change', () => {
    const snap = snapshot({
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '6', shippedQuantity: '0' }],
    });
    const after = applied([hubLine()], snap);
    expect(after[0].cancelled).toBe('4');
    expect(compareErpOrder('POSTED', after, snap).changes).toEqual([]);
  });

  it('cancels the open quantity of a line the ERP removed, by the line number in the ERP document', () => {
    const lines = [
      hubLine({ lineNo: 3, documentLineNo: 1 }),
      hubLine({ lineNo: 4, documentLineNo: 2, sku: 'SKU-2', shipped: '2' }),
    ];
    const result = compareErpOrder('POSTED', lines, snapshot());
    expect(result.changes).toEqual([{ lineNo: 4, change: { kind: 'cancelled', quantity: '8' } }]);
  });

  it.each(['CANCELLED', 'NOT_FOUND'] as const)(
    'cancels every open quantity when the ERP order is %s',
    (state) => {
      const result = compareErpOrder('POSTED', [hubLine({ cancelled: '2' })], snapshot({ state }));
      expect(result.changes).toEqual([{ lineNo: 1, change: { kind: 'cancelled', quantity: '8' } }]);
      expect(applied([hubLine({ cancelled: '2' })], snapshot({ state }))[0].cancelled).toBe('10');
    },
  );

  it('brings a CLOSED order to what the ERP shipped, not to what the hub has read of it', () => {
    const snap = snapshot({
      state: 'CLOSED',
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '10', shippedQuantity: '7' }],
    });
    // The hub has read 5 of the 7 shipped: the 2 still to come must not be cancelled.
    const result = compareErpOrder('POSTED', [hubLine({ shipped: '5' })], snap);
    expect(result.changes).toEqual([{ lineNo: 1, change: { kind: 'ordered', quantity: '7' } }]);
  });

  it("leaves the hub's own cancels and segments not yet in the ERP alone", () => {
    for (const status of ['CANCEL_REQUESTED', 'CANCELLED', 'SUBMITTED', 'QUEUED'] as const) {
      expect(
        compareErpOrder(status, [hubLine()], snapshot({ state: 'CANCELLED' })).changes,
      ).toEqual([]);
    }
  });

  it('reports a line an ERP user added instead of adding it', () => {
    const snap = snapshot({
      lines: [
        { lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '10', shippedQuantity: '0' },
        { lineNo: null, sku: 'SKU-9', uom: 'BOX', quantity: '2', shippedQuantity: '0' },
      ],
    });
    const result = compareErpOrder('POSTED', [hubLine()], snap);
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([
      { code: 'ERP_LINE_ADDED', sku: 'SKU-9', quantity: '2', uom: 'BOX' },
    ]);
  });

  it('reports a line whose item or unit no longer matches the hub line', () => {
    const snap = snapshot({
      lines: [{ lineNo: 1, sku: 'SKU-X', uom: 'EA', quantity: '3', shippedQuantity: '0' }],
    });
    const result = compareErpOrder('POSTED', [hubLine()], snap);
    expect(result.changes).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'ERP_LINE_MISMATCH' })]);
  });

  it('leaves a cut below the shipped quantity for the domain to refuse', () => {
    const snap = snapshot({
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '2', shippedQuantity: '4' }],
    });
    expect(() => applied([hubLine({ shipped: '4' })], snap)).toThrow(QuantitiesDoNotClearError);
  });
});

describe(checkErpOrderSnapshot.name, () => {
  it('accepts a snapshot and normalises its quantities', () => {
    const check = checkErpOrderSnapshot({
      ...snapshot(),
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '6.000', shippedQuantity: '0' }],
    });
    expect(check).toEqual({
      ok: true,
      value: expect.objectContaining({ lines: [expect.objectContaining({ quantity: '6' })] }),
    });
  });

  it('refuses a snapshot without a reference, with a bad state or a bad quantity', () => {
    const check = checkErpOrderSnapshot({
      ...snapshot(),
      externalReference: '',
      state: 'GONE',
      lines: [{ lineNo: 1, sku: 'SKU-1', uom: 'EA', quantity: '-1', shippedQuantity: '0' }],
    });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.field).sort()).toEqual(
        ['externalReference', 'lines[0].quantity', 'state'].sort(),
      );
    }
  });
});

describe(everySecondsCron.name, () => {
  it('turns seconds into a per-minute schedule, rounding up', () => {
    expect(everySecondsCron(60)).toBe('* * * * *');
    expect(everySecondsCron(30)).toBe('* * * * *');
    expect(everySecondsCron(300)).toBe('*/5 * * * *');
    expect(everySecondsCron(7200)).toBe('0 */2 * * *');
    expect(everySecondsCron(null)).toBeNull();
  });
});
