import pg from 'pg';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import { OnPremPriceDataFeed } from '../../src/adapters/erp/onprem/pricing/onprem-price-data.feed.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../../src/erp-simulators/onprem/index.js';
import { freePort } from '../support/free-port.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { describePriceDataFeedContract } from './price-data-feed.contract.js';

/**
 * The on-prem adapter against a real PostgreSQL ERP database of its own (the reference schema
 * with the scale-1 demo dataset), edited with SQL as the ERP's own programs would.
 */
describePriceDataFeedContract('onprem', async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_pricing_contract`;
  const erpUrl = url.toString();
  await dropDatabaseIfExists(erpUrl);
  await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  const dataset = generateDemoDataset({ scale: 1 });
  const erp = new OnPremErpConnection({ url: erpUrl });
  const sql = new pg.Client({ connectionString: erpUrl });
  await sql.connect();
  const unreachable: OnPremErpConnection[] = [];
  return {
    feed: new OnPremPriceDataFeed(erp),
    dataset,
    sourceIdOf: {
      priceList: (l) => l.code,
      entry: (line, brk) =>
        `${line.priceListCode}|${line.sku}|${line.uomCode}|${brk?.minQty ?? '0'}`,
      contract: (c) => c.contractNo,
      promotion: (p) => p.code,
    },
    changeLinePrice: async (line, unitPrice) => {
      await sql.query(
        `UPDATE pr_price_list_line SET unit_price = $4
          WHERE price_list_code = $1 AND item_no = $2 AND uom_code = $3`,
        [line.priceListCode, line.sku, line.uomCode, unitPrice],
      );
    },
    addCustomerScope: async (promotion, customerNo) => {
      await sql.query(
        `INSERT INTO pr_promotion_scope (promotion_code, scope_no, scope_type, customer_no)
         VALUES ($1, $2, 'CUSTOMER', $3)`,
        [promotion.code, promotion.scopes.length + 1, customerNo],
      );
    },
    deleteContract: async (contract) => {
      await sql.query(`DELETE FROM pr_contract WHERE contract_no = $1`, [contract.contractNo]);
    },
    reportsDeletes: true,
    unreachableFeed: async () => {
      const dead = new OnPremErpConnection({
        url: `postgres://postgres@127.0.0.1:${await freePort()}/nothing`,
      });
      unreachable.push(dead);
      return new OnPremPriceDataFeed(dead);
    },
    close: async () => {
      await sql.end();
      await erp.onApplicationShutdown();
      for (const dead of unreachable) await dead.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    },
  };
});
