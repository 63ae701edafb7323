import { isFractionOfCountedUnit, uomAllowsFractions } from './unit-of-measure.js';

describe(uomAllowsFractions.name, () => {
  it('refuses fractions of counted units (each, case, pallet…) in any letter case', () => {
    for (const uom of ['EA', 'ea', 'PCS', 'CS', 'CASE', 'PL', 'BOX', 'H87', 'C62']) {
      expect(uomAllowsFractions(uom)).toBe(false);
    }
  });

  it('allows fractions of measures (kilogram, metre, litre, foot, gallon)', () => {
    for (const uom of ['KG', 'KGM', 'M', 'MTR', 'L', 'LTR', 'FT', 'GAL']) {
      expect(uomAllowsFractions(uom)).toBe(true);
    }
  });
});

describe(isFractionOfCountedUnit.name, () => {
  it('flags 1.5 EA but not 2 EA, 2.000 EA or 1.5 KG', () => {
    expect(isFractionOfCountedUnit('1.5', 'EA')).toBe(true);
    expect(isFractionOfCountedUnit('2', 'EA')).toBe(false);
    expect(isFractionOfCountedUnit('2.000', 'EA')).toBe(false);
    expect(isFractionOfCountedUnit('1.5', 'KG')).toBe(false);
  });
});
