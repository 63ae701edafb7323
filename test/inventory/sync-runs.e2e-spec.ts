import { randomUUID } from 'node:crypto';
import { bearer, createTestChannel } from '../support/channels.js';
import { type InventoryHub, startInventoryHub } from './inventory-test-app.js';

const ABANDONED_MESSAGE = 'marked sync runs of a stopped instance failed';

interface RunBody {
  id: string;
  status: string;
  startedAt: string;
}

interface RunPage {
  items: RunBody[];
  nextCursor: string | null;
}

/**
 * Sync runs of the delta-sync engine (inventory, pricing) as operations see them: runs left
 * `running` by a stopped instance are failed and counted truly, and runs are listed newest first.
 */
describe('inventory and pricing sync runs', () => {
  let hub: InventoryHub;
  let admin: Record<string, string>;

  beforeAll(async () => {
    hub = await startInventoryHub();
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
  });

  const syncInventory = async (): Promise<RunBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/inventory?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RunBody;
  };

  const abandonedWarnings = () =>
    hub.logs.filter((l) => l.msg === ABANDONED_MESSAGE && l.sync === 'inventory');

  const list = async (path: string, query = ''): Promise<{ status: number; body: RunPage }> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/${path}/runs${query}`, {
      headers: admin,
    });
    return { status: res.status, body: (await res.json()) as RunPage };
  };

  it('reports no abandoned runs when no run was left running', async () => {
    await syncInventory();
    await syncInventory();

    expect(abandonedWarnings()).toEqual([]);
  });

  it('fails and counts exactly the runs a stopped instance left running', async () => {
    // Three, not two: TypeORM's [rows, count] tuple has length 2, which the old count reported.
    const left = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of left) {
      await hub.db.query(
        `INSERT INTO sync_run (id, sync, trigger, status, feed, "full", streams, started_at)
         VALUES ($1, 'inventory', 'schedule', 'running', 'test-erp', false, '{}'::jsonb,
                 now() - interval '1 hour')`,
        [id],
      );
    }

    await syncInventory();

    expect(abandonedWarnings()).toEqual([expect.objectContaining({ abandoned: 3 })]);
    const rows = (await hub.db.query(`SELECT status FROM sync_run WHERE id = ANY($1::uuid[])`, [
      left,
    ])) as { status: string }[];
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
  });

  it('lists inventory sync runs newest first, page by page', async () => {
    const older = await syncInventory();
    const newer = await syncInventory();

    const first = await list('inventory', '?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items.map((r) => r.id)).toEqual([newer.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(
      'inventory',
      `?limit=1&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
    );
    expect(second.status).toBe(200);
    expect(second.body.items.map((r) => r.id)).toEqual([older.id]);
    expect(second.body.items[0]).toMatchObject({ status: 'succeeded', balances: { read: 0 } });
  });

  it('lists pricing sync runs newest first, page by page, to the last page', async () => {
    // Far in the future, so these are the newest pricing runs whatever other suites ran.
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      await hub.db.query(
        `INSERT INTO sync_run (id, sync, trigger, status, feed, "full", streams, started_at,
                               finished_at, duration_ms)
         VALUES ($1, 'pricing', 'manual', 'succeeded', 'test-erp', false, '{}'::jsonb,
                 $2::timestamptz, $2::timestamptz, 0)`,
        [id, `2090-01-0${i + 1}T00:00:00.000Z`],
      );
    }

    const first = await list('pricing', '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const second = await list(
      'pricing',
      `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
    );
    expect(second.body.items[0].id).toBe(ids[0]);
    expect(second.body.items[0]).toMatchObject({
      status: 'succeeded',
      startedAt: '2090-01-01T00:00:00.000Z',
    });
  });

  it('answers 400 INVALID_CURSOR for a cursor it did not issue, including an impossible date', async () => {
    const impossible = Buffer.from(
      JSON.stringify({ t: '2026-02-30T00:00:00.000Z', i: randomUUID() }),
    ).toString('base64url');
    for (const cursor of ['not-a-cursor', impossible]) {
      for (const path of ['inventory', 'pricing']) {
        const res = await fetch(`${hub.baseUrl}/v1/admin/sync/${path}/runs?cursor=${cursor}`, {
          headers: admin,
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: 'INVALID_CURSOR' });
      }
    }
  });
});
