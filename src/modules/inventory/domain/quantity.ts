import { Decimal } from 'decimal.js';

/** Quantities are numeric(18,6) in the base UoM: at most 12 integer digits and 6 decimals. */
export const QUANTITY_SCALE = 6;
const MAX_INTEGER_DIGITS = 12;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export const ZERO = new Decimal(0);

/** The largest magnitude a numeric(18,6) column holds. */
export const MAX_STORED_QUANTITY = new Decimal('999999999999.999999');

/**
 * Whether a computed figure (a lot's or a position's on hand after an event) can be stored. Each
 * event's quantity fits on its own; a sum of them need not, and PostgreSQL would then refuse the
 * whole batch ("numeric field overflow").
 */
export function fitsQuantityColumn(value: Decimal): boolean {
  return value.abs().lte(MAX_STORED_QUANTITY);
}

/** A quantity that can be stored exactly, as a Decimal; undefined when it cannot. */
export function parseQuantity(value: unknown): Decimal | undefined {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return undefined;
  const d = new Decimal(value);
  if (d.decimalPlaces() > QUANTITY_SCALE) return undefined;
  if (d.abs().trunc().toFixed().length > MAX_INTEGER_DIGITS) return undefined;
  return d;
}

/** The one spelling of a quantity on the wire: plain notation, no trailing zeros (`"12"`, `"0.5"`). */
export function formatQuantity(value: Decimal.Value): string {
  const d = new Decimal(value);
  return d.isZero() ? '0' : d.toFixed();
}

export function maxZero(value: Decimal): Decimal {
  return value.isNegative() ? ZERO : value;
}
