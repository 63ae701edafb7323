import { Decimal } from 'decimal.js';
import { BUILT_IN_POLICY, type OrderPolicy } from '../order-policy.js';
import { availabilityCheck } from './availability.rule.js';

const policy = (action: 'hold' | 'adjust'): OrderPolicy => ({
  ...BUILT_IN_POLICY,
  actions: { ...BUILT_IN_POLICY.actions, INSUFFICIENT_AVAILABILITY: action },
});
const facts = (reserved: string, short: string, action: 'hold' | 'adjust' = 'adjust') => ({
  line: { lineRef: 'L1', sku: 'A', quantity: '10', uom: 'EA' },
  index: 0,
  sku: 'A',
  baseUom: 'EA',
  baseQuantity: new Decimal(10),
  allocation: { warehouse: 'EAST', reserved: new Decimal(reserved), short: new Decimal(short) },
  policy: policy(action),
});

describe(availabilityCheck.name, () => {
  it('passes a line promised in full, and a drop-ship line (no allocation)', () => {
    expect(availabilityCheck.check(facts('10', '0')).violations).toEqual([]);
    expect(
      availabilityCheck.check({ ...facts('0', '0'), allocation: undefined }).violations,
    ).toEqual([]);
  });

  it('reports the short quantity and backorders it when the policy adjusts', () => {
    const found = availabilityCheck.check(facts('6', '4'));
    expect(found.violations).toEqual([
      expect.objectContaining({ code: 'INSUFFICIENT_AVAILABILITY', field: 'lines[0].quantity' }),
    ]);
    expect(found.adjustments).toEqual([
      expect.objectContaining({ lineRef: 'L1', from: '10', to: '6' }),
    ]);
  });

  it('adjusts nothing when the policy holds', () => {
    expect(availabilityCheck.check(facts('6', '4', 'hold')).adjustments).toEqual([]);
  });
});
