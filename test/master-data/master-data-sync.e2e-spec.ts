import pg from 'pg';
import { DataSource } from 'typeorm';
import { MASTER_DATA_SYNC_JOB } from '../../src/modules/master-data/index.js';
import { JobsService } from '../../src/platform/jobs/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import { testDatabaseUrl, type TestApp } from '../support/test-app.js';
import {
  aCustomer,
  aDropShipItem,
  anItem,
  at,
  aShipTo,
  aWarehouse,
} from './master-data.fixtures.js';
import { resetMasterData, startMasterDataTestApp } from './master-data-test-app.js';

interface CountsBody {
  read: number;
  upserted: number;
  unchanged: number;
  invalid: number;
  pages: number;
  error: string | null;
}
interface RunBody {
  id: string;
  trigger: string;
  status: string;
  feed: string;
  entities: Record<'warehouses' | 'customers' | 'items', CountsBody>;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  correlationId: string | null;
}
interface ItemBody {
  sku: string;
  description: string;
  uomConversions: { uom: string; factor: string }[];
  syncedAt: string;
}

describe('master-data sync', () => {
  const feed = new InMemoryMasterDataFeed('test-erp');
  let hub: TestApp;
  let admin: Record<string, string>;
  let reader: Record<string, string>;

  beforeAll(async () => {
    hub = await startMasterDataTestApp(feed);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    reader = bearer((await createTestChannel(hub.app, { scopes: ['master-data:read'] })).apiKey);
  });
  afterAll(async () => {
    feed.resume();
    await hub.close();
  });
  beforeEach(async () => {
    await resetMasterData(hub);
    feed.reset();
  });

  const syncAndWait = async (): Promise<RunBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RunBody;
  };
  const getItem = async (sku: string): Promise<ItemBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/items/${encodeURIComponent(sku)}`, {
      headers: reader,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ItemBody;
  };
  const storedSkus = async (): Promise<string[]> =>
    (
      (await hub.app.get(DataSource).query(`SELECT sku FROM md_item ORDER BY sku`)) as {
        sku: string;
      }[]
    ).map((r) => r.sku);

  /** Five items, two customers (one the parent of the other), two warehouses. */
  const seedCatalogue = (): void => {
    feed
      .put('warehouses', 'loc-1', at(0), aWarehouse())
      .put('warehouses', 'loc-2', at(1), aWarehouse({ code: 'WH-WEST', address: null }))
      .put('customers', 'cus-1', at(0), aCustomer({ erpId: 'C10000', name: 'Acme Group' }))
      .put(
        'customers',
        'cus-2',
        at(1),
        aCustomer({ parentErpId: 'C10000', shipTos: [aShipTo(), aShipTo({ code: 'SOUTH' })] }),
      );
    for (let i = 1; i <= 5; i++) {
      feed.put('items', `itm-${i}`, at(i), anItem({ sku: `SKU-${i}`, description: `Item ${i}` }));
    }
  };

  it('stores exactly the valid records the feed delivers, paged, with per-kind counts', async () => {
    seedCatalogue();

    const run = await syncAndWait();

    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', feed: 'test-erp' });
    expect(run.entities.items).toEqual({
      read: 5,
      upserted: 5,
      unchanged: 0,
      invalid: 0,
      pages: 2,
      error: null,
      degraded: [],
    });
    expect(run.entities.customers).toMatchObject({ read: 2, upserted: 2, invalid: 0 });
    expect(run.entities.warehouses).toMatchObject({ read: 2, upserted: 2, invalid: 0 });
    expect(run.durationMs).toEqual(expect.any(Number));
    expect(await storedSkus()).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5']);
    const item = await getItem('SKU-3');
    expect(item.uomConversions).toEqual([
      { uom: 'EA', factor: '1' },
      { uom: 'CASE', factor: '12' },
      { uom: 'PALLET', factor: '1440' },
    ]);
    const db = hub.app.get(DataSource);
    expect(await db.query(`SELECT code FROM md_warehouse ORDER BY code`)).toEqual([
      { code: 'WH-EAST' },
      { code: 'WH-WEST' },
    ]);
    expect(
      await db.query(`SELECT code FROM md_ship_to WHERE customer_erp_id = 'C10042' ORDER BY code`),
    ).toEqual([{ code: 'MAIN' }, { code: 'SOUTH' }]);
  });

  it('logs progress per page with records done, total and rate', async () => {
    seedCatalogue();
    const run = await syncAndWait();

    const progress = hub.logs.filter(
      (l) => l.syncRunId === run.id && l.stream === 'items' && typeof l.done === 'number',
    );
    expect(progress.map((l) => [l.page, l.done, l.total])).toEqual([
      [1, 3, 5],
      [2, 5, 5],
    ]);
    expect(progress[1].recordsPerSecond).toEqual(expect.any(Number));
    expect(progress[1].msg).toBe('master-data sync items: 5 / 5 records');
  });

  it('re-syncing unchanged data rewrites nothing, whether from the watermark or from scratch', async () => {
    seedCatalogue();
    await syncAndWait();
    const db = hub.app.get(DataSource);
    const before = (await db.query(
      `SELECT sku, synced_at, change_seq, source_hash FROM md_item ORDER BY sku`,
    )) as unknown[];

    const again = await syncAndWait();
    // The overlap window (2 min) re-reads the newest records: read, found identical, not written.
    expect(again.entities.items).toMatchObject({ upserted: 0, invalid: 0 });
    expect(again.entities.items.unchanged).toBe(again.entities.items.read);
    expect(again.entities.items.read).toBeGreaterThan(0);

    await db.query(`DELETE FROM sync_watermark WHERE stream LIKE 'master-data:%'`);
    const fromScratch = await syncAndWait();
    expect(fromScratch.entities.items).toMatchObject({ read: 5, upserted: 0, unchanged: 5 });
    expect(fromScratch.entities.customers).toMatchObject({ read: 2, upserted: 0, unchanged: 2 });
    expect(
      await db.query(`SELECT sku, synced_at, change_seq, source_hash FROM md_item ORDER BY sku`),
    ).toEqual(before);
  });

  it('picks up records changed while the sync is paging, in the same run, missing none', async () => {
    seedCatalogue();
    let served = 0;
    feed.beforePage = (kind) => {
      if (kind !== 'items') return;
      served += 1;
      if (served === 2) {
        // After page 1 (SKU-1..3) was read: edit one already read and one not yet read.
        feed.put('items', 'itm-1', at(30), anItem({ sku: 'SKU-1', description: 'Item 1 v2' }));
        feed.put('items', 'itm-4', at(31), anItem({ sku: 'SKU-4', description: 'Item 4 v2' }));
      }
    };

    const run = await syncAndWait();

    expect(run.status).toBe('succeeded');
    expect(await storedSkus()).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5']);
    expect((await getItem('SKU-1')).description).toBe('Item 1 v2');
    expect((await getItem('SKU-4')).description).toBe('Item 4 v2');
    expect((await getItem('SKU-5')).description).toBe('Item 5');
  });

  it('picks up in the next run a change committed late with a timestamp older than the watermark', async () => {
    seedCatalogue();
    await syncAndWait();
    // An ERP transaction that stamped its row at minute 4 commits only now (watermark: minute 5).
    feed.put('items', 'itm-late', at(4), anItem({ sku: 'SKU-LATE' }));
    feed.put('items', 'itm-2', at(4.5), anItem({ sku: 'SKU-2', description: 'Item 2 v2' }));

    const next = await syncAndWait();

    expect(next.entities.items.upserted).toBe(2);
    expect(await storedSkus()).toContain('SKU-LATE');
    expect((await getItem('SKU-2')).description).toBe('Item 2 v2');
    // The pass started at the watermark minus the overlap window, every record at that instant.
    const itemReads = feed.reads.filter((r) => r.kind === 'items');
    expect(itemReads[itemReads.length - 1].request.since).toEqual({
      modifiedAt: at(3),
      sourceId: '',
    });
  });

  it('picks up in the next run a row committed mid-sync behind the position already read', async () => {
    seedCatalogue();
    let served = 0;
    feed.beforePage = (kind) => {
      if (kind === 'items' && ++served === 2) {
        // Stamped at minute 3 and ordered before itm-3 (read on page 1), but committed only now:
        // the pass is already past it.
        feed.put('items', 'itm-0-behind', at(3), anItem({ sku: 'SKU-BEHIND' }));
      }
    };
    const first = await syncAndWait();
    expect(first.entities.items.upserted).toBe(5);
    expect(await storedSkus()).not.toContain('SKU-BEHIND');
    feed.beforePage = undefined;

    const next = await syncAndWait();

    expect(next.entities.items.upserted).toBe(1);
    expect(await storedSkus()).toContain('SKU-BEHIND');
  });

  it('reads everything again when another adapter is bound (watermarks are per feed)', async () => {
    seedCatalogue();
    await syncAndWait();
    await hub.app.get(DataSource).query(
      `UPDATE sync_watermark SET feed = 'previous-erp', modified_at = now()
         WHERE stream LIKE 'master-data:%'`,
    );

    const run = await syncAndWait();

    expect(run.entities.items).toMatchObject({ read: 5, upserted: 0, unchanged: 5 });
    const lastFirstPage = feed.reads.filter((r) => r.kind === 'items' && r.request.cursor === null);
    expect(lastFirstPage[lastFirstPage.length - 1].request.since).toBeNull();
  });

  it('records invalid records as exceptions with reason and payload, and still syncs the rest', async () => {
    seedCatalogue();
    feed.putUnmappable('items', 'itm-bad-row', at(6), 'Unknown item type "Service"', {
      No: 'SVC-1',
      Type: 'Service',
    });
    feed.put('items', 'itm-ds', at(7), aDropShipItem({ supplierId: null }));
    feed.put(
      'customers',
      'cus-bad',
      at(2),
      aCustomer({ erpId: 'C66666', currency: 'XYZ', creditLimit: '-5.00', name: '' }),
    );

    const run = await syncAndWait();

    // Every record read, but some refused: the run says so, never plain succeeded.
    expect(run.status).toBe('completed_with_errors');
    expect(run.error).toBeNull();
    expect(run.entities.items).toMatchObject({ read: 7, upserted: 5, invalid: 2 });
    const metrics = await (await fetch(`${hub.baseUrl}/metrics`)).text();
    const metricValue = (pattern: RegExp): number => Number(pattern.exec(metrics)?.[1] ?? 0);
    expect(
      metricValue(
        /sync_runs_total\{sync="master-data",feed="test-erp",status="completed_with_errors"\} (\d+)/,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(
        /sync_records_invalid_total\{sync="master-data",feed="test-erp",kind="items"\} (\d+)/,
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(run.entities.customers).toMatchObject({ read: 3, upserted: 2, invalid: 1 });
    expect(await storedSkus()).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5']);

    const exceptions = (await hub.app.get(DataSource).query(
      `SELECT source, reference, payload, error, status FROM ops_exception
         WHERE type = 'sync.record_invalid' ORDER BY reference`,
    )) as { source: string; reference: string; payload: unknown; error: { message: string } }[];
    expect(exceptions.map((e) => [e.source, e.reference])).toEqual([
      ['master-data:customers', 'cus-bad'],
      ['master-data:items', 'itm-bad-row'],
      ['master-data:items', 'itm-ds'],
    ]);
    const [customer, badRow, dropShip] = exceptions;
    expect(customer.error.message).toMatch(/^3 problems: /);
    expect(customer.error.message).toContain('name: name must not be empty');
    expect(customer.error.message).toContain('creditLimit: creditLimit must not be negative');
    expect(customer.error.message).toContain('[UNKNOWN_CURRENCY]');
    expect(customer.payload).toMatchObject({ erpId: 'C66666', currency: 'XYZ' });
    expect(badRow.error.message).toBe('Unknown item type "Service"');
    expect(badRow.payload).toEqual({ No: 'SVC-1', Type: 'Service' });
    expect(dropShip.error.message).toContain('[SUPPLIER_REQUIRED]');

    // Read again (overlap window): the open exceptions are updated, not duplicated.
    await syncAndWait();
    const [{ count }] = (await hub.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS count FROM ops_exception WHERE type = 'sync.record_invalid'`,
      )) as {
      count: number;
    }[];
    expect(count).toBe(3);
  });

  it('refuses records that break the canonical types at run time', async () => {
    feed.putRaw('items', 'itm-x', at(1), { sku: 'SKU-X', lotControlled: 'yes', factor: 1 });
    feed.putRaw('items', 'itm-y', 'yesterday', anItem({ sku: 'SKU-Y' }));
    feed.put('items', 'itm-ok', at(2), anItem({ sku: 'SKU-OK' }));

    const run = await syncAndWait();

    expect(run.entities.items).toMatchObject({ read: 3, upserted: 1, invalid: 2 });
    const errors = (await hub.app.get(DataSource).query(
      `SELECT reference, error->>'message' AS message FROM ops_exception
         WHERE type = 'sync.record_invalid' ORDER BY reference`,
    )) as { reference: string; message: string }[];
    expect(errors[0].message).toContain('lotControlled: lotControlled must be true or false');
    expect(errors[1].message).toContain('not an ISO 8601 timestamp');
  });

  it('answers 409 SYNC_ALREADY_RUNNING to a second trigger while one runs, and 202 + Location to the first', async () => {
    seedCatalogue();
    feed.pause();
    const first = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data`, {
      method: 'POST',
      headers: admin,
    });
    expect(first.status).toBe(202);
    const started = (await first.json()) as RunBody;
    expect(started.status).toBe('running');
    expect(first.headers.get('location')).toBe(`/v1/admin/sync/runs/${started.id}`);

    const second = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await second.json()).toMatchObject({
      code: 'SYNC_ALREADY_RUNNING',
      runningRunId: started.id,
    });

    feed.resume();
    let run = started;
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(`${hub.baseUrl}/v1/admin/sync/runs/${started.id}`, {
        headers: admin,
      });
      run = (await res.json()) as RunBody;
    }
    expect(run.status).toBe('succeeded');
    expect(run.entities.items.upserted).toBe(5);
    expect(run.correlationId).toBe(first.headers.get('x-correlation-id'));
  });

  it('fails a kind whose feed read fails, still syncs the others, and resumes next run', async () => {
    seedCatalogue();
    feed.failNextRead('customers');

    const failed = await syncAndWait();

    expect(failed.status).toBe('failed');
    expect(failed.entities.customers.error).toBe('ERP unreachable reading customers');
    expect(failed.error).toBe('customers: ERP unreachable reading customers');
    expect(failed.entities.items).toMatchObject({ upserted: 5, error: null });

    const next = await syncAndWait();
    expect(next.status).toBe('succeeded');
    expect(next.entities.customers).toMatchObject({ read: 2, upserted: 2 });
  });

  it('lists runs newest first with counts and duration, paged with a cursor', async () => {
    seedCatalogue();
    const runs = [await syncAndWait(), await syncAndWait(), await syncAndWait()];

    const page1 = await fetch(`${hub.baseUrl}/v1/admin/sync/runs?limit=2`, { headers: admin });
    expect(page1.status).toBe(200);
    const body1 = (await page1.json()) as { items: RunBody[]; nextCursor: string | null };
    expect(body1.items.map((r) => r.id)).toEqual([runs[2].id, runs[1].id]);
    expect(body1.items[0]).toMatchObject({ status: 'succeeded', durationMs: expect.any(Number) });
    expect(body1.nextCursor).toEqual(expect.any(String));

    const page2 = await fetch(
      `${hub.baseUrl}/v1/admin/sync/runs?limit=2&cursor=${body1.nextCursor}`,
      { headers: admin },
    );
    const body2 = (await page2.json()) as { items: RunBody[]; nextCursor: string | null };
    expect(body2.items.map((r) => r.id)).toEqual([runs[0].id]);
    expect(body2.nextCursor).toBeNull();
  });

  it('keeps the sync endpoints for ops:admin keys', async () => {
    const none = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data`, { method: 'POST' });
    expect(none.status).toBe(401);
    const notAdmin = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data`, {
      method: 'POST',
      headers: reader,
    });
    expect(notAdmin.status).toBe(403);
    const runs = await fetch(`${hub.baseUrl}/v1/admin/sync/runs`, { headers: reader });
    expect(runs.status).toBe(403);
  });
});

describe('master-data sync without an ERP adapter', () => {
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startMasterDataTestApp(null);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('answers 503 ERP_ADAPTER_UNAVAILABLE', async () => {
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['ops:admin'] });
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data`, {
      method: 'POST',
      headers: bearer(apiKey),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'ERP_ADAPTER_UNAVAILABLE' });
  });
});

