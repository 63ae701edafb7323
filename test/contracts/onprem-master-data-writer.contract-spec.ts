import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremErpConnection } from '../../src/adapters/erp/onprem/onprem-erp.connection.js';
import { OnPremMasterDataFeed } from '../../src/adapters/erp/onprem/master-data/onprem-master-data.feed.js';
import {
  ErpImportPendingError,
  OnPremMasterDataWriter,
} from '../../src/adapters/erp/onprem/master-data/onprem-master-data.writer.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
  processCustomerImports,
} from '../../src/erp-simulators/onprem/index.js';
import pg from 'pg';
import { PermanentJobError } from '../../src/platform/jobs/index.js';
import { testDatabaseUrl } from '../support/test-app.js';
import { describeMasterDataWriterContract } from './master-data-writer.contract.js';

/**
 * The on-prem writer against a real PostgreSQL ERP database (reference schema, scale-1 demo
 * dataset): changes are staged in ar_customer_import and applied by the ERP's import job, which
 * the test runs itself (`processCustomerImports`), as it would run on the ERP's scheduler.
 */
describeMasterDataWriterContract(
  'onprem',
  async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp_writer_contract`;
    const erpUrl = url.toString();
    await dropDatabaseIfExists(erpUrl);
    await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
    const dataset = generateDemoDataset({ scale: 1 });
    const erp = new OnPremErpConnection({ url: erpUrl });
    const pool = new pg.Pool({ connectionString: erpUrl, max: 2 });
    return {
      writer: new OnPremMasterDataWriter(erp),
      feed: new OnPremMasterDataFeed(erp),
      dataset,
      erpProcesses: async () => {
        await processCustomerImports(pool);
      },
      isPending: (error) => error instanceof ErpImportPendingError,
      close: async () => {
        await pool.end();
        await erp.onApplicationShutdown();
        await dropDatabaseIfExists(erpUrl);
      },
    };
  },
  { optimisticConcurrency: false },
);

describe('onprem MasterDataWriter: an import the ERP refuses', () => {
  it("fails permanently with ERP_IMPORT_REFUSED and the ERP's reason, leaving the ship-to out", async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp_writer_refused`;
    const erpUrl = url.toString();
    await dropDatabaseIfExists(erpUrl);
    await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
    const erp = new OnPremErpConnection({ url: erpUrl });
    const pool = new pg.Pool({ connectionString: erpUrl, max: 2 });
    try {
      const customerNo = generateDemoDataset({ scale: 1 }).customers[0].customerNo;
      const writer = new OnPremMasterDataWriter(erp);
      const write = {
        customerErpId: customerNo,
        shipTo: {
          code: 'BADTAX',
          name: 'Unknown tax area',
          addressLines: ['1 Main St'],
          city: 'Toledo',
          region: 'OH',
          postalCode: '43604',
          country: 'US',
          defaultWarehouseCode: null,
          taxAreaCode: 'NO-SUCH-AREA',
        },
        requestId: 'refused-1',
      };
      await expect(writer.writeShipTo(write)).rejects.toBeInstanceOf(ErpImportPendingError);
      const run = await processCustomerImports(pool);
      expect(run.failed).toHaveLength(1);
      const retried = writer.writeShipTo(write);
      await expect(retried).rejects.toBeInstanceOf(PermanentJobError);
      await expect(retried).rejects.toMatchObject({ code: 'ERP_IMPORT_REFUSED' });
      const shipTos = await pool.query(
        'SELECT 1 FROM ar_ship_to WHERE customer_no = $1 AND ship_to_code = $2',
        [customerNo, 'BADTAX'],
      );
      expect(shipTos.rowCount).toBe(0);
    } finally {
      await pool.end();
      await erp.onApplicationShutdown();
      await dropDatabaseIfExists(erpUrl);
    }
  }, 120_000);
});
