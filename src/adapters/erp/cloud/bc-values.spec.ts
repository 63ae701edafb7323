import { UnmappableRecordError } from '../shared/canonical-fields.js';
import { bcDecimal, bcOptionalDate, parseBcJson } from './bc-values.js';

describe('parseBcJson', () => {
  it('keeps every digit BC sent: decimals as their exact text, safe integers as numbers', () => {
    const parsed = parseBcJson(
      '{"unitPrice":19.99,"creditLimit":75000.00,"inventory":4,"big":12345678901234567890.123456789,"huge":9007199254740993}',
    );
    expect(parsed).toEqual({
      unitPrice: '19.99',
      creditLimit: '75000.00',
      inventory: 4,
      big: '12345678901234567890.123456789',
      huge: '9007199254740993',
    });
  });
});

describe('bcDecimal', () => {
  it('accepts BC numbers as parsed and IEEE754Compatible strings alike', () => {
    expect(bcDecimal('19.99', 'unitPrice')).toBe('19.99');
    expect(bcDecimal(4, 'inventory')).toBe('4');
    expect(bcDecimal(0, 'creditLimit')).toBe('0');
    expect(bcDecimal('1E-5', 'qty')).toBe('0.00001');
  });

  it('refuses a value that went through a double or is no number', () => {
    expect(() => bcDecimal(0.1 + 0.2, 'unitPrice')).toThrow(UnmappableRecordError);
    expect(() => bcDecimal('abc', 'unitPrice')).toThrow(/exact decimal/);
  });
});

describe('bcOptionalDate', () => {
  it("reads BC's empty date 0001-01-01, a blank and a missing property as no date", () => {
    expect(bcOptionalDate('0001-01-01')).toBeNull();
    expect(bcOptionalDate('')).toBeNull();
    expect(bcOptionalDate(undefined)).toBeNull();
    expect(bcOptionalDate('2026-03-01')).toBe('2026-03-01');
  });
});
