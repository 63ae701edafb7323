import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Writable } from 'node:stream';
import pg from 'pg';
import { AppModule } from '../../../src/app.module.js';
import { loadConfig } from '../../../src/config/index.js';
import { MasterDataFeed } from '../../../src/modules/master-data/index.js';
import { PriceDataFeed } from '../../../src/modules/pricing/index.js';
import { createApp } from '../../../src/platform/http/create-app.js';
import { TEST_POOL_TIMEOUT_MS, testDatabaseUrl, type TestApp } from '../../support/test-app.js';

/** Binds the feeds the way ErpAdapterModule does: a global module exporting the ports. */
function feedsModule(masterData: MasterDataFeed, prices: PriceDataFeed): DynamicModule {
  @Global()
  @Module({})
  class PricingTestFeedsModule {}
  return {
    module: PricingTestFeedsModule,
    providers: [
      { provide: MasterDataFeed, useValue: masterData },
      { provide: PriceDataFeed, useValue: prices },
    ],
    exports: [MasterDataFeed, PriceDataFeed],
  };
}

/**
 * The whole hub on a real port with in-memory ERP feeds bound. Schedules are off so that no cron
 * tick races a test; the cache does not poll (syncs refresh it).
 */
export async function startPricingTestApp(
  masterData: MasterDataFeed,
  prices: PriceDataFeed,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_POOL_TIMEOUT_MS: TEST_POOL_TIMEOUT_MS,
    PORT: '0',
    JOBS_ENABLED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    PRICING_SYNC_CRON: 'off',
    PRICING_FULL_SYNC_CRON: 'off',
    PRICING_SYNC_PAGE_SIZE: '2',
    PRICING_CACHE_REFRESH_SECONDS: '3600',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  class PricingTestRoot {}
  const root: DynamicModule = {
    module: PricingTestRoot,
    imports: [
      AppModule.forRoot(config, { logDestination: sink, erpAdapter: false }),
      feedsModule(masterData, prices),
    ],
  };
  const app = await createApp(root, config, { swaggerUi: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, config, baseUrl, logs, close: () => app.close() };
}

/**
 * Empties the hub's price data and pricing sync bookkeeping, BEFORE an app starts (its price cache
 * loads from these tables once and then follows their change sequence). Tables that do not exist
 * yet (no app has migrated this database) are fine.
 */
export async function resetPricingTables(): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(
      `TRUNCATE pr_price_list, pr_price_list_entry, pr_contract, pr_promotion, pr_quote`,
    );
    await client.query(`DELETE FROM sync_watermark WHERE stream LIKE 'pricing:%'`);
    await client.query(`DELETE FROM sync_run WHERE sync = 'pricing'`);
    await client.query(`DELETE FROM ops_exception WHERE source LIKE 'pricing:%'`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
  } finally {
    await client.end();
  }
}
