import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ExceptionsService } from '../../src/platform/exceptions/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Page {
  items: { id: string; type: string; status: string; reference: string; attempts: number }[];
  nextCursor: string | null;
}

describe('GET /v1/ops/exceptions', () => {
  let hub: TestApp;
  let exceptions: ExceptionsService;
  let opsKey: string;

  beforeAll(async () => {
    hub = await startTestApp();
    exceptions = hub.app.get(ExceptionsService);
    ({ apiKey: opsKey } = await createTestChannel(hub.app, {
      kind: 'operations',
      scopes: ['ops:admin'],
    }));
  });

  afterAll(async () => {
    await hub.close();
  });

  const get = (path: string, key: string | null = opsKey): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, { headers: key ? bearer(key) : {} });

  /** `count` records of a type no other test uses, recorded one after the other. */
  async function recordMany(count: number): Promise<{ type: string; ids: string[] }> {
    const type = `test.sync-failed.${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const recorded = await exceptions.record({
        type,
        source: 'test.item-sync',
        reference: `SKU-${i}`,
        payload: { sku: `SKU-${i}` },
        error: { name: 'ValidationError', message: `unit of measure missing on SKU-${i}` },
        attempts: 1,
      });
      ids.push(recorded.id);
    }
    return { type, ids };
  }

  it('answers 401 without an API key', async () => {
    const res = await get('/v1/ops/exceptions', null);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 403 to a key without ops:admin', async () => {
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['orders:read'] });
    const res = await get('/v1/ops/exceptions', apiKey);
    expect(res.status).toBe(403);
    const single = await get(`/v1/ops/exceptions/${randomUUID()}`, apiKey);
    expect(single.status).toBe(403);
  });

  it('pages newest first with an opaque cursor until the last page', async () => {
    const { type, ids } = await recordMany(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const query: string = `type=${type}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(`/v1/ops/exceptions?${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      sizes.push(page.items.length);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps rows that share a created_at apart across pages', async () => {
    const { type, ids } = await recordMany(3);
    await hub.app
      .get(DataSource)
      .query(
        `UPDATE ops_exception SET created_at = '2025-01-01T00:00:00.123456Z' WHERE type = $1`,
        [type],
      );
    const first = (await (await get(`/v1/ops/exceptions?type=${type}&limit=2`)).json()) as Page;
    const second = (await (
      await get(`/v1/ops/exceptions?type=${type}&limit=2&cursor=${first.nextCursor}`)
    ).json()) as Page;
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(all).toHaveLength(3);
  });

  it('filters by type and status', async () => {
    const { type, ids } = await recordMany(3);
    await hub.app
      .get(DataSource)
      .query(`UPDATE ops_exception SET status = 'resolved' WHERE id = $1`, [ids[1]]);

    const resolved = (await (
      await get(`/v1/ops/exceptions?type=${type}&status=resolved`)
    ).json()) as Page;
    expect(resolved.items.map((i) => i.id)).toEqual([ids[1]]);
    const open = (await (await get(`/v1/ops/exceptions?type=${type}&status=open`)).json()) as Page;
    expect(open.items.map((i) => i.id)).toEqual([ids[2], ids[0]]);
    expect(open.items.every((i) => i.type === type && i.status === 'open')).toBe(true);
  });

  it('returns one record by id, and 404 for an id it does not know', async () => {
    const { ids } = await recordMany(1);
    const res = await get(`/v1/ops/exceptions/${ids[0]}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: ids[0],
      status: 'open',
      source: 'test.item-sync',
      reference: 'SKU-0',
      payload: { sku: 'SKU-0' },
      error: { name: 'ValidationError', message: 'unit of measure missing on SKU-0' },
      attempts: 1,
      channelId: null,
      firstFailedAt: expect.any(String),
    });

    const missing = await get(`/v1/ops/exceptions/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, code: 'EXCEPTION_NOT_FOUND' });
  });

  it.each([
    ['a malformed id', '/v1/ops/exceptions/not-a-uuid', 'VALIDATION_FAILED', 'id'],
    ['a forged cursor', '/v1/ops/exceptions?cursor=bm90LWEtY3Vyc29y', 'INVALID_CURSOR', 'cursor'],
    [
      'a cursor with bad characters',
      '/v1/ops/exceptions?cursor=a%2Bb',
      'VALIDATION_FAILED',
      'cursor',
    ],
    ['a limit out of range', '/v1/ops/exceptions?limit=1000', 'VALIDATION_FAILED', 'limit'],
    ['an unknown status', '/v1/ops/exceptions?status=lost', 'VALIDATION_FAILED', 'status'],
  ])('answers 400 to %s', async (_what, path, code, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; violations: { field: string }[] };
    expect(body.code).toBe(code);
    expect(body.violations.map((v) => v.field)).toContain(field);
  });

  it('updates the open record when the same failure is recorded again under its dedupe key', async () => {
    const type = `test.dedupe.${randomUUID().slice(0, 8)}`;
    const dedupeKey = `test:${randomUUID()}`;
    const first = await exceptions.record({
      type,
      source: 'test.feed',
      error: { name: 'Error', message: 'first' },
      attempts: 2,
      firstFailedAt: new Date('2025-01-01T00:00:00Z'),
      lastFailedAt: new Date('2025-01-01T00:00:00Z'),
      dedupeKey,
    });
    const again = await exceptions.record({
      type,
      source: 'test.feed',
      error: { name: 'Error', message: 'second' },
      attempts: 3,
      lastFailedAt: new Date('2025-01-02T00:00:00Z'),
      dedupeKey,
    });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({
      attempts: 3,
      error: { message: 'second' },
      firstFailedAt: new Date('2025-01-01T00:00:00Z'),
      lastFailedAt: new Date('2025-01-02T00:00:00Z'),
    });
    expect((await exceptions.list({ type })).items).toHaveLength(1);
  });
});