describe('scheduled master-data sync', () => {
  const feed = new InMemoryMasterDataFeed('test-erp');
  let hub: TestApp;
  beforeAll(async () => {
    hub = await startMasterDataTestApp(feed, { JOBS_ENABLED: 'true' });
    await resetMasterData(hub);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('runs the sync as the master-data.sync job, recorded with trigger "schedule"', async () => {
    feed.put('items', 'itm-1', at(1), anItem());
    await hub.app.get(JobsService).enqueue(MASTER_DATA_SYNC_JOB, null);

    const db = hub.app.get(DataSource);
    let runs: { trigger: string; status: string }[] = [];
    for (let i = 0; i < 100 && runs[0]?.status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = (await db.query(
        `SELECT trigger, status FROM sync_run WHERE sync = 'master-data'`,
      )) as typeof runs;
    }
    expect(runs).toEqual([{ trigger: 'schedule', status: 'succeeded' }]);
    expect(await db.query(`SELECT sku FROM md_item`)).toEqual([{ sku: 'HX-2040-BLK' }]);
  });
});

describe('master-data sync at shutdown', () => {
  it('stops a running sync, records it as failed and lets the app close', async () => {
    const feed = new InMemoryMasterDataFeed('test-erp');
    const hub = await startMasterDataTestApp(feed);
    await resetMasterData(hub);
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['ops:admin'] });
    feed.put('items', 'itm-1', at(1), anItem());
    feed.pause();
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data`, {
      method: 'POST',
      headers: bearer(apiKey),
    });
    const { id } = (await res.json()) as RunBody;

    // The feed stays paused: close() returning at all shows shutdown does not wait for it.
    await hub.close();

    const db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      const { rows } = await db.query<{ status: string; error: string }>(
        'SELECT status, error FROM sync_run WHERE id = $1',
        [id],
      );
      expect(rows[0].status).toBe('failed');
      expect(rows[0].error).toContain('items: Stopped: the instance is shutting down.');
    } finally {
      await db.end();
    }
  });
});
