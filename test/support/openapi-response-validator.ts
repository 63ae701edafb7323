import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { OPENAPI_FILE } from '../../src/cli/openapi.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface MediaObject {
  schema?: Json;
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaObject>;
  headers?: Record<string, Json>;
}

interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  operation: OperationObject;
}

export interface ResponseToCheck {
  method: string;
  /** The request path as sent (the query string is ignored), e.g. `/v1/orders/5b0f…`. */
  url: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: `{ nullable, allOf: [$ref] }` must accept null
 * although the referenced schema does not. Rewritten as `anyOf: [null, the schema]` everywhere.
 */
function toJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    // `example(s)` are documentation (and may hold anything); everything else is converted.
    out[key] = key === 'example' || key === 'examples' ? child : toJsonSchema(child);
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

/**
 * Validates answers against the committed spec: the status must be documented for the route, the
 * content type must be one the response declares, and the body must match its schema (ajv over
 * the spec's own components, so every `$ref` resolves as a generated client would).
 */
export class OpenApiResponseValidator {
  readonly document: {
    paths: Record<string, Record<string, OperationObject>>;
    components: { responses?: Record<string, ResponseObject> };
  };
  readonly operations: SpecOperation[];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly matchers: { regex: RegExp; path: string; params: number }[];

  constructor(file: string = OPENAPI_FILE) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    this.document = toJsonSchema(raw) as unknown as OpenApiResponseValidator['document'];
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document as unknown as object, 'spec');
    this.operations = Object.entries(this.document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({
        method,
        path,
        operationId: item[method].operationId ?? `${method} ${path}`,
        operation: item[method],
      })),
    );
    this.matchers = Object.keys(this.document.paths)
      .map((path) => ({
        path,
        params: (path.match(/\{/g) ?? []).length,
        regex: new RegExp(
          `^${path
            .split(/(\{[^}]+\})/)
            .map((part) =>
              part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join('')}$`,
        ),
      }))
      // A literal segment wins over a parameter (`/sync/runs` before `/sync/{x}`).
      .sort((a, b) => a.params - b.params);
  }

  /** The spec path template the URL matches, if any. */
  templateOf(url: string): string | undefined {
    const path = url.split('?')[0];
    return this.matchers.find((m) => m.regex.test(path))?.path;
  }

  /** Every mismatch between the answer and the spec (empty when it conforms). */
  check(answer: ResponseToCheck): string[] {
    const method = answer.method.toLowerCase();
    const template = this.templateOf(answer.url);
    const label = `${answer.method.toUpperCase()} ${template ?? answer.url} → ${answer.status}`;
    if (!template) return [`${label}: no path of the spec matches`];
    const operation = this.document.paths[template][method];
    if (!operation) return [`${label}: the spec has no ${method} on this path`];
    const status = String(answer.status);
    const key =
      status in operation.responses
        ? status
        : `${status[0]}XX` in operation.responses
          ? `${status[0]}XX`
          : 'default' in operation.responses
            ? 'default'
            : undefined;
    if (key === undefined) return [`${label}: status not documented`];
    const response = this.resolve(operation.responses[key]);
    const declared = Object.keys(response.content ?? {});
    if (declared.length === 0) return [];
    const mediaType = answer.contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (!declared.includes(mediaType)) {
      return [`${label}: content type ${mediaType || '(none)'} not in ${declared.join(', ')}`];
    }
    const pointer = response.$ref
      ? `spec#/components/responses/${response.$ref.split('/').pop()}/content/${escape(mediaType)}/schema`
      : `spec#/paths/${escape(template)}/${method}/responses/${key}/content/${escape(mediaType)}/schema`;
    const validate = this.validatorFor(pointer);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${label}: body${e.instancePath} ${e.message ?? 'is invalid'}`,
    );
  }

  /** Throws with every mismatch: for tests. */
  assertConforms(answer: ResponseToCheck): void {
    const problems = this.check(answer);
    if (problems.length > 0) {
      throw new Error(
        `answer does not conform to openapi/openapi.json:\n  ${problems.join('\n  ')}\n` +
          `body: ${JSON.stringify(answer.body).slice(0, 2000)}`,
      );
    }
  }

  private resolve(response: ResponseObject): ResponseObject & { $ref?: string } {
    if (!response.$ref) return response;
    const name = response.$ref.split('/').pop() ?? '';
    return { ...this.document.components.responses?.[name], $ref: response.$ref };
  }

  private validatorFor(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}

/** JSON Pointer escaping of one reference token (RFC 6901), URI-encoded for a `$ref`. */
function escape(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** Reads a fetch Response as the validator takes it (JSON when it parses, else the text). */
export async function answerOf(
  method: string,
  url: string,
  response: Response,
): Promise<ResponseToCheck & { text: string; headers: Headers }> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: validated as the text itself, which fails any object schema (as it should).
  }
  return {
    method,
    url: new URL(url, 'http://x').pathname,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
    text,
    headers: response.headers,
  };
}
