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

  it('is committed as generated (run `npm run openapi` after changing a controller)', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(committed).toBe(renderOpenApi(document));
  });
});
