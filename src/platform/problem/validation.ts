import {
  type ArgumentMetadata,
  type Type,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
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

/** What the pre-checks need to know of a DTO class, read from the decorators' metadata once. */
interface DtoShape {
  /** Properties with any validation decorator: the only ones `whitelist` lets through. */
  known: Set<string>;
  /** `@ArrayMaxSize` limits. */
  arrayLimits: { property: string; max: number }[];
  /** `@ValidateNested` properties whose `@Type()` names a class. */
  nested: { property: string; type: Type<unknown> }[];
}

const shapes = new Map<Type<unknown>, DtoShape>();

function shapeOf(metatype: Type<unknown>): DtoShape {
  let shape = shapes.get(metatype);
  if (!shape) {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
    const nestedProps = new Set(
      metadatas.filter((m) => m.type === 'nestedValidation').map((m) => m.propertyName),
    );
    shape = {
      known: new Set(metadatas.map((m) => m.propertyName)),
      arrayLimits: metadatas
        .filter((m) => m.name === 'arrayMaxSize' && typeof m.constraints?.[0] === 'number')
        .map((m) => ({ property: m.propertyName, max: m.constraints[0] as number })),
      nested: [...nestedProps].flatMap((property) => {
        const meta = defaultMetadataStorage.findTypeMetadata(metatype, property);
        const type = meta && !meta.options?.discriminator ? meta.typeFunction() : undefined;
        return typeof type === 'function' ? [{ property, type: type as Type<unknown> }] : [];
      }),
    };
    shapes.set(metatype, shape);
  }
  return shape;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * More unknown properties than this are not a client's slip but a flood: each costs
 * class-validator an error object (80,000 of them took 7 s and a 7 MB answer), so past this
 * many the request is refused with the first ones, before class-validator runs.
 */
export const MAX_UNKNOWN_PROPERTIES = 20;

/**
 * Checks array sizes before anything walks the elements. class-transformer and class-validator
 * visit every element of an over-long array (10,000 order lines cost seconds of CPU, blocking
 * the event loop for every other request) only to add `ARRAY_MAX_SIZE` at the end: an array
 * over its documented `maxItems` is refused first, with that violation alone.
 */
export function assertArrayLimits(value: unknown, metatype: Type<unknown>): void {
  if (!isPlainObject(value)) return;
  const violations: Violation[] = [];
  for (const { property, max } of shapeOf(metatype).arrayLimits) {
    const items = value[property];
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

/**
 * Counts the properties no DTO declares (the nested DTOs of `@ValidateNested` + `@Type()`
 * included, at most the first MAX_UNKNOWN_PROPERTIES + 1) with one cheap walk; past the limit
 * the request is refused with those alone. Fewer go on to class-validator's full report.
 */
export function assertFewUnknownProperties(value: unknown, metatype: Type<unknown>): void {
  const found: Violation[] = [];
  const stack: { value: unknown; type: Type<unknown>; path: string }[] = [
    { value, type: metatype, path: '' },
  ];
  while (stack.length > 0 && found.length <= MAX_UNKNOWN_PROPERTIES) {
    const { value: current, type, path } = stack.pop()!;
    if (!isPlainObject(current)) continue;
    const shape = shapeOf(type);
    if (shape.known.size === 0) continue;
    for (const key of Object.keys(current)) {
      if (shape.known.has(key)) continue;
      const field = path ? `${path}.${key}` : key;
      found.push({ code: 'UNKNOWN_PROPERTY', field, message: `property ${field} is not allowed` });
      if (found.length > MAX_UNKNOWN_PROPERTIES) break;
    }
    for (const { property, type: nestedType } of shape.nested) {
      const child = current[property];
      const childPath = path ? `${path}.${property}` : property;
      if (Array.isArray(child)) {
        child.forEach((element, i) =>
          stack.push({ value: element, type: nestedType, path: `${childPath}[${i}]` }),
        );
      } else {
        stack.push({ value: child, type: nestedType, path: childPath });
      }
    }
  }
  if (found.length > MAX_UNKNOWN_PROPERTIES) {
    throw new ApplicationError(
      'VALIDATION_FAILED',
      `The request has more than ${MAX_UNKNOWN_PROPERTIES} unknown properties; the first ones are listed.`,
      'validation',
      { violations: found.slice(0, MAX_UNKNOWN_PROPERTIES) },
    );
  }
}

/** Nest's ValidationPipe, with the array limits checked before the DTO is built. */
class CrossdockValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype) {
      assertArrayLimits(value, metadata.metatype);
      assertFewUnknownProperties(value, metadata.metatype);
    }
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
