import type { ItemFacts } from './order-rule.js';
import { conversionOf, uomConvertible } from './uom-convertible.rule.js';

const item: ItemFacts = {
  sku: 'A',
  status: 'ACTIVE',
  baseUom: 'EA',
  substitutes: [],
  uomConversions: [
    { uom: 'EA', factor: '1' },
    { uom: 'KG', factor: '1' },
  ],
};
/** EA is counted in whole units, KG is not (master data decides; handed in). */
const sut = uomConvertible((quantity, uom) => uom === 'EA' && !/^\d+$/.test(quantity));
const line = (quantity: string, uom: string) => ({ lineRef: '1', sku: 'A', quantity, uom });

describe('uomConvertible', () => {
  it('passes a known unit in any case, fractions where the unit allows them', () => {
    expect(sut.check({ line: line('2', 'ea'), index: 0, item }).violations).toEqual([]);
    expect(sut.check({ line: line('2.5', 'KG'), index: 0, item }).violations).toEqual([]);
    expect(conversionOf(item, 'ea')).toEqual({ uom: 'EA', factor: '1' });
  });

  it('reports a unit the item does not have, naming its units', () => {
    expect(sut.check({ line: line('1', 'CS'), index: 1, item }).violations).toEqual([
      expect.objectContaining({
        code: 'UOM_NOT_CONVERTIBLE',
        field: 'lines[1].uom',
        message: expect.stringContaining('EA, KG'),
      }),
    ]);
  });

  it('reports a fraction of a counted unit', () => {
    expect(sut.check({ line: line('1.5', 'EA'), index: 0, item }).violations).toEqual([
      expect.objectContaining({ code: 'QUANTITY_NOT_DIVISIBLE', field: 'lines[0].quantity' }),
    ]);
  });
});
