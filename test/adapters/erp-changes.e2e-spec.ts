import pg from 'pg';
import { DataSource } from 'typeorm';
import { CloudErpChanges } from '../../src/adapters/erp/cloud/changes/cloud-erp-changes.service.js';
import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { OnPremChangePoller } from '../../src/adapters/erp/onprem/changes/onprem-change.poller.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../../src/erp-simulators/onprem/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { freePort } from '../support/free-port.js';
import { SYNC_CRONS_OFF } from '../support/quiet-hub.js';
import { startTestApp, type TestApp, testDatabaseUrl } from '../support/test-app.js';
import { cloudErpEnv } from './erp-adapter-test-support.js';

const dataset: DemoDataset = generateDemoDataset({ scale: 1 });
const CLIENT_STATE = 'erp-changes-e2e-client-state-secret';
const DAY_MS = 24 * 3600_000;

/** Polls `probe` until it yields a value; fails after a generous bound, never asserts timing. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined> | T | null | undefined,
): Promise<T> {
  const giveUpAt = Date.now() + 100_000;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function hubValue(hub: TestApp, sql: string, params: unknown[]): Promise<string | null> {
  const rows = (await hub.app.get(DataSource).query(sql, params)) as { v: string | null }[];
  return rows[0]?.v ?? null;
}

describe('ERP changes reach the hub between schedules: cloud ERP (BC webhooks, fallback poll)', () => {
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  /** How far the subscriptions' clock (expiry, renewal) runs ahead of the wall clock. */
  let subscriptionClockAhead = 0;

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({
      dataset,
      // BC waits 30 s before notifying; the test only needs the batching, not the wait.
      subscriptions: {
        notificationDelayMs: 200,
        retryDelaysMs: [200],
        now: () => Date.now() + subscriptionClockAhead,
      },
    });
    const port = await freePort();
    hub = await startTestApp({
      ...SYNC_CRONS_OFF,
      ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
      PORT: String(port),
      HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CLOUD_ERP_WEBHOOK_CLIENT_STATE: CLIENT_STATE,
      ERP_CHANGE_POLL_SECONDS: '1',
      ERP_CHANGE_DEBOUNCE_MS: '0',
    });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await sandbox?.close();
  });

  it('subscribes to customers, items, sales orders and invoices after the validation handshake, and says so in /health/ready', async () => {
    const subscriptions = await eventually('four BC subscriptions', () => {
      const list = sandbox.subscriptions.list();
      return list.length >= 4 ? list : null;
    });
    expect(subscriptions.map((s) => s.resource.split('/').pop()).sort()).toEqual([
      'customers',
      'items',
      'salesInvoices',
      'salesOrders',
    ]);
    for (const s of subscriptions) {
      expect(s.notificationUrl).toBe(`${hub.baseUrl}/erp/cloud/notifications`);
      expect(s.clientState).toBe(CLIENT_STATE);
    }
    expect(sandbox.subscriptions.stats.handshakes).toBeGreaterThanOrEqual(2);

    const ready = (await (await fetch(`${hub.baseUrl}/health/ready`)).json()) as {
      details: Record<string, Record<string, unknown>>;
    };
    const changes = ready.details.erpChanges;
    expect(changes).toMatchObject({ mode: 'webhooks+polling', pollSeconds: 1 });
    expect(changes?.polled).toEqual(expect.arrayContaining(['locations']));
  }, 120_000);

  it('blocks a customer blocked in the ERP once BC notifies the hub', async () => {
    const customer = dataset.customers.find((c) => c.status === 'ACTIVE' && !c.parentCustomerNo);
    if (!customer) throw new Error('dataset without an active customer');
    const delivered = sandbox.subscriptions.stats.notificationsSent;
    sandbox.store.mutate('customers', customer.customerNo, { status: 'BLOCKED' });

    await eventually('the customer blocked in the hub', async () =>
      (await hubValue(hub, 'SELECT status AS v FROM md_customer WHERE erp_id = $1', [
        customer.customerNo,
      ])) === 'BLOCKED'
        ? true
        : null,
    );
    // It came by webhook: customers are not polled while their subscription lives.
    expect(sandbox.subscriptions.stats.notificationsSent).toBeGreaterThan(delivered);
    expect(sandbox.subscriptions.stats.log.at(-1)?.status).toBe(202);
  }, 120_000);

  it('refuses a notification that does not carry the clientState secret', async () => {
    const res = await fetch(`${hub.baseUrl}/erp/cloud/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: 'forged',
            clientState: 'not-the-secret',
            expirationDateTime: new Date(Date.now() + DAY_MS).toISOString(),
            resource: `/api/v2.0/companies(${sandbox.companyId})/customers`,
            changeType: 'collection',
          },
        ],
      }),
    });
    expect(res.status).toBe(401);
    expect(
      hub.logs.some((l) => String(l.msg).includes('BC notification refused: clientState mismatch')),
    ).toBe(true);
  });

  it('finds a change to an entity set without webhooks (locations) by the fallback poll', async () => {
    const warehouse = dataset.warehouses[0];
    sandbox.store.mutate('locations', warehouse.code, { name: 'Renamed In The ERP' });
    await eventually('the warehouse renamed in the hub', async () =>
      (await hubValue(hub, 'SELECT name AS v FROM md_warehouse WHERE code = $1', [
        warehouse.code,
      ])) === 'Renamed In The ERP'
        ? true
        : null,
    );
  }, 120_000);

  it('renews subscriptions before the 3-day expiry and re-creates those BC dropped', async () => {
    const manager = hub.app.get(CloudErpChanges).subscriptions;
    if (!manager) throw new Error('webhooks are configured in this suite');
    const before = sandbox.subscriptions.list();
    const handshakes = sandbox.subscriptions.stats.handshakes;

    // Two days on, one day is left: under the renewal margin.
    subscriptionClockAhead = 2 * DAY_MS;
    const renewed = await manager.ensure(new Date(Date.now() + subscriptionClockAhead));
    expect(renewed.map((s) => s.action)).toEqual(['renewed', 'renewed', 'renewed', 'renewed']);
    const after = sandbox.subscriptions.list();
    expect(after.map((s) => s.subscriptionId).sort()).toEqual(
      before.map((s) => s.subscriptionId).sort(),
    );
    for (const s of after) {
      const old = before.find((b) => b.subscriptionId === s.subscriptionId);
      expect(Date.parse(s.expirationDateTime)).toBeGreaterThan(
        Date.parse(old?.expirationDateTime ?? ''),
      );
    }
    // A renewal repeats the handshake.
    expect(sandbox.subscriptions.stats.handshakes).toBe(handshakes + 4);

    // Nothing left to do the next hour.
    const kept = await manager.ensure(new Date(Date.now() + subscriptionClockAhead));
    expect(kept.map((s) => s.action)).toEqual(['kept', 'kept', 'kept', 'kept']);

    // Past the renewed expiry, BC has dropped them: created anew.
    subscriptionClockAhead = 6 * DAY_MS;
    expect(sandbox.subscriptions.list()).toEqual([]);
    const recreated = await manager.ensure(new Date(Date.now() + subscriptionClockAhead));
    expect(recreated.map((s) => s.action)).toEqual(['created', 'created', 'created', 'created']);
    const fresh = sandbox.subscriptions.list();
    expect(fresh).toHaveLength(4);
    expect(fresh.some((s) => before.some((b) => b.subscriptionId === s.subscriptionId))).toBe(
      false,
    );
  }, 120_000);
});

describe('ERP changes reach the hub between schedules: on-prem ERP (frequent change poll)', () => {
  let hub: TestApp;
  let erpUrl: string;
  let sql: pg.Client;

  beforeAll(async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = `${url.pathname}_erp_changes`;
    erpUrl = url.toString();
    await dropDatabaseIfExists(erpUrl);
    await prepareOnPremErpDatabase(erpUrl, { scale: 1 });
    sql = new pg.Client({ connectionString: erpUrl });
    await sql.connect();
    hub = await startTestApp({
      ...SYNC_CRONS_OFF,
      ERP_ADAPTER: 'onprem',
      ERP_ONPREM_DATABASE_URL: erpUrl,
      ERP_CHANGE_POLL_SECONDS: '1',
      ERP_CHANGE_DEBOUNCE_MS: '0',
    });
  }, 180_000);
  afterAll(async () => {
    await hub?.close();
    await sql?.end();
    if (erpUrl) await dropDatabaseIfExists(erpUrl);
  });

  it('a customer blocked in the ERP database is blocked in the hub without a scheduled sync', async () => {
    const { rows } = await sql.query<{ customer_no: string }>(
      `SELECT customer_no FROM ar_customer WHERE status = 'ACTIVE' ORDER BY customer_no LIMIT 1`,
    );
    const customerNo = rows[0].customer_no;
    // The poll takes its baseline first: change the ERP only once it has looked.
    await eventually('a first look', () =>
      (hub.app.get(OnPremChangePoller).poller?.stats.looks ?? 0) > 0 ? true : null,
    );
    await sql.query(`UPDATE ar_customer SET status = 'BLOCKED' WHERE customer_no = $1`, [
      customerNo,
    ]);
    await eventually('the customer blocked in the hub', async () =>
      (await hubValue(hub, 'SELECT status AS v FROM md_customer WHERE erp_id = $1', [
        customerNo,
      ])) === 'BLOCKED'
        ? true
        : null,
    );
  }, 120_000);

  it('says in /health/ready that changes are polled', async () => {
    const ready = (await (await fetch(`${hub.baseUrl}/health/ready`)).json()) as {
      details: Record<string, Record<string, unknown>>;
    };
    expect(ready.details.erpChanges).toMatchObject({ mode: 'polling', pollSeconds: 1 });
  });

  it('stock changed in the ERP database reaches the hub without a scheduled sync', async () => {
    const { rows } = await sql.query<{ item_no: string; warehouse_code: string; lot_no: string }>(
      `SELECT item_no, warehouse_code, lot_no FROM in_balance ORDER BY 1, 2, 3 LIMIT 1`,
    );
    const key = [rows[0].item_no, rows[0].warehouse_code, rows[0].lot_no];
    await sql.query(
      `UPDATE in_balance SET on_hand_qty = 4321 WHERE item_no = $1 AND warehouse_code = $2 AND lot_no = $3`,
      key,
    );
    await eventually('the new on-hand quantity in the hub', async () => {
      const v = await hubValue(
        hub,
        `SELECT on_hand::text AS v FROM inv_erp_balance WHERE sku = $1 AND warehouse_code = $2 AND lot_no = $3`,
        key,
      );
      return v !== null && Number(v) === 4321 ? true : null;
    });
  }, 120_000);
});
