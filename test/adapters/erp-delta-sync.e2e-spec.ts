import pg from 'pg';
import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../../src/erp-simulators/onprem/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp, testDatabaseUrl } from '../support/test-app.js';
import { resetMasterData } from '../master-data/master-data-test-app.js';
import { cloudErpEnv, MANUAL_SYNC_ENV, syncMasterData } from './erp-adapter-test-support.js';

/** An ERP-side editor: what a user of that ERP changes between two syncs. */
interface ErpEdits {
  env: Record<string, string>;
  changeCreditLimit(customerNo: string, limit: string): Promise<void>;
  changeShipToCity(customerNo: string, code: string, city: string): Promise<void>;
  /** A customer with a status the adapter cannot map; resolves to its sourceId. */
  addUnmappableCustomer(): Promise<string>;
  close(): Promise<void>;
}

const dataset: DemoDataset = generateDemoDataset({ scale: 1 });

async function onPremErp(): Promise<ErpEdits> {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp_delta`;
  const erpUrl = url.toString();
  await dropDatabaseIfExists(erpUrl);
  await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  const sql = new pg.Client({ connectionString: erpUrl });
  await sql.connect();
  return {
    env: { ERP_ADAPTER: 'onprem', ERP_ONPREM_DATABASE_URL: erpUrl },
    changeCreditLimit: async (no, limit) => {
      await sql.query('UPDATE ar_customer SET credit_limit = $2 WHERE customer_no = $1', [
        no,
        limit,
      ]);
    },
    changeShipToCity: async (no, code, city) => {
      await sql.query(
        'UPDATE ar_ship_to SET city = $3 WHERE customer_no = $1 AND ship_to_code = $2',
        [no, code, city],
      );
    },
    addUnmappableCustomer: async () => {
      await sql.query('ALTER TABLE ar_customer DROP CONSTRAINT ar_customer_status_check');
      await sql.query(
        `INSERT INTO ar_customer (customer_no, name, status, credit_limit, balance_due, terms_code,
           currency_code, address_line1, city, country_code)
         VALUES ('C99002', 'On Hold Ltd.', 'ON_HOLD', 100, 0, 'NET30', 'USD', '1 Main St', 'Reno', 'US')`,
      );
      return 'C99002';
    },
    close: async () => {
      await sql.end();
      await dropDatabaseIfExists(erpUrl);
    },
  };
}

async function cloudErp(): Promise<ErpEdits> {
  const sandbox: CloudErpSandbox = await startCloudErpSandbox({ dataset });
  return {
    env: cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
    changeCreditLimit: async (no, creditLimit) => {
      sandbox.store.mutate('customers', no, { creditLimit });
    },
    changeShipToCity: async (no, code, city) => {
      sandbox.store.mutate('shipToAddresses', `${no}|${code}`, { city });
    },
    addUnmappableCustomer: async () =>
      sandbox.store.insert('customers', {
        ...dataset.customers[1],
        id: undefined,
        customerNo: 'C99002',
        name: 'On Hold Ltd.',
        status: 'ON_HOLD',
      }).id,
    close: () => sandbox.close(),
  };
}

describe.each([
  ['onprem', onPremErp],
  ['cloud', cloudErp],
])('delta sync through the %s adapter', (_adapter, createErp) => {
  let erp: ErpEdits;
  let hub: TestApp;

  beforeAll(async () => {
    erp = await createErp();
    // No overlap window: the ERP was loaded seconds ago, and the test is about the watermark.
    hub = await startTestApp({ ...MANUAL_SYNC_ENV, ...erp.env, MASTER_DATA_SYNC_LAG_SECONDS: '0' });
    // Start from an empty hub: earlier suites in the shared database leave the same demo records,
    // which a full sync would find unchanged.
    await resetMasterData(hub);
  });
  afterAll(async () => {
    await hub?.close();
    await erp?.close();
  });

  it('syncs only what changed since the watermark (a ship-to alone too), and reports an unmappable row as an exception', async () => {
    const full = await syncMasterData(hub);
    expect(full.status).toBe('succeeded');
    expect(full.entities.items.upserted).toBeGreaterThan(0);

    const customer = dataset.customers.find(
      (c) => c.creditLimit !== '0.00' && c.status === 'ACTIVE',
    );
    const shipTo = dataset.shipTos.find((s) => s.customerNo !== customer?.customerNo);
    if (!customer || !shipTo) throw new Error('dataset without the cases this test needs');
    await erp.changeCreditLimit(customer.customerNo, '98765.43');
    await erp.changeShipToCity(shipTo.customerNo, shipTo.code, 'Springfield');
    const unmappable = await erp.addUnmappableCustomer();

    const delta = await syncMasterData(hub);
    expect(delta.status).toBe('completed_with_errors');
    expect(delta.entities.customers).toMatchObject({ upserted: 2, invalid: 1 });
    expect(delta.entities.items).toMatchObject({ upserted: 0, invalid: 0 });
    expect(delta.entities.customers.read).toBeLessThan(dataset.customers.length);

    const { apiKey } = await createTestChannel(hub.app, {
      scopes: ['master-data:read', 'ops:admin'],
    });
    const read = async (no: string) =>
      (await (
        await fetch(`${hub.baseUrl}/v1/customers/${no}`, { headers: bearer(apiKey) })
      ).json()) as {
        creditLimit: string;
        shipTos: { code: string; city: string }[];
      };
    expect((await read(customer.customerNo)).creditLimit).toBe('98765.4300');
    const moved = await read(shipTo.customerNo);
    expect(moved.shipTos.find((s) => s.code === shipTo.code)?.city).toBe('Springfield');

    // Read again from the watermark (the unmappable row, the last change, sits on it): nothing
    // rewritten, and the same open exception updated rather than a second one.
    const again = await syncMasterData(hub);
    expect(again.entities.customers).toMatchObject({ upserted: 0, invalid: 1 });
    const res = await fetch(`${hub.baseUrl}/v1/ops/exceptions?type=sync.record_invalid`, {
      headers: bearer(apiKey),
    });
    const { items } = (await res.json()) as {
      items: { reference: string | null; error: { message: string } }[];
    };
    const mine = items.filter((e) => e.reference === unmappable);
    expect(mine).toHaveLength(1);
    expect(mine[0].error.message).toMatch(/status/i);
  });
});
