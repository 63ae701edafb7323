import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { prepareOnPremErpDatabase } from '../../src/erp-simulators/onprem/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  cloudErpEnv,
  MANUAL_SYNC_ENV,
  type MasterDataSnapshot,
  snapshotMasterData,
  sourceIds,
  syncMasterData,
} from './erp-adapter-test-support.js';

/**
 * Issue #3's promise to integration teams: switching ERP_ADAPTER is configuration only, and
 * both ERPs holding the same data give the same hub master data. The on-prem ERP is the demo
 * database the app derives from the test database (`<test db>_erp`), the cloud ERP the sandbox;
 * both hold the scale-1 demo dataset.
 */
describe('switching ERP_ADAPTER between onprem and cloud', () => {
  let dataset: DemoDataset;
  let sandbox: CloudErpSandbox;
  let hub: TestApp | undefined;
  let onprem: MasterDataSnapshot;

  beforeAll(async () => {
    dataset = generateDemoDataset({ scale: 1 });
    sandbox = await startCloudErpSandbox({ dataset });
    const erpUrl = process.env.TEST_ERP_DATABASE_URL;
    if (!erpUrl) throw new Error('TEST_ERP_DATABASE_URL is not set (jest global setup)');
    await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
  });
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('syncs every record of the on-prem ERP with ERP_ADAPTER=onprem', async () => {
    hub = await startTestApp({ ...MANUAL_SYNC_ENV, ERP_ADAPTER: 'onprem' });
    const run = await syncMasterData(hub);

    expect(run).toMatchObject({ status: 'succeeded', feed: 'onprem', error: null });
    expect(run.entities.customers.read).toBeGreaterThanOrEqual(dataset.customers.length);
    expect(run.entities.items.read).toBeGreaterThanOrEqual(dataset.items.length);
    onprem = await snapshotMasterData(hub, dataset);
    expect(onprem.customers).toHaveLength(dataset.customers.length);
    expect(onprem.shipTos).toHaveLength(dataset.shipTos.length);
    expect(onprem.items).toHaveLength(dataset.items.length);
    expect(onprem.itemUoms).toHaveLength(dataset.items.reduce((n, i) => n + i.uoms.length, 0));
    expect(onprem.warehouses).toHaveLength(dataset.warehouses.length);
    const ids = await sourceIds(hub, dataset);
    expect(ids.customers).toEqual(dataset.customers.map((c) => c.customerNo).sort());
  });

  it('gives the same hub master data with ERP_ADAPTER=cloud, and a re-sync changes nothing', async () => {
    // No pacing to wait for: this test is about the data (the fault test covers the governor).
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
    });
    const run = await syncMasterData(hub);

    expect(run).toMatchObject({ status: 'succeeded', feed: 'cloud', error: null });
    const cloud = await snapshotMasterData(hub, dataset);
    expect(cloud).toEqual(onprem);
    // Every record now comes from the cloud ERP (its GUIDs), not left over from on-prem.
    const ids = await sourceIds(hub, dataset);
    const byNo = new Map(dataset.customers.map((c) => [c.customerNo, c.id]));
    expect(ids.customers).toEqual(
      [...byNo.keys()].sort().map((customerNo) => byNo.get(customerNo)),
    );

    const again = await syncMasterData(hub);
    expect(again.status).toBe('succeeded');
    for (const kind of ['warehouses', 'customers', 'items'] as const) {
      expect(again.entities[kind].upserted).toBe(0);
    }
  });
});
