import { Decimal } from 'decimal.js';

/** Keys (SKUs, codes, customer numbers) travel in URLs and logs: printable, short, no padding. */
const KEY_MAX_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Plain decimal notation only: optional minus, digits, optional fraction. No exponent, no `+`. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One reason a record cannot be accepted; `field` is a dotted/indexed path into the record. */
export interface RecordProblem {
  code: string;
  field: string;
  message: string;
}

/** The outcome of checking a record: the normalised record, or every problem found in it. */
export type RecordCheck<T> = { ok: true; value: T } | { ok: false; problems: RecordProblem[] };

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
  );
}

/**
 * Reads the fields of one record an adapter delivered, normalising as it goes and collecting
 * every problem instead of stopping at the first (a data steward fixes a record once). Nothing is
 * trusted: the runtime type of every field is checked. Strings are trimmed; an optional text
 * that is empty after trimming is absent (`null`), as cloud ERPs send `""` for blank fields.
 */
export class RecordReader {
  private constructor(
    private readonly source: Record<string, unknown>,
    readonly problems: RecordProblem[],
    private readonly prefix: string,
  ) {}

  static of(input: unknown, problems: RecordProblem[] = [], prefix = ''): RecordReader {
    const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
    if (!isObject) {
      problems.push({ code: 'NOT_AN_OBJECT', field: prefix || '$', message: 'must be an object' });
    }
    return new RecordReader(isObject ? (input as Record<string, unknown>) : {}, problems, prefix);
  }

  path(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  raw(name: string): unknown {
    return this.source[name];
  }

  problem(name: string, code: string, message: string): void {
    this.problems.push({ code, field: this.path(name), message });
  }

  /** A required identifier: trimmed, printable, at most 100 characters. */
  key(name: string): string {
    const value = this.text(name);
    if (value !== '') this.checkKey(name, value);
    return value;
  }

  optionalKey(name: string): string | null {
    const value = this.optionalText(name);
    if (value !== null) this.checkKey(name, value);
    return value;
  }

  /** A required text, trimmed and not empty. */
  text(name: string): string {
    const value = this.source[name];
    if (value === undefined || value === null) {
      this.problem(name, 'REQUIRED', `${name} is required`);
      return '';
    }
    if (typeof value !== 'string') {
      this.problem(name, 'NOT_A_STRING', `${name} must be a string`);
      return '';
    }
    const trimmed = value.trim();
    if (trimmed === '') this.problem(name, 'REQUIRED', `${name} must not be empty`);
    return trimmed;
  }

  optionalText(name: string): string | null {
    const value = this.source[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      this.problem(name, 'NOT_A_STRING', `${name} must be a string or null`);
      return null;
    }
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.source[name];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
      return value as T;
    this.problem(
      name,
      value === undefined || value === null ? 'REQUIRED' : 'NOT_ALLOWED',
      `${name} must be one of ${allowed.join(', ')}`,
    );
    return allowed[0];
  }

  boolean(name: string): boolean {
    const value = this.source[name];
    if (typeof value === 'boolean') return value;
    this.problem(
      name,
      value === undefined || value === null ? 'REQUIRED' : 'NOT_A_BOOLEAN',
      `${name} must be true or false`,
    );
    return false;
  }

  integer(name: string, min: number, max: number): number {
    const value = this.source[name];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
      return value;
    }
    this.problem(
      name,
      value === undefined || value === null ? 'REQUIRED' : 'NOT_AN_INTEGER',
      `${name} must be an integer from ${min} to ${max}`,
    );
    return min;
  }

  /**
   * A required decimal string in canonical spelling: plain notation, trailing zeros dropped
   * (`"12.50"` → `"12.5"`), so equal amounts hash and compare equal however the ERP wrote them.
   * `maxScale` bounds the fraction digits (the column's scale); `sign` the allowed range.
   */
  decimal(name: string, options: DecimalOptions): string {
    return this.optionalDecimal(name, { ...options, required: true }) ?? '0';
  }

  optionalDecimal(name: string, options: DecimalOptions & { required?: boolean }): string | null {
    const value = this.source[name];
    if (value === undefined || value === null) {
      if (options.required) this.problem(name, 'REQUIRED', `${name} is required`);
      return null;
    }
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      this.problem(name, 'NOT_A_DECIMAL', `${name} must be a decimal string such as "12.5"`);
      return null;
    }
    const d = new Decimal(value);
    if (d.decimalPlaces() > options.maxScale) {
      this.problem(name, 'TOO_PRECISE', `${name} must have at most ${options.maxScale} decimals`);
      return null;
    }
    if (d.abs().trunc().toFixed().length > (options.maxIntegerDigits ?? 15)) {
      this.problem(name, 'OUT_OF_RANGE', `${name} is too large`);
      return null;
    }
    const bad =
      (options.sign === 'positive' && !d.greaterThan(0)) ||
      (options.sign === 'non-negative' && d.isNegative() && !d.isZero());
    if (bad) {
      this.problem(
        name,
        options.sign === 'positive' ? 'NOT_POSITIVE' : 'NEGATIVE',
        `${name} must be ${options.sign === 'positive' ? 'greater than 0' : '0 or more'}`,
      );
      return null;
    }
    return d.toFixed();
  }

  /** A calendar date, `YYYY-MM-DD`. */
  date(name: string): string {
    return this.optionalDate(name, true) ?? '';
  }

  optionalDate(name: string, required = false): string | null {
    const value = this.source[name];
    if (value === undefined || value === null || value === '') {
      if (required) this.problem(name, 'REQUIRED', `${name} is required`);
      return null;
    }
    if (!isIsoDate(value)) {
      this.problem(name, 'NOT_A_DATE', `${name} must be a calendar date YYYY-MM-DD`);
      return null;
    }
    return value;
  }

  /** An array field; `null`/absent reads as empty. Each element is handed to `read` with its path. */
  list<T>(name: string, read: (element: unknown, path: string) => T): T[] {
    return this.array(name).map((element, index) => read(element, `${this.path(name)}[${index}]`));
  }

  /** An array of keys; `null`/absent reads as empty; duplicates (by `normalise`) are dropped. */
  keyList(name: string, normalise: (key: string) => string = (k) => k): string[] {
    const out: string[] = [];
    this.array(name).forEach((element, index) => {
      const field = `${this.path(name)}[${index}]`;
      if (typeof element !== 'string' || element.trim() === '') {
        this.problems.push({ code: 'NOT_A_KEY', field, message: 'must be a non-empty string' });
        return;
      }
      const key = normalise(element.trim());
      if (key.length > KEY_MAX_LENGTH || CONTROL_CHARS.test(key)) {
        this.problems.push({
          code: 'INVALID_KEY',
          field,
          message: `must be at most ${KEY_MAX_LENGTH} printable characters`,
        });
        return;
      }
      if (!out.includes(key)) out.push(key);
    });
    return out;
  }

  private array(name: string): unknown[] {
    const value = this.source[name];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.problem(name, 'NOT_AN_ARRAY', `${name} must be an array`);
    return [];
  }

  private checkKey(name: string, value: string): void {
    if (value.length > KEY_MAX_LENGTH) {
      this.problem(name, 'TOO_LONG', `must be at most ${KEY_MAX_LENGTH} characters`);
    } else if (CONTROL_CHARS.test(value)) {
      this.problem(name, 'INVALID_CHARACTERS', 'must not contain control characters');
    }
  }
}

export interface DecimalOptions {
  maxScale: number;
  maxIntegerDigits?: number;
  sign?: 'positive' | 'non-negative' | 'any';
}
