import { SeededRandom } from '../../src/erp-simulators/demo-data/index.js';
import type {
  OpenApiResponseValidator,
  SpecOperation,
} from '../support/openapi-response-validator.js';
import { answerOf } from '../support/openapi-response-validator.js';

/**
 * A bounded, seeded fuzzer over every operation of openapi/openapi.json. Each request is built from
 * the operation's own parameter and body schemas: mostly valid-ish values (spec examples, ids the
 * hub answered with, demo-data SKUs and customers) with one part made hostile (wrong types,
 * huge/empty strings, NUL, lone surrogates, deep nesting, huge arrays, odd unicode, extreme
 * decimals, bad cursors, random ids), or the request itself made hostile (no/invalid key, wrong
 * content type, malformed or absurdly deep JSON). Each answer is checked: never ≥ 500; every 4xx
 * an application/problem+json with the request's correlation id; every 2xx as its spec schema.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/**
 * The fuzzer's draws over the hub's mulberry32 (SeededRandom): the same sequence for the same
 * seed on every machine.
 */
export class Prng {
  private readonly random: SeededRandom;
  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }
  next(): number {
    return this.random.next();
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

const nested = (depth: number): Json => {
  let value: Json = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

/** Values no field expects (each also sent where a valid value would go). */
const HOSTILE: readonly ((rng: Prng) => Json)[] = [
  () => 0,
  () => -1,
  () => 1.5,
  () => 1e308,
  () => -Number.MAX_SAFE_INTEGER * 4,
  () => true,
  () => null,
  () => ({}),
  () => [],
  () => '',
  () => ' ',
  () => 'x'.repeat(10_000),
  () => 'y'.repeat(300_000),
  () => '\u0000',
  () => 'A\u0000B',
  () => '\ud800',
  () => 'a\udfffb',
  () => '😀'.repeat(300),
  () => '\u202eevil\u0301\u200b',
  () => 'ｆｕｌｌｗｉｄｔｈ ß İ',
  () => "' OR 1=1 --",
  () => '../../etc/passwd',
  () => '%00',
  () => '<script>alert(1)</script>',
  () => '-1',
  () => '0',
  () => '-0.0001',
  () => '999999999999.999999',
  () => '99999999999999999999999999',
  () => '1e308',
  () => '0.00000001',
  () => 'NaN',
  () => '1,5',
  () => '2026-02-30',
  () => '0000-00-00T00:00:00Z',
  () => '9999-12-31T23:59:59.999+14:00',
  (rng) => rng.uuid(),
  () => nested(60),
  () => nested(2_000),
  () => Array.from({ length: 5_000 }, (_, i) => `x${i}`),
  () => Array.from({ length: 2_000 }, () => ({ sku: 'X', quantity: '1' })),
  () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as Json,
];

/** Strings that are hostile in a URL (already percent-encoded where they must be). */
const HOSTILE_URL_PARTS: readonly string[] = [
  '%00',
  'A%00B',
  '%ED%A0%80', // a lone surrogate, UTF-8-encoded (CESU)
  '%C0%AF', // overlong '/'
  '%FF',
  '%',
  '%2e%2e%2f%2e%2e',
  '..',
  '%20',
  '',
  'x'.repeat(101),
  'z'.repeat(5_000),
  encodeURIComponent('😀İß'),
  encodeURIComponent("' OR 1=1 --"),
  '-1',
  '1e308',
  '99999999999999999999999',
  'null',
  'undefined',
  '[object Object]',
  encodeURIComponent('2026-02-30'),
];

/** Cursors the API never issued: base64 of JSON with impossible values, or not base64 at all. */
const BAD_CURSORS: readonly ((rng: Prng) => string)[] = [
  () => Buffer.from(JSON.stringify({ t: '2026-02-30T00:00:00Z', id: 'x' })).toString('base64url'),
  () => Buffer.from(JSON.stringify(['2026-13-45', 'abc'])).toString('base64url'),
  () =>
    Buffer.from(JSON.stringify({ createdAt: 'not-a-date', id: '\u0000' })).toString('base64url'),
  () =>
    Buffer.from('2026-02-30T00:00:00.000Z|00000000-0000-0000-0000-000000000000').toString(
      'base64url',
    ),
  () => Buffer.from('null').toString('base64url'),
  () => Buffer.from('{"a":').toString('base64url'),
  (rng) => Buffer.from(rng.uuid()).toString('base64'),
  () => '!!!not-base64!!!',
  () => 'x'.repeat(2_000),
  (rng) => String(rng.int(1e9)),
];

const CONTENT_TYPES: readonly (string | null)[] = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/json, text/plain',
];

const MALFORMED_BODIES: readonly string[] = [
  '',
  '{',
  '{"a":',
  'null',
  '[]',
  '""',
  '0',
  'true',
  '{"__proto__":{"polluted":true}}',
  '\u0000',
  '{"a":"\\ud800"}',
  '{"a":1e999999}',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
];

/** Values from the hub's own data (demo SKUs, customers, warehouses; ids it answered with). */
export class ValuePools {
  private readonly pools = new Map<string, string[]>();

  add(name: string, values: readonly string[]): void {
    const pool = this.pools.get(name) ?? [];
    for (const value of values) if (pool.length < 500 && !pool.includes(value)) pool.push(value);
    this.pools.set(name, pool);
  }

  get(name: string): readonly string[] {
    return this.pools.get(name) ?? [];
  }

  /** Collects ids, SKUs, customers and cursors from an answer body. */
  harvest(value: unknown, depth = 0): void {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.slice(0, 20).forEach((v) => this.harvest(v, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (typeof child === 'string' && child.length > 0 && child.length <= 200) {
        if (key === 'id' || key.endsWith('Id')) this.add('id', [child]);
        if (key === 'channelId') this.add('channelId', [child]);
        if (key === 'sku') this.add('sku', [child]);
        if (key === 'customerId') this.add('customerId', [child]);
        if (key === 'warehouse') this.add('warehouse', [child]);
        if (key === 'nextCursor') this.add('cursor', [child]);
      } else {
        this.harvest(child, depth + 1);
      }
    }
  }
}

export interface FuzzRequest {
  operationId: string;
  method: string;
  template: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What was made hostile, for the report. */
  mutation: string;
}

export interface FuzzFailure {
  request: Omit<FuzzRequest, 'body'> & { body?: string };
  status: number | 'no answer';
  reason: string;
  answer: string;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  failures: FuzzFailure[];
  /** 4xx statuses the spec does not document for the route (reported, not failures). */
  undocumented: Record<string, number>;
  /** Time spent waiting for answers, per operation (ms). */
  msByOperation: Record<string, number>;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export class RequestGenerator {
  private readonly schemas: Record<string, Schema>;

  constructor(
    private readonly spec: OpenApiResponseValidator,
    private readonly pools: ValuePools,
    private readonly apiKey: string,
  ) {
    const document = spec.document as unknown as {
      components: { schemas: Record<string, Schema> };
    };
    this.schemas = document.components.schemas;
  }

  /** The i-th request of a run: operation round-robin, everything else from the seeded PRNG. */
  generate(operation: SpecOperation, rng: Prng): FuzzRequest {
    const op = operation.operation as unknown as {
      parameters?: ParameterObject[];
      requestBody?: { content: Record<string, { schema: Schema }>; required?: boolean };
    };
    const mutations: string[] = [];
    const parameters = op.parameters ?? [];
    // One part of the request is hostile in ~60 % of requests; the rest are valid-ish. The parts
    // the operation has (path ids, query, body) are picked more often than the generic ones.
    const parts = ['auth', 'content-type', 'raw-body', 'header', 'extra'];
    if (parameters.some((p) => p.in === 'path')) parts.push('path', 'path', 'path');
    if (parameters.some((p) => p.in === 'query')) parts.push('query', 'query', 'query');
    if (op.requestBody) parts.push('body', 'body', 'body', 'body');
    const hostile = rng.chance(0.6) ? rng.pick(parts) : 'none';

    let path = operation.path;
    for (const p of parameters.filter((x) => x.in === 'path')) {
      let value: string;
      if (hostile === 'path' && rng.chance(0.7)) {
        value = rng.pick(HOSTILE_URL_PARTS);
        mutations.push(`path ${p.name}=${value.slice(0, 40)}`);
      } else {
        value = encodeURIComponent(this.scalarFor(p.name, p.schema ?? {}, rng, operation.path));
      }
      path = path.replace(`{${p.name}}`, value);
    }

    const query: string[] = [];
    for (const p of parameters.filter((x) => x.in === 'query')) {
      if (!p.required && rng.chance(0.5) && hostile !== 'query') continue;
      if (hostile === 'query' && rng.chance(0.5)) {
        if (p.required && rng.chance(0.2)) {
          mutations.push(`query ${p.name} missing`);
          continue;
        }
        const value =
          p.name === 'cursor' ? rng.pick(BAD_CURSORS)(rng) : rng.pick(HOSTILE_URL_PARTS);
        mutations.push(`query ${p.name}=${value.slice(0, 40)}`);
        query.push(`${p.name}=${p.name === 'cursor' ? encodeURIComponent(value) : value}`);
        if (rng.chance(0.2)) query.push(`${p.name}=${value}`); // repeated
        continue;
      }
      const schema = p.schema ?? {};
      const values =
        schema.type === 'array'
          ? Array.from({ length: 1 + rng.int(3) }, () =>
              this.scalarFor(p.name, (schema.items as Schema) ?? {}, rng, operation.path),
            )
          : [this.scalarFor(p.name, schema, rng, operation.path)];
      // Never wait for a sync run nor start a full one: each takes seconds of the hub's CPU, and
      // the answers have the same shapes (hostile values for both are still sent, above).
      if (p.name === 'wait' || p.name === 'full') values.splice(0, values.length, 'false');
      for (const v of values) query.push(`${p.name}=${encodeURIComponent(v)}`);
    }
    if (hostile === 'extra') {
      query.push(
        `${rng.pick(['foo', 'limit', '__proto__', 'constructor'])}=${rng.pick(HOSTILE_URL_PARTS)}`,
      );
      mutations.push('extra query parameter');
    }

    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (hostile === 'auth') {
      const auth = rng.pick([
        'missing',
        'Bearer not-a-key',
        `Bearer ${this.apiKey}x`,
        'Basic dXNlcjpwYXNz',
        'Bearer',
        `Bearer ${'k'.repeat(5_000)}`,
        'both',
      ]);
      mutations.push(`auth ${auth.slice(0, 30)}`);
      if (auth === 'missing') delete headers.authorization;
      else if (auth === 'both') headers['x-api-key'] = 'another-key';
      else headers.authorization = auth;
    }
    for (const p of parameters.filter((x) => x.in === 'header')) {
      if (hostile === 'header' && rng.chance(0.7)) {
        const value = rng.pick(['', ' ', 'k'.repeat(300), 'é', 'a b\tc', rng.uuid()]);
        mutations.push(`header ${p.name}=${value.slice(0, 20)}`);
        if (value !== '' || rng.chance(0.5)) headers[p.name.toLowerCase()] = value;
        continue;
      }
      headers[p.name.toLowerCase()] = rng.uuid();
    }
    if (hostile === 'header' && rng.chance(0.5)) {
      headers['x-correlation-id'] = rng.pick(['', 'x'.repeat(500), 'a b', '../../', rng.uuid()]);
      mutations.push('x-correlation-id');
    }

    let body: string | undefined;
    const content = op.requestBody?.content['application/json'];
    if (content || hostile === 'raw-body' || hostile === 'content-type') {
      headers['content-type'] = 'application/json';
      if (content && !(op.requestBody?.required === false && rng.chance(0.1))) {
        let value = this.valueFor('', content.schema, rng, operation.path, 0);
        if (hostile === 'body') {
          value = this.mutate(value, rng, mutations);
        } else if (
          hostile === 'extra' &&
          value &&
          typeof value === 'object' &&
          !Array.isArray(value)
        ) {
          value = { ...value, [rng.pick(['unknown', '__proto__', 'constructor', 'id'])]: 'x' };
          mutations.push('unknown body property');
        }
        body = JSON.stringify(value);
      }
      if (hostile === 'raw-body') {
        body = rng.pick(MALFORMED_BODIES);
        mutations.push(`raw body ${JSON.stringify(body.slice(0, 20))}`);
      }
      if (hostile === 'content-type') {
        const type = rng.pick(CONTENT_TYPES);
        mutations.push(`content-type ${type}`);
        if (type === null) delete headers['content-type'];
        else headers['content-type'] = type;
        if (type?.startsWith('application/x-www-form')) body = 'a=1&b=%00';
      }
    }

    // fetch sends no body with GET (nor would a client); the content type alone still goes.
    if (operation.method === 'get') body = undefined;
    return {
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      template: operation.path,
      url: query.length > 0 ? `${path}?${query.join('&')}` : path,
      headers,
      ...(body !== undefined ? { body } : {}),
      mutation: mutations.join('; ') || 'none',
    };
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let i = 0; i < 10; i++) {
      if (typeof current.$ref === 'string') {
        current = this.schemas[current.$ref.split('/').pop() ?? ''] ?? {};
      } else if (Array.isArray(current.allOf) && current.allOf.length > 0) {
        current = { ...(current.allOf[0] as Schema), ...current, allOf: null };
        delete current.allOf;
      } else if (Array.isArray(current.anyOf) && current.anyOf.length > 0) {
        // OpenAPI nullable as the validator rewrote it: take the non-null branch.
        const branch = (current.anyOf as Schema[]).find((s) => s.type !== 'null');
        current = branch ?? {};
      } else {
        return current;
      }
    }
    return current;
  }

  private scalarFor(name: string, schema: Schema, rng: Prng, template: string): string {
    const value = this.valueFor(name, schema, rng, template, 0);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  private poolFor(name: string, template: string): readonly string[] {
    if (template.startsWith('/v1/customers/') && name === 'id') return this.pools.get('customerId');
    if (name === 'channelId') return this.pools.get('channelId');
    if (name === 'sku' || name === 'skus') return this.pools.get('sku');
    if (name === 'warehouse' || name === 'warehouses') return this.pools.get('warehouse');
    if (name === 'customerId') return this.pools.get('customerId');
    if (name === 'cursor') return this.pools.get('cursor');
    if (name === 'id' || name === 'orderId') return this.pools.get('id');
    return [];
  }

  private valueFor(name: string, raw: Schema, rng: Prng, template: string, depth: number): Json {
    const schema = this.resolve(raw);
    const pool = this.poolFor(name, template);
    if (pool.length > 0 && rng.chance(0.8) && schema.type !== 'array') return rng.pick(pool);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
    if (schema.example !== undefined && schema.type !== 'object' && rng.chance(0.5)) {
      return schema.example;
    }
    switch (schema.type) {
      case 'integer':
      case 'number': {
        const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
        const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
        return min + rng.int(Math.max(1, Math.min(max - min + 1, 1000)));
      }
      case 'boolean':
        return rng.chance(0.5);
      case 'array': {
        const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
        const max = typeof schema.maxItems === 'number' ? schema.maxItems : 3;
        const length = Math.min(max, min + rng.int(3));
        const itemName = name.endsWith('s') ? name.slice(0, -1) : name;
        const items = Array.from({ length }, (_, i) => {
          const item = this.valueFor(
            itemName,
            (schema.items as Schema) ?? {},
            rng,
            template,
            depth + 1,
          );
          // Lines want their own lineRef.
          if (item && typeof item === 'object' && !Array.isArray(item) && 'lineRef' in item) {
            return { ...item, lineRef: String(i + 1) };
          }
          return item;
        });
        return itemName === 'sku' ? [...new Set(items as string[])] : items;
      }
      case 'object': {
        if (depth > 4) return {};
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required as string[] | undefined) ?? []);
        const out: { [key: string]: Json } = {};
        for (const [key, child] of Object.entries(properties)) {
          if (!required.has(key) && rng.chance(0.6)) continue;
          out[key] = this.valueFor(key, child, rng, template, depth + 1);
        }
        // The spec's own either/or: shipToId or shipToAddress, never both.
        if ('shipToId' in out && 'shipToAddress' in out) delete out.shipToAddress;
        return out;
      }
      default: {
        if (schema.format === 'date-time')
          return new Date(Date.UTC(2026, rng.int(12), 1 + rng.int(28))).toISOString();
        if (schema.format === 'date')
          return `2026-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`;
        if (schema.format === 'uuid') return rng.uuid();
        if (typeof schema.example === 'string') return schema.example;
        const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
        const max = typeof schema.maxLength === 'number' ? schema.maxLength : 12;
        const length = Math.max(min, Math.min(max, 1 + rng.int(12)));
        return Array.from({ length }, () =>
          rng.pick([...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789']),
        ).join('');
      }
    }
  }

  /** Replaces one member (at any depth) with a hostile value, or the whole body. */
  private mutate(value: Json, rng: Prng, mutations: string[]): Json {
    const slots: {
      parent: Json[] | { [key: string]: Json };
      key: string | number;
      path: string;
    }[] = [];
    const walk = (node: Json, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => {
          slots.push({ parent: node, key: i, path: `${path}[${i}]` });
          walk(child, `${path}[${i}]`);
        });
      } else if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          slots.push({ parent: node, key, path: `${path}.${key}` });
          walk(child, `${path}.${key}`);
        }
      }
    };
    walk(value, '$');
    const hostile = rng.pick(HOSTILE)(rng);
    const label = JSON.stringify(hostile)?.slice(0, 30) ?? String(hostile);
    if (slots.length === 0 || rng.chance(0.1)) {
      mutations.push(`body = ${label}`);
      return hostile;
    }
    const slot = rng.pick(slots);
    if (rng.chance(0.1)) {
      if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
      else delete slot.parent[slot.key as string];
      mutations.push(`body ${slot.path} removed`);
      return value;
    }
    (slot.parent as Record<string | number, Json>)[slot.key] = hostile;
    mutations.push(`body ${slot.path} = ${label}`);
    return value;
  }
}

