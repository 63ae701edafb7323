import { randomUUID } from 'node:crypto';
import { SCOPES } from '../../src/platform/auth/index.js';
import { startQuietHub } from '../support/quiet-hub.js';
import type { TestApp } from '../support/test-app.js';

const encode = (payload: unknown): string =>
  Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

/** A date PostgreSQL refuses but JavaScript's Date.parse rolls over to 2 March. */
const FEB_30 = '2026-02-30T10:00:00.000Z';
const FEB_30_MICROS = '2026-02-30T10:00:00.000000Z';

/**
 * Every list endpoint decodes its cursor and hands the fields to SQL. A cursor shaped like one
 * the API issued but naming a day that does not exist, a bigint out of range or a NUL in a key
 * must be 400 INVALID_CURSOR, not a PostgreSQL error (500).
 */
describe('list cursors PostgreSQL would refuse', () => {
  let hub: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    ({ hub, auth } = await startQuietHub({ scopes: SCOPES }));
  });
  afterAll(async () => {
    await hub.close();
  });

  it.each([
    ['orders', '/v1/orders', { t: FEB_30_MICROS, i: randomUUID() }],
    ['exceptions', '/v1/ops/exceptions', { t: FEB_30_MICROS, i: randomUUID() }],
    ['master-data sync runs', '/v1/admin/sync/runs', { t: FEB_30, i: randomUUID() }],
    ['stewardship proposals', '/v1/admin/stewardship', { t: FEB_30, i: randomUUID() }],
    ['items', '/v1/items', { v: 1, s: FEB_30, q: '1', k: 'SKU-1' }],
    [
      'items (bigint out of range)',
      '/v1/items',
      { v: 1, s: null, q: '9999999999999999999', k: 'A' },
    ],
    ['items (NUL in the key)', '/v1/items', { v: 1, s: null, q: '1', k: 'A\u0000' }],
    ['item history', '/v1/items/SKU-1/history', { a: '9999999999999999999' }],
    ['customer history', '/v1/customers/C1/history', { a: '9999999999999999999' }],
  ])('answers 400 INVALID_CURSOR on the %s list', async (_list, path, cursor) => {
    const res = await fetch(`${hub.baseUrl}${path}?cursor=${encode(cursor)}`, { headers: auth });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; violations: { code: string }[] };
    expect(problem.code).toBe('INVALID_CURSOR');
    expect(problem.violations.map((v) => v.code)).toEqual(['INVALID_CURSOR']);
  });

  it('answers 400 INVALID_CURSOR on the channel list for a cursor naming a NUL', async () => {
    const cursor = Buffer.from('web\u0000shop', 'utf8').toString('base64url');
    const res = await fetch(`${hub.baseUrl}/v1/admin/channels?cursor=${cursor}`, { headers: auth });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { violations: { code: string }[] };
    expect(problem.violations.map((v) => v.code)).toEqual(['INVALID_CURSOR']);
  });
});
