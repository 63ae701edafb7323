import { ApplicationError, type Violation } from '../errors/index.js';

/**
 * U+0000, or a UTF-16 surrogate that is not half of a pair. PostgreSQL `text` can hold neither
 * (the driver fails with "invalid byte sequence", a 500 if it got that far), and no ERP code,
 * name or reason needs one. Without the `u` flag the pattern works on UTF-16 code units.
 */
const UNSAFE_CHARACTER =
  // eslint-disable-next-line no-control-regex -- U+0000 is exactly what is looked for
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** More violations than this say nothing new; the walk stops there. */
const MAX_VIOLATIONS = 20;

// eslint-disable-next-line no-control-regex -- a cheap first look for U+0000 or any surrogate
const SUSPECT_CHARACTER = /[\u0000\ud800-\udfff]/;

export const hasUnsafeCharacter = (value: string): boolean =>
  SUSPECT_CHARACTER.test(value) && UNSAFE_CHARACTER.test(value);

function violationFor(field: string, value: string): Violation {
  return {
    code: 'INVALID_CHARACTER',
    field,
    message: value.includes('\u0000')
      ? `${field || 'value'} must not contain the NUL character (U+0000)`
      : `${field || 'value'} must not contain an unpaired UTF-16 surrogate`,
  };
}

const childPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Every string (and object key) under `value` that holds a character PostgreSQL cannot store,
 * with the field path the validation layer uses (`lines[0].sku`). Iterative (the depth of a
 * body is bounded by the JSON parser, but a walk must not depend on it), and cheap per value:
 * a path is built only for containers and for what is reported.
 */
export function findUnsafeStrings(value: unknown, root = ''): Violation[] {
  const violations: Violation[] = [];
  if (typeof value === 'string') {
    if (hasUnsafeCharacter(value)) violations.push(violationFor(root, value));
    return violations;
  }
  const stack: { value: object; path: string }[] = [];
  if (typeof value === 'object' && value !== null) stack.push({ value, path: root });
  while (stack.length > 0 && violations.length < MAX_VIOLATIONS) {
    const { value: current, path } = stack.pop()!;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const child: unknown = current[i];
        if (typeof child === 'string') {
          if (hasUnsafeCharacter(child)) violations.push(violationFor(childPath(path, i), child));
        } else if (typeof child === 'object' && child !== null) {
          stack.push({ value: child, path: childPath(path, i) });
        }
      }
      continue;
    }
    const record = current as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      if (hasUnsafeCharacter(key)) {
        violations.push({
          code: 'INVALID_CHARACTER',
          field: path || 'body',
          message: 'a property name contains the NUL character or an unpaired UTF-16 surrogate',
        });
        continue;
      }
      const child = record[key];
      if (typeof child === 'string') {
        if (hasUnsafeCharacter(child)) violations.push(violationFor(childPath(path, key), child));
      } else if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, path: childPath(path, key) });
      }
    }
  }
  return violations;
}

/**
 * Whether a JSON text may decode to U+0000 or an unpaired surrogate: valid JSON carries either
 * only as a `\u` escape (raw control characters are not allowed in strings, and a surrogate has
 * no UTF-8 encoding), so a body without such an escape need not be walked at all.
 */
export const jsonMayHoldUnsafeCharacter = (text: string): boolean =>
  /\\u(?:0000|[dD][89a-fA-F])/.test(text);

/** The request's parameters, query and body, checked as one; throws VALIDATION_FAILED. */
export function assertSafeRequestInput(parts: {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}): void {
  const violations = [
    ...findUnsafeStrings(parts.params),
    ...findUnsafeStrings(parts.query),
    ...findUnsafeStrings(parts.body),
  ];
  if (violations.length > 0) {
    throw new ApplicationError(
      'VALIDATION_FAILED',
      'The request has invalid fields.',
      'validation',
      {
        violations: violations.slice(0, MAX_VIOLATIONS),
      },
    );
  }
}
