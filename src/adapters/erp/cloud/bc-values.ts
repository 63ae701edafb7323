import { Decimal } from 'decimal.js';
import { isSafeNumber, parse } from 'lossless-json';
import { textOrNull, UnmappableRecordError } from '../shared/canonical-fields.js';

/*
 * Business Central's JSON as it really arrives (shared/erp/business-central-api-v2.md):
 * decimals are JSON numbers (`"unitPrice": 19.99`, `"inventory": 4`) unless the server honours
 * `IEEE754Compatible=true`, which nothing guarantees; blanks are written, never null: `""` for
 * codes (a blank currency code is the local currency), `0001-01-01` for dates, `0` for decimals,
 * `" "` for a customer that is not blocked.
 */

/** BC's empty date (`0001-01-01`): "not set". */
export const BC_BLANK_DATE = '0001-01-01';

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Parses an ERP response body without losing a digit: a JSON number that is a safe integer
 * becomes a JS number (exact), every other number keeps the exact text it was sent as
 * (`19.99` → `"19.99"`, `75000.00` → `"75000.00"`), so no decimal ever passes through a double.
 */
export function parseBcJson(text: string): unknown {
  return parse(text, null, (digits: string) =>
    /^-?\d+$/.test(digits) && isSafeNumber(digits) ? Number(digits) : digits,
  );
}

/**
 * A BC decimal as exact text, from a JSON number (as parseBcJson leaves it: exact text, or a
 * safe integer) or a decimal string (IEEE754Compatible). Exponent forms are written out.
 */
export function bcDecimal(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL_TEXT.test(text)) return text;
    if (NUMBER_TEXT.test(text)) return new Decimal(text).toFixed();
  }
  throw new UnmappableRecordError(
    `${field} is not an exact decimal (got ${JSON.stringify(value)}).`,
  );
}

/** An optional BC decimal: a missing property reads as BC's blank, 0. */
export function bcDecimalOrZero(value: unknown, field: string): string {
  return value === undefined || value === null ? '0' : bcDecimal(value, field);
}

/** A BC date, or null for BC's blank date, `""` or a missing property. */
export function bcOptionalDate(value: unknown): string | null {
  const date = textOrNull(value);
  return date === null || date === BC_BLANK_DATE ? null : date;
}

/** BC writes the zero GUID for "no related record". */
export function bcOptionalGuid(value: unknown): string | null {
  const guid = textOrNull(value)?.toLowerCase() ?? null;
  return guid === null || /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(guid) ? null : guid;
}

/** A code that BC leaves blank for "the company's local currency". */
export function bcCurrency(value: unknown, localCurrency: string): string {
  return textOrNull(value) ?? localCurrency;
}
