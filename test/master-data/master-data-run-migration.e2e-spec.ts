import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MasterDataRunsOnDeltaSync1765300000000 } from '../../src/modules/master-data/infrastructure/migrations/1765300000000-master-data-runs-on-delta-sync.js';
import { ExceptionsService } from '../../src/platform/exceptions/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import type { TestApp } from '../support/test-app.js';
import { anItem, at } from './master-data.fixtures.js';
import { resetMasterData, startMasterDataTestApp } from './master-data-test-app.js';

/**
 * A database from before master data ran on the delta-sync runner: its runs, watermarks and open
 * refused-record exceptions in master data's own spelling. Rebuilt here by running the migration
 * down (it recreates md_sync_run / md_sync_watermark), then filled the old way and migrated up.
 */
describe('migrating master-data sync runs onto the delta-sync tables', () => {
  const feed = new InMemoryMasterDataFeed('test-erp');
  const migration = new MasterDataRunsOnDeltaSync1765300000000();
  let hub: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    hub = await startMasterDataTestApp(feed);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    await resetMasterData(hub);
  });
  afterAll(async () => {
    await hub.close();
  });

  const migrate = async (direction: 'up' | 'down'): Promise<void> => {
    const runner = hub.app.get(DataSource).createQueryRunner();
    try {
      await migration[direction](runner);
    } finally {
      await runner.release();
    }
  };

  it('keeps old runs readable, the watermarks in force and open exceptions deduplicated', async () => {
    const db = hub.app.get(DataSource);
    await migrate('down');
    const runId = randomUUID();
    const counts = (read: number, invalid: number) => ({
      read,
      upserted: read - invalid,
      unchanged: 0,
      invalid,
      pages: 1,
      error: null,
      degraded: [],
    });
    await db.query(
      `INSERT INTO md_sync_run (id, trigger, status, feed, entities, started_at, finished_at,
         duration_ms, error, correlation_id)
       VALUES ($1, 'schedule', 'completed_with_errors', 'test-erp', $2::jsonb,
         '2026-05-13T08:10:00Z', '2026-05-13T08:10:02Z', 2000, NULL, 'corr-1')`,
      [
        runId,
        JSON.stringify({
          warehouses: counts(0, 0),
          customers: counts(0, 0),
          items: counts(3, 1),
        }),
      ],
    );
    await db.query(
      `INSERT INTO md_sync_watermark (entity, feed, modified_at, source_id, updated_at)
       VALUES ('items', 'test-erp', $1, 'itm-3', now())`,
      [at(5)],
    );
    await hub.app.get(ExceptionsService).record({
      type: 'sync.record_invalid',
      source: 'master-data:items',
      reference: 'itm-bad',
      payload: { No: 'SVC-1' },
      error: {
        name: 'InvalidMasterDataRecord',
        message: 'Unknown item type',
        code: 'RECORD_INVALID',
      },
      dedupeKey: 'sync.record_invalid:items:itm-bad',
    });

    await migrate('up');

    expect(
      await db.query(
        `SELECT to_regclass('md_sync_run') AS runs, to_regclass('md_sync_watermark') AS marks`,
      ),
    ).toEqual([{ runs: null, marks: null }]);
    const old = await fetch(`${hub.baseUrl}/v1/admin/sync/runs/${runId}`, { headers: admin });
    expect(old.status).toBe(200);
    expect(await old.json()).toMatchObject({
      id: runId,
      trigger: 'schedule',
      status: 'completed_with_errors',
      feed: 'test-erp',
      entities: { items: counts(3, 1), customers: counts(0, 0) },
      durationMs: 2000,
      correlationId: 'corr-1',
    });

    feed.put('items', 'itm-9', at(6), anItem({ sku: 'SKU-9' }));
    feed.putUnmappable('items', 'itm-bad', at(6), 'Unknown item type', { No: 'SVC-1' });
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ entities: { items: { upserted: 1, invalid: 1 } } });
    // The migrated watermark is where the pass started (minus the 2-minute overlap window).
    const itemReads = feed.reads.filter((r) => r.kind === 'items');
    expect(itemReads[0].request.since).toEqual({ modifiedAt: at(3), sourceId: '' });
    // The bad record read again updated its migrated exception instead of opening a second one.
    expect(
      await db.query(
        `SELECT count(*)::int AS open FROM ops_exception
         WHERE type = 'sync.record_invalid' AND reference = 'itm-bad' AND status = 'open'`,
      ),
    ).toEqual([{ open: 1 }]);
    const list = await fetch(`${hub.baseUrl}/v1/admin/sync/runs?limit=5`, { headers: admin });
    const ids = ((await list.json()) as { items: { id: string }[] }).items.map((r) => r.id);
    expect(ids).toContain(runId);
  });
});
