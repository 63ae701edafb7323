import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApplicationError, type Violation } from '../errors/index.js';

const toCode = (constraint: string): string =>
  constraint === 'whitelistValidation'
    ? 'UNKNOWN_PROPERTY'
    : constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** Flattens class-validator's tree into every violation, each with a dotted/indexed field path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): Violation[] {
  const out: Violation[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({
        code: toCode(constraint),
        field,
        message:
          constraint === 'whitelistValidation' ? `property ${field} is not allowed` : message,
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
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ApplicationError('VALIDATION_FAILED', 'The request has invalid fields.', 'validation', {
        violations: flattenValidationErrors(errors),
      }),
  });
}
