import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApplicationError, type Violation } from '../errors/index.js';

const toCode = (constraint: string): string =>
  constraint === 'whitelistValidation'
    ? 'UNKNOWN_PROPERTY'
    : constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * Constraints on the kind of value (string, array, object…): when one fails, the value's other
 * constraints (length, pattern, size, nested validation) say nothing more and are not reported.
 */
const TYPE_CONSTRAINTS = new Set([
  'isString',
  'isArray',
  'isObject',
  'isInt',
  'isNumber',
  'isBoolean',
  'isDefined',
]);

/**
 * The violations worth reporting for one property: a missing value is one REQUIRED (not every
 * constraint that a missing value also fails); a value of the wrong kind only its type
 * violation; anything else every failed constraint.
 */
function relevantConstraints(error: ValidationError): [string, string][] {
  const failed = Object.entries(error.constraints ?? {});
  if (failed.length === 0 || 'whitelistValidation' in (error.constraints ?? {})) return failed;
  if (error.value === undefined || error.value === null) {
    return [['required', 'is required']];
  }
  const typed = failed.filter(([constraint]) => TYPE_CONSTRAINTS.has(constraint));
  return typed.length > 0 ? typed : failed;
}

/** Flattens class-validator's tree into every violation, each with a dotted/indexed field path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): Violation[] {
  const out: Violation[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    for (const [constraint, message] of relevantConstraints(error)) {
      out.push({
        code: toCode(constraint),
        field,
        message:
          constraint === 'whitelistValidation'
            ? `property ${field} is not allowed`
            : constraint === 'required'
              ? `${field} is required`
              : message,
      });
    }
    if (error.children && error.children.length > 0) {
      out.push(...flattenValidationErrors(error.children, field));
    }
  }
  return out;
}

/** The one ValidationPipe: unknown properties rejected, every violation reported, DTOs transformed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // The value is kept (never sent back) to tell a missing field from a wrong one.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) =>
      new ApplicationError('VALIDATION_FAILED', 'The request has invalid fields.', 'validation', {
        violations: flattenValidationErrors(errors),
      }),
  });
}
