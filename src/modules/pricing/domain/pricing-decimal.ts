import { Decimal } from 'decimal.js';

/**
 * The decimal type of all price arithmetic: 40 significant digits, so no intermediate result is
 * rounded in practice (a UoM conversion that does not divide evenly is cut at 40 digits, the same
 * way every time). Prices are rounded once, at the end, half-up (away from zero on a tie).
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

/** Unit prices are returned with 4 decimals. */
export const UNIT_PRICE_SCALE = 4;

export const ZERO = new Money(0);
export const ONE = new Money(1);
export const HUNDRED = new Money(100);

/** ISO 4217 minor units that are not 2 (the default). */
const MINOR_UNITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Decimals of amounts (extended prices, totals) in `currency`: its ISO 4217 minor unit. */
export function currencyScale(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** `value` rounded half-up to `scale` decimals, as a plain string with exactly that many. */
export function roundToString(value: Money, scale: number): string {
  // Most prices already have at most `scale` decimals: pad instead of rounding (much cheaper).
  if (value.decimalPlaces() <= scale) return padDecimals(value.toFixed(), scale);
  return value.toFixed(scale, Decimal.ROUND_HALF_UP);
}

function padDecimals(text: string, scale: number): string {
  if (scale === 0) return text;
  const dot = text.indexOf('.');
  if (dot < 0) return `${text}.${'0'.repeat(scale)}`;
  const have = text.length - dot - 1;
  return have >= scale ? text : text + '0'.repeat(scale - have);
}

/** `value` rounded half-up to `scale` decimals. */
export function roundMoney(value: Money, scale: number): Money {
  return value.decimalPlaces() <= scale
    ? value
    : value.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
}

/**
 * Compares two finite decimals like Decimal#comparedTo, without the copy of the argument that
 * decimal.js makes on every comparison (the engine compares in its innermost loops). Reads the
 * documented representation: sign `s`, exponent `e`, base-1e7 digit words `d`.
 */
export function compareMoney(x: Money, y: Money): number {
  const xd = x.d;
  const yd = y.d;
  const xs = x.s;
  const ys = y.s;
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? -ys : 0;
  if (xs !== ys) return xs;
  if (x.e !== y.e) return x.e > y.e !== xs < 0 ? 1 : -1;
  const n = Math.min(xd.length, yd.length);
  for (let i = 0; i < n; i++) {
    if (xd[i] !== yd[i]) return xd[i] > yd[i] !== xs < 0 ? 1 : -1;
  }
  return xd.length === yd.length ? 0 : xd.length > yd.length !== xs < 0 ? 1 : -1;
}

/** Plain decimal strings only (no exponent, no sign other than `-`). */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function parseMoney(value: string): Money | null {
  return DECIMAL.test(value) ? new Money(value) : null;
}
