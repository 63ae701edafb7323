import type { INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { defaultProblem, problemResponseObject } from './api-problem.decorator.js';

/**
 * Generic finishing of the generated document: what holds for every route is added here once, so
 * no controller can forget it, and the validation limits are read from class-validator's own
 * metadata, so the spec cannot drift from what the server enforces.
 */
export function finishDocument(document: OpenAPIObject, app: INestApplication): OpenAPIObject {
  const routes = routeClasses(app);
  mirrorValidation(document, routes);
  closeRequestBodies(document);
  integerCounters(document);
  nullableReferences(document);
  genericResponses(document);
  responseHeaders(document);
  examples(document);
  return document;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface RouteClasses {
  body?: Type;
  query?: Type;
  path?: Type;
}

// @nestjs/common's RouteParamtypes (not exported from its public entry point).
const PARAM_TYPE = { 3: 'body', 4: 'query', 5: 'path' } as const;

/** `Controller_method` (swagger.ts' operationIdFactory) → the DTO classes of its body/query/path. */
function routeClasses(app: INestApplication): Map<string, RouteClasses> {
  const result = new Map<string, RouteClasses>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const route: RouteClasses = {};
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ?? []) as Type[];
        for (const [key, arg] of Object.entries(args)) {
          const kind = PARAM_TYPE[Number(key.split(':')[0]) as keyof typeof PARAM_TYPE];
          const type = types[arg.index];
          if (kind && arg.data === undefined && typeof type === 'function') route[kind] = type;
        }
        result.set(`${controller.name.replace(/Controller$/, '')}_${name}`, route);
      }
    }
  }
  return result;
}

interface ValidationMeta {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

function validationOf(target: Type): ValidationMeta[] {
  return getMetadataStorage().getTargetValidationMetadatas(
    target,
    '',
    true,
    false,
  ) as ValidationMeta[];
}

/** Every class-validator class by name (schemas are named after their class). */
function validatedClasses(): Map<string, Type> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Type, unknown> };
  const result = new Map<string, Type>();
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target === 'function') result.set(target.name, target);
  }
  return result;
}

function isSchema(value: SchemaObject | ReferenceObject | undefined): value is SchemaObject {
  return value !== undefined && !('$ref' in value);
}

/** Copies the limits class-validator enforces onto a property (or its items, for `each`). */
function applyConstraints(schema: SchemaObject, metas: ValidationMeta[]): void {
  for (const meta of metas) {
    const target = meta.each && isSchema(schema.items) ? schema.items : schema;
    const [a, b] = meta.constraints ?? [];
    switch (meta.name) {
      case 'isLength':
        if (typeof a === 'number' && a > 0) target.minLength = a;
        if (typeof b === 'number') target.maxLength = b;
        break;
      case 'minLength':
        if (typeof a === 'number') target.minLength = a;
        break;
      case 'maxLength':
        if (typeof a === 'number') target.maxLength = a;
        break;
      case 'matches':
        if (a instanceof RegExp) target.pattern = a.source;
        else if (typeof a === 'string') target.pattern = a;
        break;
      case 'arrayMinSize':
        if (typeof a === 'number') schema.minItems = a;
        break;
      case 'arrayMaxSize':
        if (typeof a === 'number') schema.maxItems = a;
        break;
      case 'min':
        if (typeof a === 'number') target.minimum = a;
        break;
      case 'max':
        if (typeof a === 'number') target.maximum = a;
        break;
      case 'isInt':
        target.type = 'integer';
        break;
      case 'isUuid':
        target.format = 'uuid';
        break;
      case 'isIn':
        if (Array.isArray(a) && target.enum === undefined) target.enum = [...(a as unknown[])];
        break;
      default:
        break;
    }
  }
}

function byProperty(metas: ValidationMeta[]): Map<string, ValidationMeta[]> {
  const result = new Map<string, ValidationMeta[]>();
  for (const meta of metas) {
    result.set(meta.propertyName, [...(result.get(meta.propertyName) ?? []), meta]);
  }
  return result;
}

