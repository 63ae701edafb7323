import {
  applyQuantityChange,
  backordered,
  fulfillmentStateOf,
  type LineQuantities,
  QuantitiesDoNotClearError,
} from './order-line-quantities.js';

const line = (over: Partial<LineQuantities> = {}): LineQuantities => ({
  lineNo: 1,
  ordered: '10',
  shipped: '0',
  cancelled: '0',
  invoiced: '0',
  ...over,
});

const refusalOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof QuantitiesDoNotClearError) return error.refusal;
    throw error;
  }
  return undefined;
};

describe('order line quantities', () => {
  it('books a partial shipment and leaves the rest backordered', () => {
    const after = applyQuantityChange(line(), { kind: 'shipped', quantity: '4.5' });
    expect(after.shipped).toBe('4.5');
    expect(backordered(after)).toBe('5.5');
  });

  it('refuses to ship more than is open (ordered − shipped − cancelled)', () => {
    const sut = line({ shipped: '6', cancelled: '2' });
    expect(refusalOf(() => applyQuantityChange(sut, { kind: 'shipped', quantity: '3' }))).toBe(
      'OVER_SHIPMENT',
    );
    expect(applyQuantityChange(sut, { kind: 'shipped', quantity: '2' }).shipped).toBe('8');
  });

  it('refuses to invoice more than shipped', () => {
    const sut = line({ shipped: '4', invoiced: '3' });
    expect(refusalOf(() => applyQuantityChange(sut, { kind: 'invoiced', quantity: '2' }))).toBe(
      'OVER_INVOICE',
    );
  });

  it('takes an invoice back (negative) but never below zero', () => {
    const sut = line({ shipped: '4', invoiced: '3' });
    expect(applyQuantityChange(sut, { kind: 'invoiced', quantity: '-3' }).invoiced).toBe('0');
    expect(refusalOf(() => applyQuantityChange(sut, { kind: 'invoiced', quantity: '-4' }))).toBe(
      'NEGATIVE_QUANTITY',
    );
  });

  it('books an ERP quantity cut as cancelled and keeps what the channel ordered', () => {
    const after = applyQuantityChange(line({ shipped: '2' }), { kind: 'ordered', quantity: '6' });
    expect(after).toMatchObject({ ordered: '10', cancelled: '4' });
    expect(backordered(after)).toBe('4');
  });

  it('refuses an ERP cut below what already shipped, and a raise above the ordered quantity', () => {
    expect(
      refusalOf(() =>
        applyQuantityChange(line({ shipped: '5' }), { kind: 'ordered', quantity: '4' }),
      ),
    ).toBe('BELOW_SHIPPED');
    expect(refusalOf(() => applyQuantityChange(line(), { kind: 'ordered', quantity: '11' }))).toBe(
      'OVER_CANCELLATION',
    );
  });

  it('reads the fulfillment state from the lines', () => {
    expect(fulfillmentStateOf([line()])).toBe('OPEN');
    expect(fulfillmentStateOf([line({ shipped: '1' })])).toBe('PARTIALLY_SHIPPED');
    expect(fulfillmentStateOf([line({ shipped: '7', cancelled: '3' })])).toBe('SHIPPED');
    expect(fulfillmentStateOf([line({ shipped: '10', invoiced: '10' })])).toBe('INVOICED');
    expect(fulfillmentStateOf([line({ cancelled: '10' })])).toBe('CANCELLED');
  });
});
