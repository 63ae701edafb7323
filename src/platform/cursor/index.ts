import { ApplicationError } from '../errors/index.js';
import { hasUnsafeCharacter } from '../http/unsafe-input.js';

/**
 * Checks for the fields of opaque list cursors. A cursor is base64url JSON the client hands back;
 * whatever it decodes to goes into SQL as a timestamptz, bigint or text parameter, so each field
 * is checked as strictly as PostgreSQL would read it: a cursor PostgreSQL would refuse
 * (`2026-02-30`, a bigint over 2^63 − 1, a NUL) is INVALID_CURSOR (400), never a 500.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An ISO 8601 date-time (UTC `Z` or an offset, up to microseconds) naming a time that exists.
 * `Date.parse` is no check: V8 rolls 2026-02-30 over to 2 March, PostgreSQL refuses it.
 */
export function isIsoTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = [m[7], m[8]].map((v) => (v === undefined ? 0 : Number(v)));
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59
  );
}

const BIGINT_MAX = 9223372036854775807n;

/** A non-negative integer that fits PostgreSQL's bigint, as a decimal string. */
export function isBigintString(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** A text key (SKU, customer id, name) of at most `maxLength` characters PostgreSQL can hold. */
export function isCursorText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength && !hasUnsafeCharacter(value);
}

/** 400 INVALID_CURSOR: a cursor this API did not return (or one PostgreSQL could not read). */
export function invalidCursorError(): ApplicationError {
  return new ApplicationError(
    'INVALID_CURSOR',
    'The cursor is not one this API returned; start again without a cursor.',
    'validation',
    {
      violations: [
        {
          code: 'INVALID_CURSOR',
          field: 'cursor',
          message: 'cursor must be a nextCursor value returned by this endpoint',
        },
      ],
    },
  );
}
