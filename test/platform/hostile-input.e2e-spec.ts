import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { startQuietHub } from '../support/quiet-hub.js';
import type { TestApp } from '../support/test-app.js';

interface Problem {
  status: number;
  code: string;
  correlationId: string;
  instance?: string;
  violations?: { code: string; field: string; message: string }[];
}

/**
 * Input a channel (or anyone on the network) can send that once reached PostgreSQL, recursed
 * through class-transformer or bypassed problem+json: every answer is a 4xx problem.
 */
describe('hostile input at the HTTP edge', () => {
  let hub: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ hub, auth } = await startQuietHub());
  });
  afterAll(async () => {
    await hub.close();
  });

  const get = (path: string, headers: Record<string, string> = auth) =>
    fetch(`${hub.baseUrl}${path}`, { headers });
  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${hub.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', ...headers },
      body,
    });

  async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await res.json()) as Problem;
    expect(body).toMatchObject({ status, code });
    expect(body.correlationId).toBe(res.headers.get('x-correlation-id'));
    return body;
  }

  const violationsOf = (problem: Problem) =>
    (problem.violations ?? []).map((v) => `${v.field}:${v.code}`);

  describe('NUL characters and unpaired surrogates never reach PostgreSQL', () => {
    it('answers 400 for a NUL character in a path parameter', async () => {
      const problem = await expectProblem(await get('/v1/customers/%00'), 400, 'VALIDATION_FAILED');
      expect(violationsOf(problem)).toEqual(['id:INVALID_CHARACTER']);
    });

    it('answers 400 for a NUL character in a query parameter', async () => {
      const problem = await expectProblem(
        await get('/v1/inventory/availability?sku=%00'),
        400,
        'VALIDATION_FAILED',
      );
      expect(violationsOf(problem)).toEqual(['sku:INVALID_CHARACTER']);
    });

    it('answers 400 for a NUL character inside a body string, naming the field', async () => {
      const problem = await expectProblem(
        await postJson(`/v1/orders/${randomUUID()}/cancel`, JSON.stringify({ reason: 'A\u0000B' })),
        400,
        'VALIDATION_FAILED',
      );
      expect(violationsOf(problem)).toEqual(['reason:INVALID_CHARACTER']);
    });

    it('answers 400 for a lone UTF-16 surrogate in a nested body field', async () => {
      // JSON.stringify would escape it the same way; written out to show what goes on the wire.
      const body = '{"customerId":"C1","lines":[{"sku":"\\ud800","quantity":"1"}]}';
      const problem = await expectProblem(
        await postJson('/v1/pricing/quotes', body),
        400,
        'VALIDATION_FAILED',
      );
      expect(violationsOf(problem)).toEqual(['lines[0].sku:INVALID_CHARACTER']);
    });

    it('accepts characters outside the BMP written as a surrogate pair', async () => {
      const res = await postJson(
        `/v1/orders/${randomUUID()}/cancel`,
        JSON.stringify({ reason: 'customer \ud83d\ude00 changed their mind' }),
      );
      // Past the input checks: the order simply does not exist.
      await expectProblem(res, 404, 'ORDER_NOT_FOUND');
    });
  });

  it('answers 400 JSON_TOO_DEEP for JSON nested 100,000 levels deep', async () => {
    const depth = 100_000;
    const body = `{"reason":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    await expectProblem(
      await postJson(`/v1/orders/${randomUUID()}/cancel`, body),
      400,
      'JSON_TOO_DEEP',
    );
    // The process is still serving.
    expect((await get('/health/live')).status).toBe(200);
  });

  describe('arrays over their maxItems are refused before any element is validated', () => {
    const lines = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 'x', uom: 'EA' }));

    it('answers a 10,000-line quote with the maxItems violation only', async () => {
      const problem = await expectProblem(
        await postJson(
          '/v1/pricing/quotes',
          JSON.stringify({ customerId: 'C1', lines: lines(10_000) }),
        ),
        400,
        'VALIDATION_FAILED',
      );
      // Per-element checks would have named lines[0].quantity and 9,999 more.
      expect(violationsOf(problem)).toEqual(['lines:ARRAY_MAX_SIZE']);
    });

    it('answers a 10,000-line order with the maxItems violation only', async () => {
      const order = {
        channelOrderRef: 'HUGE-1',
        customerId: 'C1',
        lines: lines(10_000).map((l, i) => ({ ...l, lineRef: String(i) })),
      };
      const problem = await expectProblem(
        await postJson('/v1/orders', JSON.stringify(order), { 'idempotency-key': randomUUID() }),
        400,
        'VALIDATION_FAILED',
      );
      expect(violationsOf(problem)).toEqual(['lines:ARRAY_MAX_SIZE']);
    });
  });

  it('answers a flood of unknown properties with the first 20, before class-validator builds one error each', async () => {
    const flood: Record<string, number> = {};
    for (let i = 0; i < 80_000; i++) flood[`x${i}`] = 1;
    const lineFlood: Record<string, number> = {};
    for (let i = 0; i < 150; i++) lineFlood[`p${i}`] = 1;
    for (const body of [
      { customerId: 'C1', lines: [{ sku: 'A', quantity: '1' }], ...flood },
      {
        customerId: 'C1',
        lines: Array.from({ length: 500 }, () => ({ sku: 'A', quantity: '1', ...lineFlood })),
      },
    ]) {
      const problem = await expectProblem(
        await postJson('/v1/pricing/quotes', JSON.stringify(body)),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.violations).toHaveLength(20);
      expect(new Set(problem.violations?.map((v) => v.code))).toEqual(
        new Set(['UNKNOWN_PROPERTY']),
      );
    }
  });

  describe('request media types', () => {
    it.each([
      ['text/plain', 'reason=changed'],
      ['application/x-www-form-urlencoded', 'reason=changed'],
    ])('answers a %s body with 415', async (contentType, body) => {
      const res = await fetch(`${hub.baseUrl}/v1/orders/${randomUUID()}/cancel`, {
        method: 'POST',
        headers: { ...auth, 'content-type': contentType },
        body,
      });
      await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('errors Fastify and Node raise themselves', () => {
    it('answers a malformed URL with a problem, the correlation id and the security headers', async () => {
      const res = await get('/v1/%zz', { ...auth, 'x-correlation-id': 'bad-url-1' });
      const problem = await expectProblem(res, 400, 'MALFORMED_URL');
      expect(problem.correlationId).toBe('bad-url-1');
      expect(problem.instance).toBe('/v1/%zz');
    });

    it('answers an over-long path parameter with a 414 problem', async () => {
      await expectProblem(await get(`/v1/orders/${'a'.repeat(300)}`), 414, 'URI_TOO_LONG');
    });

    it('answers oversized request headers with a 431 problem', async () => {
      const raw = await rawRequest(
        hub.baseUrl,
        `GET /v1/channels/me HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      const [head, body] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(head).toMatch(/x-content-type-options: nosniff/i);
      expect(head).toMatch(/cache-control: no-store/i);
      const correlationId = /x-correlation-id: (\S+)/i.exec(head)?.[1];
      expect(JSON.parse(body)).toMatchObject({
        status: 431,
        code: 'HEADERS_TOO_LARGE',
        correlationId,
      });
    });
  });

  describe('an API key in the query string', () => {
    it('is neither echoed in the problem instance nor written into the request log', async () => {
      const secret = `ck_query_${randomUUID().replace(/-/g, '')}`;
      const res = await fetch(
        `${hub.baseUrl}/v1/channels/me?api_key=${secret}&key=${secret}&apiKey=${secret}`,
      );
      const problem = await expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(problem.instance).toBe('/v1/channels/me');
      expect(JSON.stringify(problem)).not.toContain(secret);

      const logged = await waitForLog(hub, problem.correlationId);
      expect(JSON.stringify(logged)).not.toContain(secret);
      expect(JSON.stringify(logged)).toContain('/v1/channels/me?api_key=[redacted]');
    });
  });

  it('sets Cache-Control: no-store on API answers', async () => {
    const res = await get('/v1/channels/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

async function waitForLog(hub: TestApp, correlationId: string): Promise<unknown[]> {
  for (let i = 0; i < 100; i++) {
    const lines = hub.logs.filter(
      (l) => l.correlationId === correlationId && (l as { req?: unknown }).req !== undefined,
    );
    if (lines.length > 0) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no request log line for ${correlationId}`);
}

/** Writes a raw HTTP request and reads the answer until the server closes the connection. */
function rawRequest(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}
