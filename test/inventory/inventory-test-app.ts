import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/index.js';
import {
  InventoryFeed,
  InventoryService,
  type SkuAvailability,
} from '../../src/modules/inventory/index.js';
import {
  type Item,
  MasterDataFeed,
  SyncMasterDataCommand,
  type Warehouse,
} from '../../src/modules/master-data/index.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import { createApp } from '../../src/platform/http/create-app.js';
import { TEST_POOL_TIMEOUT_MS, testDatabaseUrl, type TestApp } from '../support/test-app.js';
import { anItem, aWarehouse } from '../master-data/master-data.fixtures.js';
import { InMemoryInventoryFeed } from './in-memory-inventory-feed.js';

export const WAREHOUSES = ['WH-EAST', 'WH-WEST', 'WH-NORTH'] as const;

/** Binds the ERP ports the way ErpAdapterModule will: a global module exporting them. */
function erpFeeds(masterData: MasterDataFeed, inventory: InventoryFeed): DynamicModule {
  @Global()
  @Module({})
  class TestErpFeedsModule {}
  return {
    module: TestErpFeedsModule,
    providers: [
      { provide: MasterDataFeed, useValue: masterData },
      { provide: InventoryFeed, useValue: inventory },
    ],
    exports: [MasterDataFeed, InventoryFeed],
  };
}

export interface InventoryHub extends TestApp {
  inventory: InventoryService;
  db: DataSource;
  masterData: InMemoryMasterDataFeed;
  erp: InMemoryInventoryFeed;
}

/**
 * The whole hub on a real port with in-memory ERP feeds bound. Jobs run (the outbox publisher
 * with them); the cron syncs are off so that no tick races a test; no overlap window, so a sync
 * sees (and absorbs hand-overs up to) the moment it starts.
 */
export async function startInventoryHub(
  env: Record<string, string> = {},
  feeds: { masterData?: InMemoryMasterDataFeed; erp?: InMemoryInventoryFeed } = {},
): Promise<InventoryHub> {
  const masterData = feeds.masterData ?? new InMemoryMasterDataFeed('test-erp');
  const erp = feeds.erp ?? new InMemoryInventoryFeed('test-erp');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_POOL_TIMEOUT_MS: TEST_POOL_TIMEOUT_MS,
    PORT: '0',
    MASTER_DATA_SYNC_CRON: 'off',
    INVENTORY_SYNC_CRON: 'off',
    INVENTORY_SYNC_LAG_SECONDS: '0',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  // The app's own ERP adapter stays unbound: the in-memory feeds are the ERP here.
  class InventoryTestRoot {}
  const root: DynamicModule = {
    module: InventoryTestRoot,
    imports: [
      AppModule.forRoot(config, { logDestination: sink, erpAdapter: false }),
      erpFeeds(masterData, erp),
    ],
  };
  const app = await createApp(root, config, { swaggerUi: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const hub: TestApp = { app, config, baseUrl, logs, close: () => app.close() };
  return {
    ...hub,
    inventory: hub.app.get(InventoryService),
    db: hub.app.get(DataSource),
    masterData,
    erp,
  };
}

/** A SKU no other test uses (tests share one database and never reset it). */
export const uniqueSku = (prefix = 'SKU'): string =>
  `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

/** Puts items (and the test warehouses) into the master-data feed and syncs them into the hub. */
export async function seedItems(hub: InventoryHub, items: Partial<Item>[]): Promise<void> {
  WAREHOUSES.forEach((code, i) =>
    hub.masterData.put('warehouses', `loc-${code}`, at(i), aWarehouse({ code }) as Warehouse),
  );
  for (const item of items) {
    hub.masterData.put('items', `itm-${item.sku}`, new Date().toISOString(), anItem(item));
  }
  const run = await hub.app.get(CommandBus).execute(new SyncMasterDataCommand('manual', true));
  if (run.status !== 'succeeded') throw new Error(`master-data sync failed: ${run.error}`);
}

const at = (minutes: number): string =>
  new Date(Date.parse('2026-01-01T00:00:00.000Z') + minutes * 60_000).toISOString();

/** ATP of one SKU at one warehouse (no channel rules), as a string. */
export async function atpOf(hub: InventoryHub, sku: string, warehouse: string): Promise<string> {
  const [entry]: SkuAvailability[] = await hub.inventory.availability([sku], { warehouse });
  return entry.warehouses[0]?.atp ?? '0';
}

export interface PositionRow {
  on_hand: string;
  allocated: string;
  allocation_pending: string;
  reserved: string;
  safety_stock: string;
}

export async function positionOf(
  hub: InventoryHub,
  sku: string,
  warehouse: string,
): Promise<PositionRow | undefined> {
  const rows = (await hub.db.query(
    `SELECT on_hand::text, allocated::text, allocation_pending::text, reserved::text,
            safety_stock::text
       FROM inv_position WHERE sku = $1 AND warehouse_code = $2`,
    [sku, warehouse],
  )) as PositionRow[];
  return rows[0];
}

/** A stock event as a WMS sends it. */
export const stockEvent = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  eventId: randomUUID(),
  sku: 'HX-2040-BLK',
  warehouse: 'WH-EAST',
  type: 'SNAPSHOT',
  quantity: '10',
  occurredAt: new Date().toISOString(),
  source: 'WMS-EAST',
  ...overrides,
});
