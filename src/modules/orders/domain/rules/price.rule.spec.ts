import { BUILT_IN_POLICY, type OrderPolicy } from '../order-policy.js';
import { priceCheck } from './price.rule.js';

const priced = {
  status: 'PRICED',
  unitPrice: '10.0000',
  source: 'BASE_PRICE_BOOK',
  violations: [],
};
const line = (expectedUnitPrice: string | null) => ({
  lineRef: 'L1',
  sku: 'A',
  quantity: '1',
  uom: 'EA',
  expectedUnitPrice,
});
const policy = (action: 'hold' | 'adjust'): OrderPolicy => ({
  ...BUILT_IN_POLICY,
  actions: { ...BUILT_IN_POLICY.actions, PRICE_MISMATCH: action },
});

describe(priceCheck.name, () => {
  it('passes a priced line without an expected price, or with the same price', () => {
    for (const expected of [null, '10.0000']) {
      expect(
        priceCheck.check({
          line: line(expected),
          index: 0,
          priced,
          customerErpId: 'C1',
          policy: policy('hold'),
        }),
      ).toEqual({ violations: [], adjustments: [] });
    }
  });

  it('reports NO_PRICE with the engine reason, else a message of its own', () => {
    const unpriced = {
      ...priced,
      status: 'NOT_PRICED',
      unitPrice: null,
      violations: [{ message: 'no book' }],
    };
    expect(
      priceCheck.check({
        line: line(null),
        index: 0,
        priced: unpriced,
        customerErpId: 'C1',
        policy: policy('hold'),
      }).violations,
    ).toEqual([expect.objectContaining({ code: 'NO_PRICE', message: 'no book' })]);
    expect(
      priceCheck.check({
        line: line(null),
        index: 0,
        priced: undefined,
        customerErpId: 'C1',
        policy: policy('hold'),
      }).violations,
    ).toEqual([
      expect.objectContaining({ code: 'NO_PRICE', message: expect.stringContaining('C1') }),
    ]);
  });

  it('reports a mismatch; repriced and reported when the policy adjusts', () => {
    const held = priceCheck.check({
      line: line('9.0000'),
      index: 0,
      priced,
      customerErpId: 'C1',
      policy: policy('hold'),
    });
    expect(held.violations).toEqual([
      expect.objectContaining({ code: 'PRICE_MISMATCH', field: 'lines[0].expectedUnitPrice' }),
    ]);
    expect(held.adjustments).toEqual([]);
    const adjusted = priceCheck.check({
      line: line('9.0000'),
      index: 0,
      priced,
      customerErpId: 'C1',
      policy: policy('adjust'),
    });
    expect(adjusted.adjustments).toEqual([
      expect.objectContaining({
        code: 'PRICE_MISMATCH',
        lineRef: 'L1',
        from: '9.0000',
        to: '10.0000',
      }),
    ]);
  });

  it('lets a difference within the tolerance pass', () => {
    const tolerant: OrderPolicy = {
      ...policy('hold'),
      priceTolerance: { percent: '0', amount: '0.05' },
    };
    expect(
      priceCheck.check({
        line: line('9.9600'),
        index: 0,
        priced,
        customerErpId: 'C1',
        policy: tolerant,
      }).violations,
    ).toEqual([]);
  });
});
