import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { readFile } from 'node:fs/promises';
import { createOfflineApp, OPENAPI_FILE, renderOpenApi } from '../../src/cli/openapi.js';
import { PUBLIC_KEY } from '../../src/platform/auth/index.js';
import { buildOpenApiDocument } from '../../src/platform/openapi/index.js';
import { PROBLEM_CONTENT_TYPE } from '../../src/platform/problem/index.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  label: string;
  operation: OperationObject;
}

/** `Controller_method` (swagger.ts' operationIdFactory) → whether the handler is @Public(). */
function publicByOperationId(app: NestFastifyApplication): Map<string, boolean> {
  const reflector = new Reflector();
  const result = new Map<string, boolean>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, controller]);
        result.set(`${controller.name.replace(/Controller$/, '')}_${name}`, isPublic === true);
      }
    }
  }
  return result;
}

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => ({
      label: `${m.toUpperCase()} ${path}`,
      operation: item[m] as OperationObject,
    })),
  );
}

describe('the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;
  let operations: Operation[];
  let isPublic: Map<string, boolean>;

  beforeAll(async () => {
    app = await createOfflineApp();
    document = buildOpenApiDocument(app);
    operations = operationsOf(document);
    isPublic = publicByOperationId(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is built offline, with the health and metrics routes in it', () => {
    expect(document.paths['/health/live']?.get).toBeDefined();
    expect(document.paths['/health/ready']?.get).toBeDefined();
    expect(document.paths['/metrics']?.get).toBeDefined();
  });

  it('gives every operation a summary and a unique operationId matching a controller handler', () => {
    const ids = operations.map((o) => o.operation.operationId);
    for (const { label, operation } of operations) {
      expect({ label, summary: operation.summary?.trim() || undefined }).toEqual({
        label,
        summary: expect.any(String),
      });
      expect({ label, known: isPublic.has(operation.operationId ?? '') }).toEqual({
        label,
        known: true,
      });
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents a 4xx problem+json response on every operation that is not @Public', () => {
    const missing = operations
      .filter(({ operation }) => !isPublic.get(operation.operationId ?? ''))
      .filter(({ operation }) =>
        Object.entries(operation.responses).every(
          ([status, response]) =>
            !/^4\d\d$/.test(status) ||
            !(response as ResponseObject).content?.[PROBLEM_CONTENT_TYPE]?.schema,
        ),
      )
      .map((o) => o.label);
    expect(missing).toEqual([]);
  });

  it('requires credentials on every operation that is not @Public, and none on public ones', () => {
    const schemes = Object.keys(document.components?.securitySchemes ?? {});
    expect(schemes).toEqual(expect.arrayContaining(['bearer', 'apiKey']));
    for (const { label, operation } of operations) {
      const security = operation.security ?? [];
      // Every requirement names declared schemes only.
      for (const requirement of security) {
        for (const scheme of Object.keys(requirement))
          expect({ label, scheme }).toEqual({
            label,
            scheme: expect.stringMatching(new RegExp(`^(${schemes.join('|')})$`)),
          });
      }
      if (isPublic.get(operation.operationId ?? '')) {
        // `{}` among the alternatives: callable without credentials (redocly wants it explicit).
        expect({ label, anonymous: security.some((r) => Object.keys(r).length === 0) }).toEqual({
          label,
          anonymous: true,
        });
      } else {
        expect({
          label,
          credentialsRequired:
            security.length > 0 && security.every((r) => Object.keys(r).length > 0),
        }).toEqual({ label, credentialsRequired: true });
      }
    }
  });

  it('declares every tag it uses, with a description, channel-facing tags first', () => {
    const declared = (document.tags ?? []).map((t) => t.name);
    for (const tag of document.tags ?? []) expect(tag.description?.trim()).toBeTruthy();
    const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
    expect([...used].filter((t) => !declared.includes(t))).toEqual([]);
    expect(declared.slice(0, 3)).toEqual(['Orders', 'Pricing', 'Inventory']);
    expect(declared.indexOf('Administration')).toBeGreaterThan(declared.indexOf('Items'));
  });

  it('names a relative server, so it holds for whatever host and PORT serve it', () => {
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });

  it('closes every schema a request body reaches (the server refuses unknown properties)', () => {
    const schemas = document.components?.schemas ?? {};
    const open: string[] = [];
    const seen = new Set<string>();
    const visit = (schema: unknown): void => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (typeof s.$ref === 'string') {
        const name = s.$ref.split('/').pop() ?? '';
        if (seen.has(name)) return;
        seen.add(name);
        const target = schemas[name] as Record<string, unknown>;
        if (target.additionalProperties !== false) open.push(name);
        visit(target);
        return;
      }
      Object.values((s.properties as Record<string, unknown>) ?? {}).forEach(visit);
      visit(s.items);
    };
    for (const { operation } of operations) {
      const body = operation.requestBody as { content: Record<string, { schema: unknown }> };
      if (body) Object.values(body.content).forEach((c) => visit(c.schema));
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(open).toEqual([]);
  });

  it('carries the limits class-validator enforces (maxItems, maxLength, pattern)', () => {
    const schemas = document.components?.schemas ?? {};
    const capture = schemas.CaptureOrderRequest as { properties: Record<string, object> };
    expect(capture.properties.lines).toMatchObject({ minItems: 1, maxItems: 200 });
    expect(capture.properties.promotionCodes).toMatchObject({
      maxItems: 10,
      items: { minLength: 1, maxLength: 40 },
    });
    const cancel = schemas.CancelOrderRequest as { properties: Record<string, object> };
    expect(cancel.properties.reason).toMatchObject({ maxLength: 500 });
    const line = schemas.CaptureOrderLineRequest as { properties: Record<string, object> };
    expect(line.properties.quantity).toMatchObject({ pattern: expect.any(String) });
  });

  it('types every JSON number as an integer (money and quantities are decimal strings)', () => {
    expect(JSON.stringify(document)).not.toMatch(/"type":"number"/);
  });

  it('documents 400, 414 and 431 on every route, 401/429/503 where a key is needed, 413/415 where a body is read', () => {
    const missing: string[] = [];
    for (const { label, operation } of operations) {
      const statuses = ['400', '414', '431'];
      if (!isPublic.get(operation.operationId ?? '')) statuses.push('401', '429', '503');
      if (!label.startsWith('GET ')) statuses.push('413', '415');
      for (const status of statuses) {
        if (!operation.responses[status]) missing.push(`${label} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares the X-Correlation-Id, RateLimit-*, Retry-After, Location and Idempotent-Replayed headers where they are sent', () => {
    const headers = (label: string, status: string) => {
      const operation = operations.find((o) => o.label === label)?.operation;
      const response = operation?.responses[status] as ResponseObject & { $ref?: string };
      const resolved = response.$ref
        ? (document.components?.responses?.[response.$ref.split('/').pop() ?? ''] as ResponseObject)
        : response;
      return Object.keys(resolved.headers ?? {}).sort();
    };
    expect(headers('POST /v1/orders', '201')).toEqual([
      'Idempotent-Replayed',
      'Location',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'X-Correlation-Id',
    ]);
    expect(headers('GET /v1/orders', '429')).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'X-Correlation-Id']),
    );
    expect(headers('POST /v1/orders', '503')).toEqual(
      expect.arrayContaining(['Retry-After', 'X-Correlation-Id']),
    );
    expect(headers('GET /health/live', '200')).toEqual(['X-Correlation-Id']);
  });

  it('gives every request body and 2xx answer an example, and orders a distinct 201 and 202', () => {
    const without: string[] = [];
    for (const { label, operation } of operations) {
      const media = [
        ...Object.values(
          (operation.requestBody as { content?: Record<string, object> })?.content ?? {},
        ),
        ...Object.entries(operation.responses)
          .filter(([status]) => /^2/.test(status))
          .flatMap(([, r]) => Object.values((r as ResponseObject).content ?? {})),
      ] as { example?: unknown; examples?: unknown }[];
      if (media.some((m) => m.example === undefined && m.examples === undefined)) {
        without.push(label);
      }
    }
    expect(without).toEqual([]);
    const capture = operations.find((o) => o.label === 'POST /v1/orders')?.operation;
    const example = (status: string) =>
      (
        (capture?.responses[status] as ResponseObject).content?.['application/json'] as {
          example: { status: string };
        }
      ).example;
    expect(example('201').status).toBe('ACCEPTED');
    expect(example('202').status).toBe('ON_HOLD');
  });

  it('declares the problem extension members a client meets', () => {
    const problem = document.components?.schemas?.ProblemDocument as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(problem.properties)).toEqual(
      expect.arrayContaining([
        'code',
        'correlationId',
        'violations',
        'orderId',
        'href',
        'runningRunId',
        'substitutes',
        'shortages',
        'missingScopes',
      ]),
    );
  });

  it('is committed as generated (run `npm run openapi` after changing a controller)', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(committed).toBe(renderOpenApi(document));
  });
});