function mirrorValidation(document: OpenAPIObject, routes: Map<string, RouteClasses>): void {
  const schemas = document.components?.schemas ?? {};
  for (const [name, target] of validatedClasses()) {
    const schema = schemas[name];
    if (!isSchema(schema)) continue;
    for (const [property, metas] of byProperty(validationOf(target))) {
      const propertySchema = schema.properties?.[property];
      if (isSchema(propertySchema)) applyConstraints(propertySchema, metas);
    }
  }
  for (const { operation, operationId } of operationsOf(document)) {
    const route = routes.get(operationId);
    if (!route) continue;
    for (const [location, target] of [
      ['query', route.query],
      ['path', route.path],
    ] as const) {
      if (!target) continue;
      const metas = byProperty(validationOf(target));
      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
        const propertyMetas = metas.get(parameter.name);
        if (parameter.in !== location || !propertyMetas || !isSchema(parameter.schema)) continue;
        applyConstraints(parameter.schema, propertyMetas);
      }
    }
  }
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * The ValidationPipe runs with `forbidNonWhitelisted`: an unknown property is a 400, at any depth.
 * Every schema a request body reaches is therefore closed.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const seen = new Set<string>();
  const visit = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema) return;
    if ('$ref' in schema) {
      const name = refName(schema.$ref);
      if (seen.has(name)) return;
      seen.add(name);
      const target = schemas[name];
      if (isSchema(target) && target.properties) {
        target.additionalProperties ??= false;
        visit(target);
      }
      return;
    }
    for (const property of Object.values(schema.properties ?? {})) visit(property);
    visit(schema.items);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
      visit(part);
  };
  for (const { operation } of operationsOf(document)) {
    const body = operation.requestBody;
    if (!body || '$ref' in body) continue;
    for (const media of Object.values(body.content)) visit(media.schema);
  }
}

/**
 * Money and quantities are decimal strings; the only JSON numbers the API has are counts, line
 * numbers, durations and limits, so every `number` is an `integer` for a generated client.
 */
function integerCounters(document: OpenAPIObject): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'number') record.type = 'integer';
    Object.values(record).forEach(visit);
  };
  visit(document.components?.schemas);
  for (const { operation } of operationsOf(document)) visit(operation.parameters);
}

/**
 * `{ allOf: [$ref], nullable: true }` is what Nest writes for a nullable object member, but in
 * OpenAPI 3.0 `nullable` does not reach into `allOf` (3.0.3 clarification): null fails the
 * referenced schema, and validators reject a null example or answer. Written as the 3.0 idiom
 * instead: one of the referenced schema or null.
 */
function nullableReferences(document: OpenAPIObject): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const schema = value as SchemaObject & Record<string, unknown>;
    if (schema.nullable === true && schema.allOf?.length === 1) {
      const [reference] = schema.allOf;
      delete schema.allOf;
      delete schema.nullable;
      delete schema.type;
      schema.oneOf = [reference, { type: 'object', nullable: true, enum: [null] }];
    }
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
}

interface LocatedOperation {
  path: string;
  method: string;
  operationId: string;
  operation: OperationObject;
}

export function operationsOf(document: OpenAPIObject): LocatedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method] as OperationObject;
      return { path, method, operationId: operation.operationId ?? '', operation };
    }),
  );
}

