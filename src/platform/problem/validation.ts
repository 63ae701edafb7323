import {
  type ArgumentMetadata,
  type Type,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
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

const invalid = (violations: Violation[]): ApplicationError =>
  new ApplicationError('VALIDATION_FAILED', 'The request has invalid fields.', 'validation', {
    violations,
  });

/**
 * `@ArrayMaxSize` limits of a DTO's own properties, read from class-validator's metadata (once
 * per DTO class).
 */
const arrayLimitsByClass = new Map<Type<unknown>, { property: string; max: number }[]>();

function arrayLimitsOf(metatype: Type<unknown>): { property: string; max: number }[] {
  let limits = arrayLimitsByClass.get(metatype);
  if (!limits) {
    limits = getMetadataStorage()
      .getTargetValidationMetadatas(metatype, '', true, false)
      .filter((m) => m.name === 'arrayMaxSize' && typeof m.constraints?.[0] === 'number')
      .map((m) => ({ property: m.propertyName, max: m.constraints[0] as number }));
    arrayLimitsByClass.set(metatype, limits);
  }
  return limits;
}

/**
 * Checks array sizes before anything walks the elements. class-transformer and class-validator
 * visit every element of an over-long array (10,000 order lines cost seconds of CPU, blocking
 * the event loop for every other request) only to add `ARRAY_MAX_SIZE` at the end: an array
 * over its documented `maxItems` is refused first, with that violation alone.
 */
export function assertArrayLimits(value: unknown, metatype: Type<unknown>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const body = value as Record<string, unknown>;
  const violations: Violation[] = [];
  for (const { property, max } of arrayLimitsOf(metatype)) {
    const items = body[property];
    if (Array.isArray(items) && items.length > max) {
      violations.push({
        code: 'ARRAY_MAX_SIZE',
        field: property,
        message: `${property} must contain no more than ${max} elements`,
      });
    }
  }
  if (violations.length > 0) throw invalid(violations);
}

/** Nest's ValidationPipe, with the array limits checked before the DTO is built. */
class CrossdockValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype) assertArrayLimits(value, metadata.metatype);
    return super.transform(value, metadata);
  }
}

/** The one ValidationPipe: unknown properties rejected, every violation reported, DTOs transformed. */
export function createValidationPipe(): ValidationPipe {
  return new CrossdockValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalid(flattenValidationErrors(errors)),
  });
}
