import { Decimal } from 'decimal.js';
import type { RecordReader } from '../../../platform/kernel/index.js';

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

/** A required money amount of a record, as a canonical decimal string (`"12.3400"`). */
export function readMoney(fields: RecordReader, name: string): string {
  return readOptionalMoney(fields, name, true) ?? '0.0000';
}

export function readOptionalMoney(
  fields: RecordReader,
  name: string,
  required = false,
): string | null {
  const value = fields.raw(name);
  if (value === undefined || value === null) {
    if (required) fields.problem(name, 'REQUIRED', `${name} is required`);
    return null;
  }
  if (!isDecimalString(value)) {
    fields.problem(name, 'NOT_A_DECIMAL', `${name} must be a decimal string such as "1500.00"`);
    return null;
  }
  const canonical = canonicalMoney(value);
  if (canonical === undefined) {
    fields.problem(
      name,
      'OUT_OF_RANGE',
      `${name} must have at most 15 integer digits and 4 decimal places`,
    );
  }
  return canonical ?? null;
}

/** A decimal that must be kept exactly (UoM factors): canonical, trailing zeros dropped. */
export function readFactor(fields: RecordReader, name: string): string | null {
  const value = fields.raw(name);
  if (!isDecimalString(value)) {
    fields.problem(
      name,
      value === undefined || value === null ? 'REQUIRED' : 'NOT_A_DECIMAL',
      `${name} must be a decimal string such as "12" or "0.5"`,
    );
    return null;
  }
  return canonicalFactor(value) ?? null;
}
