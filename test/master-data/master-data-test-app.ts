import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/index.js';
import { MasterDataFeed, MasterDataWriter } from '../../src/modules/master-data/index.js';
import { createApp } from '../../src/platform/http/create-app.js';
import { TEST_POOL_TIMEOUT_MS, testDatabaseUrl, type TestApp } from '../support/test-app.js';

/** Binds a feed (and a writer) the way ErpAdapterModule does: a global module exporting the ports. */
function feedModule(feed: MasterDataFeed, writer?: MasterDataWriter): DynamicModule {
  @Global()
  @Module({})
  class TestFeedModule {}
  return {
    module: TestFeedModule,
    providers: [
      { provide: MasterDataFeed, useValue: feed },
      ...(writer ? [{ provide: MasterDataWriter, useValue: writer }] : []),
    ],
    exports: writer ? [MasterDataFeed, MasterDataWriter] : [MasterDataFeed],
  };
}

/**
 * The whole hub on a real port, like startTestApp, plus a MasterDataFeed bound (or none, to
 * prove the 503). Schedules are off so that no cron tick races a test.
 */
export async function startMasterDataTestApp(
  feed: MasterDataFeed | null,
  env: Record<string, string> = {},
  /** The ERP's write side; without one, write-backs fail into the exception queue. */
  writer?: MasterDataWriter,
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_POOL_TIMEOUT_MS: TEST_POOL_TIMEOUT_MS,
    PORT: '0',
    JOBS_ENABLED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    MASTER_DATA_SYNC_PAGE_SIZE: '3',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  class MasterDataTestRoot {}
  const root: DynamicModule = {
    module: MasterDataTestRoot,
    imports: [
      // The test binds its own MasterDataFeed (or none, for the 503): no ERP adapter set.
      AppModule.forRoot(config, { logDestination: sink, erpAdapter: false }),
      ...(feed ? [feedModule(feed, writer)] : []),
    ],
  };
  const app = await createApp(root, config, { swaggerUi: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, config, baseUrl, logs, close: () => app.close() };
}

/** Empties the master-data tables and this suite's sync exceptions: each test starts clean. */
export async function resetMasterData(hub: TestApp): Promise<void> {
  const db = hub.app.get(DataSource);
  await db.query(`TRUNCATE md_ship_to, md_customer, md_item_uom, md_item, md_warehouse`);
  await db.query(`DELETE FROM sync_watermark WHERE stream LIKE 'master-data:%'`);
  await db.query(`DELETE FROM sync_run WHERE sync = 'master-data'`);
  await db.query(`DELETE FROM ops_exception WHERE type = 'sync.record_invalid'`);
}
