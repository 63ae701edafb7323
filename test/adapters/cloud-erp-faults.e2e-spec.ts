import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { resetMasterData } from '../master-data/master-data-test-app.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  cloudErpEnv,
  MANUAL_SYNC_ENV,
  snapshotMasterData,
  sourceIds,
  syncMasterData,
} from './erp-adapter-test-support.js';

const MAX_CONCURRENT = 3;

/**
 * The cloud adapter against an ERP that misbehaves the ways Business Central online does: 5xx
 * answers, slow answers, requests that never answer, and 429s (seeded ones, as when other clients
 * load the tenant, and bursts over a rate limit lower than the client is configured for). Every
 * fault kind is drawn from the sandbox's seeded PRNG, so each occurs however slow the machine. A full sync still ends with exactly
 * the ERP's records, and the ERP never sees more requests at once than the configured limit,
 * timed-out ones included (the client keeps their slot until the ERP has seen them go).
 */
describe('cloud ERP adapter under faults', () => {
  let dataset: DemoDataset;
  let sandbox: CloudErpSandbox;
  let hub: TestApp;

  beforeAll(async () => {
    dataset = generateDemoDataset({ scale: 1 });
    sandbox = await startCloudErpSandbox({
      dataset,
      rateLimit: { requests: 20, windowSeconds: 1 },
      faults: {
        errorRate5xx: 0.2,
        latencyMs: [2, 40],
        timeoutRate: 0.05,
        // 429s that come whatever our speed: a loaded machine may never reach the rate limit.
        throttleRate: 0.04,
        timeoutHoldMs: 10_000,
      },
    });
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      ...cloudErpEnv(sandbox, {
        // 60 requests/s against the ERP's 20: bursts of 429 with Retry-After.
        CLOUD_ERP_RATE_LIMIT: String(60 * 300),
        CLOUD_ERP_MAX_CONCURRENT: String(MAX_CONCURRENT),
        CLOUD_ERP_TIMEOUT_MS: '1000',
        // Small pages: enough requests (~200) that every fault kind surely happens.
        MASTER_DATA_SYNC_PAGE_SIZE: '100',
      }),
    });
    // A full sync into empty tables: master data and watermarks other suites left in the shared
    // test database must count neither for nor against this sync (CI saw one stray UoM row).
    await resetMasterData(hub);
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await sandbox?.close();
  });

  // Bounded by the sync finishing, not by its speed: on a loaded machine it may take minutes.
  it('completes a full sync with exactly the ERP records, never over the concurrency limit', async () => {
    sandbox.stats.reset();
    const run = await syncMasterData(hub);

    expect(run).toMatchObject({ status: 'succeeded', error: null });
    for (const kind of ['warehouses', 'customers', 'items'] as const) {
      expect(run.entities[kind]).toMatchObject({ invalid: 0, error: null });
    }
    const data = await snapshotMasterData(hub, dataset);
    expect(data.customers).toHaveLength(dataset.customers.length);
    expect(data.shipTos).toHaveLength(dataset.shipTos.length);
    expect(data.items).toHaveLength(dataset.items.length);
    expect(new Set(data.itemUoms.map((u) => `${String(u.sku)} ${String(u.uom)}`))).toEqual(
      new Set(dataset.items.flatMap((i) => i.uoms.map((u) => `${i.sku} ${u.uomCode}`))),
    );
    expect(data.itemUoms).toHaveLength(dataset.items.reduce((n, i) => n + i.uoms.length, 0));
    expect(data.warehouses).toHaveLength(dataset.warehouses.length);
    const ids = await sourceIds(hub, dataset);
    expect(new Set(ids.customers)).toEqual(new Set(dataset.customers.map((c) => c.id)));
    expect(new Set(ids.items)).toEqual(new Set(dataset.items.map((i) => i.id)));
    expect(new Set(ids.warehouses)).toEqual(new Set(dataset.warehouses.map((w) => w.id)));

    const stats = sandbox.stats;
    // The faults did happen...
    expect(stats.requests).toBeGreaterThan(100);
    expect(stats.errors5xx).toBeGreaterThanOrEqual(stats.requests * 0.05);
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.timeouts).toBeGreaterThan(0);
    // ...and the ERP never had more of our requests in flight than we are allowed.
    expect(stats.maxConcurrent).toBeLessThanOrEqual(MAX_CONCURRENT);
    process.stdout.write(
      `cloud faults: ${stats.requests} requests, ${stats.errors5xx} 5xx, ${stats.throttled} 429, ` +
        `${stats.timeouts} timeouts, max ${stats.maxConcurrent} in flight\n`,
    );
  }, 300_000);
});
