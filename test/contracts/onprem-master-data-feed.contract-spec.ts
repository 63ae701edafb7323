import pg from 'pg';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import { OnPremMasterDataFeed } from '../../src/adapters/erp/onprem/master-data/onprem-master-data.feed.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../../src/erp-simulators/onprem/index.js';
import { freePort } from '../support/free-port.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { describeMasterDataFeedContract } from './master-data-feed.contract.js';

/**
 * The on-prem adapter against a real PostgreSQL ERP database of its own (the reference schema
 * with the scale-1 demo dataset), edited with SQL as the ERP's own programs would.
 */
describeMasterDataFeedContract('onprem', async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_contract`;
  const erpUrl = url.toString();
  await dropDatabaseIfExists(erpUrl);
  await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  const dataset = generateDemoDataset({ scale: 1 });
  const erp = new OnPremErpConnection({ url: erpUrl });
  const sql = new pg.Client({ connectionString: erpUrl });
  await sql.connect();
  const unreachable: OnPremErpConnection[] = [];
  return {
    feed: new OnPremMasterDataFeed(erp),
    dataset,
    sourceIdOf: {
      customer: (c) => c.customerNo,
      item: (i) => i.sku,
      warehouse: (w) => w.code,
    },
    changeCustomerCreditLimit: async (customerNo, creditLimit) => {
      await sql.query('UPDATE ar_customer SET credit_limit = $2 WHERE customer_no = $1', [
        customerNo,
        creditLimit,
      ]);
    },
    changeShipToCity: async (customerNo, code, city) => {
      await sql.query(
        'UPDATE ar_ship_to SET city = $3 WHERE customer_no = $1 AND ship_to_code = $2',
        [customerNo, code, city],
      );
    },
    changeItemUomFactor: async (sku, uomCode, factor) => {
      await sql.query(
        'UPDATE in_item_uom SET conversion_factor = $3 WHERE item_no = $1 AND uom_code = $2',
        [sku, uomCode, factor],
      );
    },
    addUnmappableCustomer: async () => {
      // Real ERP databases often lack the reference schema's CHECK constraints.
      await sql.query('ALTER TABLE ar_customer DROP CONSTRAINT ar_customer_status_check');
      const template = dataset.customers[0].customerNo;
      await sql.query(
        `INSERT INTO ar_customer (customer_no, name, status, credit_limit, balance_due, terms_code,
           currency_code, tax_area_code, address_line1, city, state, postal_code, country_code)
         SELECT 'C99001', 'Pending Account Inc.', 'ON_HOLD', credit_limit, balance_due, terms_code,
           currency_code, tax_area_code, address_line1, city, state, postal_code, country_code
         FROM ar_customer WHERE customer_no = $1`,
        [template],
      );
      return 'C99001';
    },
    unreachableFeed: async () => {
      const dead = new OnPremErpConnection({
        url: `postgres://postgres@127.0.0.1:${await freePort()}/nothing`,
      });
      unreachable.push(dead);
      return new OnPremMasterDataFeed(dead);
    },
    close: async () => {
      await sql.end();
      await erp.onApplicationShutdown();
      for (const dead of unreachable) await dead.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    },
  };
});