export interface FuzzOptions {
  baseUrl: string;
  apiKey: string;
  spec: OpenApiResponseValidator;
  pools: ValuePools;
  requests: number;
  seed: number;
  concurrency?: number;
}

/** Sends `requests` generated requests (operations round-robin) and checks every answer. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const generator = new RequestGenerator(options.spec, options.pools, options.apiKey);
  const operations = options.spec.operations;
  const report: FuzzReport = {
    requests: 0,
    byStatus: {},
    byOperation: {},
    failures: [],
    undocumented: {},
    msByOperation: {},
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.requests) {
      const i = next++;
      const rng = new Prng((options.seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
      const request = generator.generate(operations[i % operations.length], rng);
      await send(request, options, report);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
  return report;
}

async function send(request: FuzzRequest, options: FuzzOptions, report: FuzzReport): Promise<void> {
  report.requests++;
  const count = (status: string) => {
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    const perOperation = (report.byOperation[request.operationId] ??= {});
    perOperation[status] = (perOperation[status] ?? 0) + 1;
  };
  const fail = (status: number | 'no answer', reason: string, answer: string) => {
    if (report.failures.length < 1000) {
      report.failures.push({
        request: { ...request, body: request.body?.slice(0, 300) },
        status,
        reason,
        answer: answer.slice(0, 500),
      });
    }
  };
  let response: Response;
  const started = performance.now();
  try {
    response = await fetch(`${options.baseUrl}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    count('no answer');
    fail(
      'no answer',
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      '',
    );
    return;
  }
  const answer = await answerOf(request.method, request.url, response);
  report.msByOperation[request.operationId] =
    (report.msByOperation[request.operationId] ?? 0) + (performance.now() - started);
  count(String(answer.status));
  // Readiness answers 503 by contract when a check is slow or down (a loaded CI machine makes the
  // migrations or ERP check miss its timeout): a health document, not a server error. Its body
  // must still be one, naming what is not ready.
  const notReady =
    answer.status === 503 &&
    request.operationId === 'Health_ready' &&
    typeof answer.body === 'object' &&
    answer.body !== null &&
    (answer.body as { status?: unknown }).status === 'error';
  if (answer.status >= 500 && !notReady) {
    fail(answer.status, 'server error', answer.text);
    return;
  }
  if (notReady) return;
  if (answer.status >= 400) {
    const problem = answer.body as { correlationId?: unknown } | undefined;
    if (!answer.contentType?.startsWith('application/problem+json')) {
      fail(answer.status, `4xx with content type ${answer.contentType}`, answer.text);
    } else if (
      typeof problem?.correlationId !== 'string' ||
      problem.correlationId !== answer.headers.get('x-correlation-id')
    ) {
      fail(
        answer.status,
        '4xx problem without the correlation id of its X-Correlation-Id',
        answer.text,
      );
    } else if (options.spec.check(answer).some((p) => p.endsWith('status not documented'))) {
      const key = `${request.method} ${request.template} ${answer.status}`;
      report.undocumented[key] = (report.undocumented[key] ?? 0) + 1;
    }
    return;
  }
  if (answer.status >= 200 && answer.status < 300) {
    const problems = options.spec.check(answer);
    if (problems.length > 0) fail(answer.status, problems.slice(0, 5).join(' | '), answer.text);
    options.pools.harvest(answer.body);
  }
}