/** @Public routes list `{}` among their security alternatives (auth.decorators.ts). */
function callableAnonymously(operation: OperationObject): boolean {
  return (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
}

/**
 * Answers any route can give, whatever its controller says: Fastify's own 400 (bad URL encoding),
 * 414 and 431; the guard's 401/429 on every authenticated route; the dependency 503; and 413/415
 * on every route that reads a body.
 */
function genericResponses(document: OpenAPIObject): void {
  const used = new Set<number>();
  for (const { operation, method } of operationsOf(document)) {
    const isPublic = callableAnonymously(operation);
    const statuses = [400, 414, 431];
    if (!isPublic) statuses.push(401, 429, 503);
    // Fastify reads a body on every method but GET (whether or not the route declares one).
    if (operation.requestBody || method !== 'get') statuses.push(413, 415);
    for (const status of statuses) {
      if (operation.responses[String(status)]) continue;
      operation.responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
      used.add(status);
    }
  }
  document.components ??= {};
  document.components.responses ??= {};
  for (const status of [...used].sort()) {
    const response: ResponseObject = problemResponseObject(status, defaultProblem(status));
    response.headers = {
      'X-Correlation-Id': HEADER.correlation,
      ...(status === 429 || status === 503 ? { 'Retry-After': HEADER.retryAfter } : {}),
      ...(status === 429
        ? { 'RateLimit-Limit': HEADER.limit, 'RateLimit-Remaining': HEADER.remaining }
        : {}),
    };
    document.components.responses[`Problem${status}`] = response;
  }
}

const HEADER = {
  correlation: { $ref: '#/components/headers/X-Correlation-Id' },
  limit: { $ref: '#/components/headers/RateLimit-Limit' },
  remaining: { $ref: '#/components/headers/RateLimit-Remaining' },
  retryAfter: { $ref: '#/components/headers/Retry-After' },
  replayed: { $ref: '#/components/headers/Idempotent-Replayed' },
};

/** The headers the hub sends, declared once under components.headers and referenced. */
function responseHeaders(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.headers = {
    'X-Correlation-Id': {
      description:
        "The request's correlation id (the caller's X-Correlation-Id when valid, else generated); " +
        'also the `correlationId` of a problem document and the key to the hub log.',
      schema: { type: 'string', maxLength: 128, example: '6f1c2a9e-4a8b-4d0e-9a53-2f0f7f6c1e10' },
    },
    'RateLimit-Limit': {
      description:
        "The channel's limit in requests per minute (draft-ietf-httpapi-ratelimit-headers)",
      schema: { type: 'integer', minimum: 0, example: 600 },
    },
    'RateLimit-Remaining': {
      description: 'Requests left in the current window before 429',
      schema: { type: 'integer', minimum: 0, example: 598 },
    },
    'Retry-After': {
      description: 'Seconds to wait before retrying (RFC 9110 §10.2.3)',
      schema: { type: 'integer', minimum: 0, example: 1 },
    },
    'Idempotent-Replayed': {
      description: 'Present (true) when this response is a replay of the first one for this key',
      schema: { type: 'string', enum: ['true'] },
    },
    Location: {
      description: 'The URL of the resource created, or of the run to poll',
      schema: { type: 'string', format: 'uri-reference', example: '/v1/orders/5b0f3c1e' },
    },
  };
  for (const { operation } of operationsOf(document)) {
    const isPublic = callableAnonymously(operation);
    const idempotent = ((operation.parameters ?? []) as ParameterObject[]).some(
      (p) => p.in === 'header' && p.name === 'Idempotency-Key',
    );
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || '$ref' in response) continue;
      const headers: NonNullable<ResponseObject['headers']> = { ...(response.headers ?? {}) };
      headers['X-Correlation-Id'] = HEADER.correlation;
      // The guard sets these once the key is authenticated (so not on a 401).
      if (!isPublic && status !== '401') {
        headers['RateLimit-Limit'] = HEADER.limit;
        headers['RateLimit-Remaining'] = HEADER.remaining;
      }
      if (status === '429' || status === '503' || status === '409') {
        headers['Retry-After'] = HEADER.retryAfter;
      }
      if (idempotent && /^2\d\d$/.test(status)) headers['Idempotent-Replayed'] = HEADER.replayed;
      response.headers = headers;
    }
  }
}

/** For `@ApiResponse({ headers })` of answers that send `Location` (components.headers). */
export const LOCATION_HEADER = { Location: { $ref: '#/components/headers/Location' } };

const EXAMPLE_DEPTH = 24;

/**
 * An example for a schema, built from the examples of its members (as Swagger UI shows them),
 * so that every request body and 2xx answer carries one that the linters check against the schema.
 */
function exampleOf(
  schema: SchemaObject | ReferenceObject | undefined,
  schemas: Record<string, SchemaObject | ReferenceObject>,
  depth = 0,
): unknown {
  if (!schema || depth > EXAMPLE_DEPTH) return undefined;
  if ('$ref' in schema) return exampleOf(schemas[refName(schema.$ref)], schemas, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf?.length) {
    const base = exampleOf(schema.allOf[0], schemas, depth + 1);
    return base === undefined && schema.nullable ? null : base;
  }
  if (schema.oneOf?.length) return exampleOf(schema.oneOf[0], schemas, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'array': {
      const item = exampleOf(schema.items, schemas, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const value = exampleOf(property, schemas, depth + 1);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2026-11-29T10:15:03.120Z';
      if (schema.format === 'date') return '2026-11-29';
      if (schema.format === 'uuid') return '5b0f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d';
      return schema.nullable ? null : undefined;
    default:
      return schema.properties
        ? exampleOf({ ...schema, type: 'object' }, schemas, depth)
        : undefined;
  }
}

/** Every JSON request body and 2xx JSON answer without an example gets one from its schema. */
function examples(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const { operation } of operationsOf(document)) {
    const body = operation.requestBody;
    const media = [
      ...(body && !('$ref' in body) ? Object.values(body.content) : []),
      ...Object.entries(operation.responses)
        .filter(([status, response]) => /^2\d\d$/.test(status) && response && !('$ref' in response))
        .flatMap(([, response]) => Object.values((response as ResponseObject).content ?? {})),
    ];
    for (const content of media) {
      if (content.example !== undefined || content.examples !== undefined || !content.schema)
        continue;
      const example = exampleOf(content.schema, schemas);
      if (example !== undefined) content.example = example;
    }
  }
}
