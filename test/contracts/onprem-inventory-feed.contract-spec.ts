import pg from 'pg';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremInventoryFeed } from '../../src/adapters/erp/onprem/inventory/onprem-inventory.feed.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../../src/erp-simulators/onprem/index.js';
import { freePort } from '../support/free-port.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { describeInventoryFeedContract } from './inventory-feed.contract.js';

/**
 * The on-prem adapter against a real PostgreSQL ERP database of its own (the reference schema
 * with the scale-1 demo dataset), its stock moved with SQL as the ERP's own programs would.
 */
describeInventoryFeedContract('onprem', async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_inventory_contract`;
  const erpUrl = url.toString();
  await dropDatabaseIfExists(erpUrl);
  await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  const dataset = generateDemoDataset({ scale: 1 });
  const erp = new OnPremErpConnection({ url: erpUrl });
  const sql = new pg.Client({ connectionString: erpUrl });
  await sql.connect();
  const unreachable: OnPremErpConnection[] = [];
  return {
    feed: new OnPremInventoryFeed(erp),
    dataset,
    sourceIdOf: (b) => `${b.sku}|${b.warehouseCode}|${b.lotNo ?? ''}`,
    changeBalance: async (b, onHand, allocated) => {
      await sql.query(
        `UPDATE in_balance SET on_hand_qty = $4, allocated_qty = $5
          WHERE item_no = $1 AND warehouse_code = $2 AND lot_no = $3`,
        [b.sku, b.warehouseCode, b.lotNo ?? '', onHand, allocated],
      );
    },
    unreachableFeed: async () => {
      const dead = new OnPremErpConnection({
        url: `postgres://postgres@127.0.0.1:${await freePort()}/nothing`,
      });
      unreachable.push(dead);
      return new OnPremInventoryFeed(dead);
    },
    close: async () => {
      await sql.end();
      await erp.onApplicationShutdown();
      for (const dead of unreachable) await dead.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    },
  };
});
