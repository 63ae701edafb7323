import { canonicalFactor, canonicalMoney, isDecimalString } from './decimal-string.js';
import type { RecordProblem } from './record-problem.js';

/** Keys (customer numbers, SKUs, codes) travel in URLs and logs: printable, short, no padding. */
const KEY_MAX_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Reads the fields of one incoming record, normalising as it goes and collecting every problem
 * instead of stopping at the first: a data steward fixes a record once, not once per problem.
 *
 * The input is typed by the port but produced by adapter code at run time, so nothing is trusted:
 * every field is checked for its runtime type too. Strings are trimmed (on-prem ERPs pad CHAR
 * columns); an optional text that is empty after trimming is absent (`null`), as the cloud ERP
 * sends `""` for blank fields.
 */
export class FieldReader {
  constructor(
    private readonly source: Record<string, unknown>,
    readonly problems: RecordProblem[],
    private readonly prefix = '',
  ) {}

  static of(input: unknown, problems: RecordProblem[], prefix = ''): FieldReader {
    const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
    if (!isObject) {
      problems.push({
        code: 'NOT_AN_OBJECT',
        field: prefix || '$',
        message: 'must be an object',
      });
    }
    return new FieldReader(isObject ? (input as Record<string, unknown>) : {}, problems, prefix);
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

  key(name: string): string {
    const value = this.requiredText(name);
    if (value === '') return value;
    if (value.length > KEY_MAX_LENGTH) {
      this.problem(name, 'TOO_LONG', `must be at most ${KEY_MAX_LENGTH} characters`);
    } else if (CONTROL_CHARS.test(value)) {
      this.problem(name, 'INVALID_CHARACTERS', 'must not contain control characters');
    }
    return value;
  }

  requiredText(name: string): string {
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

  optionalKey(name: string): string | null {
    const value = this.optionalText(name);
    if (value !== null && (value.length > KEY_MAX_LENGTH || CONTROL_CHARS.test(value))) {
      this.problem(
        name,
        'INVALID_KEY',
        `${name} must be at most ${KEY_MAX_LENGTH} printable characters`,
      );
    }
    return value;
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

  /** A required money amount as a canonical decimal string (`"12.3400"`). */
  money(name: string): string {
    return this.optionalMoney(name, true) ?? '0.0000';
  }

  optionalMoney(name: string, required = false): string | null {
    const value = this.source[name];
    if (value === undefined || value === null) {
      if (required) this.problem(name, 'REQUIRED', `${name} is required`);
      return null;
    }
    if (!isDecimalString(value)) {
      this.problem(name, 'NOT_A_DECIMAL', `${name} must be a decimal string such as "1500.00"`);
      return null;
    }
    const canonical = canonicalMoney(value);
    if (canonical === undefined) {
      this.problem(
        name,
        'OUT_OF_RANGE',
        `${name} must have at most 15 integer digits and 4 decimal places`,
      );
      return null;
    }
    return canonical;
  }

  /** A decimal that must be kept exactly (UoM factors): canonical, trailing zeros dropped. */
  exactDecimal(name: string): string | null {
    const value = this.source[name];
    if (!isDecimalString(value)) {
      this.problem(
        name,
        value === undefined || value === null ? 'REQUIRED' : 'NOT_A_DECIMAL',
        `${name} must be a decimal string such as "12" or "0.5"`,
      );
      return null;
    }
    return canonicalFactor(value) ?? null;
  }

  /** An array field; `null`/absent reads as empty. Each element is handed to `read`. */
  list<T>(name: string, read: (element: unknown, path: string) => T): T[] {
    const value = this.source[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(name, 'NOT_AN_ARRAY', `${name} must be an array`);
      return [];
    }
    return value.map((element, index) => read(element, `${this.path(name)}[${index}]`));
  }
}
