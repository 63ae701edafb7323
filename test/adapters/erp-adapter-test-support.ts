import { sandboxHubEnv } from '../../src/erp-simulators/cloud/index.js';
import { DataSource } from 'typeorm';
import type { DemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import type { CloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import type { TestApp } from '../support/test-app.js';

export interface SyncRunBody {
  id: string;
  status: string;
  feed: string;
  error: string | null;
  entities: Record<
    'warehouses' | 'customers' | 'items',
    {
      read: number;
      upserted: number;
      unchanged: number;
      invalid: number;
      pages: number;
      error: string | null;
    }
  >;
}

/** The environment that points the cloud adapter at a sandbox (credentials included). */
export function cloudErpEnv(
  sandbox: CloudErpSandbox,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...sandboxHubEnv(sandbox),
    ...extra,
  };
}

/** No schedule and no job workers: the test decides when a sync runs. */
export const MANUAL_SYNC_ENV = { JOBS_ENABLED: 'false', MASTER_DATA_SYNC_CRON: 'off' };

/** POST /v1/admin/sync/master-data?wait=true as an operations channel; the finished run. */
export async function syncMasterData(hub: TestApp): Promise<SyncRunBody> {
  const { apiKey } = await createTestChannel(hub.app, { scopes: ['ops:admin'] });
  const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
    method: 'POST',
    headers: bearer(apiKey),
  });
  const body = (await res.json()) as SyncRunBody;
  if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Columns that say where and when a row came from, not what the master data is. */
const PROVENANCE = /^(source_|synced_at$|change_seq$|created_at$|updated_at$|version$)/;

export interface MasterDataSnapshot {
  customers: Record<string, unknown>[];
  shipTos: Record<string, unknown>[];
  items: Record<string, unknown>[];
  itemUoms: Record<string, unknown>[];
  warehouses: Record<string, unknown>[];
}

/**
 * The hub's master data for the dataset's records, as stored, without provenance columns
 * (source ids and times differ by adapter by design). Rows of other tests' records are left out.
 */
export async function snapshotMasterData(
  hub: TestApp,
  dataset: DemoDataset,
): Promise<MasterDataSnapshot> {
  const db = hub.app.get(DataSource);
  const rows = async (sql: string, keys: string[]): Promise<Record<string, unknown>[]> => {
    const result = (await db.query(sql, [keys])) as { row: Record<string, unknown> }[];
    return result.map(({ row }) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !PROVENANCE.test(column))),
    );
  };
  const customers = dataset.customers.map((c) => c.customerNo);
  const skus = dataset.items.map((i) => i.sku);
  const warehouses = dataset.warehouses.map((w) => w.code);
  return {
    customers: await rows(
      `SELECT to_jsonb(t) AS row FROM md_customer t WHERE erp_id = ANY($1) ORDER BY erp_id`,
      customers,
    ),
    shipTos: await rows(
      `SELECT to_jsonb(t) AS row FROM md_ship_to t WHERE customer_erp_id = ANY($1)
       ORDER BY customer_erp_id, code`,
      customers,
    ),
    items: await rows(
      `SELECT to_jsonb(t) AS row FROM md_item t WHERE sku = ANY($1) ORDER BY sku`,
      skus,
    ),
    itemUoms: await rows(
      `SELECT to_jsonb(t) AS row FROM md_item_uom t WHERE sku = ANY($1) ORDER BY sku, uom`,
      skus,
    ),
    warehouses: await rows(
      `SELECT to_jsonb(t) AS row FROM md_warehouse t WHERE code = ANY($1) ORDER BY code`,
      warehouses,
    ),
  };
}

/** Source ids of the dataset's records in the hub, by kind (which adapter wrote them). */
export async function sourceIds(
  hub: TestApp,
  dataset: DemoDataset,
): Promise<{ customers: string[]; items: string[]; warehouses: string[] }> {
  const db = hub.app.get(DataSource);
  const ids = async (sql: string, keys: string[]): Promise<string[]> =>
    ((await db.query(sql, [keys])) as { source_id: string }[]).map((r) => r.source_id);
  return {
    customers: await ids(
      `SELECT source_id FROM md_customer WHERE erp_id = ANY($1) ORDER BY erp_id`,
      dataset.customers.map((c) => c.customerNo),
    ),
    items: await ids(
      `SELECT source_id FROM md_item WHERE sku = ANY($1) ORDER BY sku`,
      dataset.items.map((i) => i.sku),
    ),
    warehouses: await ids(
      `SELECT source_id FROM md_warehouse WHERE code = ANY($1) ORDER BY code`,
      dataset.warehouses.map((w) => w.code),
    ),
  };
}

/** Forgets what the hub synced, so the next sync is a full one (a fresh hub, for the adapter). */
export async function forgetSyncState(hub: TestApp): Promise<void> {
  const db = hub.app.get(DataSource);
  await db.query(`DELETE FROM sync_watermark WHERE stream LIKE 'master-data:%'`);
}
