/**
 * Exact fixed-point arithmetic on bigint micro-units (1e-6), for the generator's price maths:
 * hundreds of thousands of price lines at 10x scale, no floats, and far less garbage than
 * a Decimal object per operation. Values here are never negative.
 */
export type Micro = bigint;

const ONE = 1_000_000n;
const HALF = 500_000n;

/** Parses a non-negative decimal string with at most 6 decimals, or an integer. */
export function micro(value: string | number): Micro {
  const text = String(value);
  const dot = text.indexOf('.');
  if (dot < 0) return BigInt(text) * ONE;
  const frac = text.slice(dot + 1);
  if (frac.length > 6) throw new RangeError(`more than 6 decimals: ${text}`);
  return BigInt(text.slice(0, dot) || '0') * ONE + BigInt(frac.padEnd(6, '0'));
}

/** a × b, rounded half up to micro-units. */
export function mul(a: Micro, b: Micro): Micro {
  return (a * b + HALF) / ONE;
}

/** a × (100 − percent) / 100, percent in micro-units. */
export function percentOff(a: Micro, percent: Micro): Micro {
  return mul(a, ONE - percent / 100n);
}

/** Rounds half up to `dp` decimals (0..6) and formats, e.g. `12.50`. */
export function format(value: Micro, dp: number): string {
  const unit = 10n ** BigInt(6 - dp);
  const rounded = (value + unit / 2n) / unit;
  if (dp === 0) return rounded.toString();
  const digits = rounded.toString().padStart(dp + 1, '0');
  return `${digits.slice(0, -dp)}.${digits.slice(-dp)}`;
}

/** A unit price: 4 decimals under 1 (cheap fasteners, per-foot wire), else 2; never zero. */
export function money(value: Micro): string {
  const dp = value < ONE ? 4 : 2;
  const text = format(value, dp);
  return /^[0.]+$/.test(text) ? '0.0001' : text;
}
