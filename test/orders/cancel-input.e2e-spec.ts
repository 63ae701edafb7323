import { randomUUID } from 'node:crypto';
import { startQuietHub } from '../support/quiet-hub.js';
import type { TestApp } from '../support/test-app.js';

/**
 * The cancel body is optional, but when one is sent it is validated like any other: before the
 * fix the DTO was hidden from the ValidationPipe and anything was accepted. An order id nobody
 * has makes "past validation" visible as 404 ORDER_NOT_FOUND.
 */
describe('POST /v1/orders/{id}/cancel input', () => {
  let hub: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ hub, auth } = await startQuietHub());
  });
  afterAll(async () => {
    await hub.close();
  });

  const cancel = (body: string | undefined, contentType: string | undefined = 'application/json') =>
    fetch(`${hub.baseUrl}/v1/orders/${randomUUID()}/cancel`, {
      method: 'POST',
      headers: { ...auth, ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });

  const codes = async (res: Response) => {
    const problem = (await res.json()) as {
      code: string;
      violations?: { field: string; code: string }[];
    };
    return {
      code: problem.code,
      violations: (problem.violations ?? []).map((v) => `${v.field}:${v.code}`),
    };
  };

  it.each([
    ['a number', { reason: 123 }, 'reason:IS_STRING'],
    ['an object', { reason: { text: 'x' } }, 'reason:IS_STRING'],
    ['a 600-character string', { reason: 'x'.repeat(600) }, 'reason:IS_LENGTH'],
    ['an empty string', { reason: '' }, 'reason:IS_LENGTH'],
  ])('answers 400 for a reason that is %s', async (_what, body, violation) => {
    const res = await cancel(JSON.stringify(body));
    expect(res.status).toBe(400);
    const { code, violations } = await codes(res);
    expect(code).toBe('VALIDATION_FAILED');
    expect(violations).toContain(violation);
  });

  it('answers 400 for an unknown property in the cancel body', async () => {
    const res = await cancel(JSON.stringify({ reason: 'ok', refund: true }));
    expect(res.status).toBe(400);
    expect((await codes(res)).violations).toEqual(['refund:UNKNOWN_PROPERTY']);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"changed my mind"'],
  ])('answers 400 for a cancel body that is %s', async (_what, body) => {
    const res = await cancel(body);
    expect(res.status).toBe(400);
    expect((await codes(res)).code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['text/plain', 'changed my mind'],
    ['application/x-www-form-urlencoded', 'reason=changed'],
  ])('answers 415 for a %s cancel body', async (contentType, body) => {
    const res = await cancel(body, contentType);
    expect(res.status).toBe(415);
    expect((await codes(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    [
      'a valid reason',
      JSON.stringify({ reason: 'Customer changed their mind' }),
      'application/json',
    ],
    ['an empty object', '{}', 'application/json'],
    ['no body at all', undefined, undefined],
    ['an empty body labelled JSON', '', 'application/json'],
  ])('takes %s past validation (the body is optional)', async (_what, body, contentType) => {
    const res = await cancel(body, contentType);
    expect(res.status).toBe(404);
    expect((await codes(res)).code).toBe('ORDER_NOT_FOUND');
  });
});
