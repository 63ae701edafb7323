import { Decimal } from 'decimal.js';

/** Plain decimal notation only: optional minus, digits, optional fraction. No exponent, no `+`. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Money is stored as numeric(19,4): at most 15 integer digits and 4 decimals. */
export const MONEY_SCALE = 4;
const MONEY_MAX_INTEGER_DIGITS = 15;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/**
 * A money amount in its one canonical spelling (`"1500.0000"`), so equal amounts hash and compare
 * equal however the ERP wrote them. Returns undefined when the value cannot be stored exactly.
 */
export function canonicalMoney(value: string): string | undefined {
  if (!isDecimalString(value)) return undefined;
  const d = new Decimal(value);
  if (d.decimalPlaces() > MONEY_SCALE) return undefined;
  if (d.abs().trunc().toFixed().length > MONEY_MAX_INTEGER_DIGITS) return undefined;
  return d.toFixed(MONEY_SCALE);
}

/**
 * A UoM factor in its canonical spelling: exact, without trailing zeros (`"12"`, `"0.453592"`).
 * Factors are stored in an unconstrained numeric column, so no digit is ever rounded away.
 */
export function canonicalFactor(value: string): string | undefined {
  if (!isDecimalString(value)) return undefined;
  return new Decimal(value).toFixed();
}

export function isPositiveDecimal(value: string): boolean {
  return new Decimal(value).greaterThan(0);
}

export function isNegativeDecimal(value: string): boolean {
  return new Decimal(value).lessThan(0);
}
