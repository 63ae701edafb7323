import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { type TestApp, testDatabaseUrl } from '../support/test-app.js';
import {
  DemoPicker,
  nextRef,
  orderChannel,
  quotedPrice,
  startOrdersHub,
  submitOrder,
  syncEverything,
} from './orders-test-support.js';

const POOL_MAX = 4;

/**
 * Order capture when the database is too busy (a tiny connection pool, held on purpose): the hub
 * answers 503 SERVICE_BUSY with Retry-After, never 500; an order that committed keeps its own
 * answer (stored in the order's transaction), and a retry with the same Idempotency-Key replays it.
 */
describe('order capture under database pressure (tiny pool)', () => {
  const demo = new DemoPicker(0.2);
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  let shop: Record<string, string>;
  let lockClient: pg.Client;
  let body: () => Record<string, unknown>;
  let customerNo: string;
  const held: QueryRunner[] = [];

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({ dataset: demo.dataset });
    hub = await startOrdersHub(
      cloudErpEnv(sandbox, {
        CLOUD_ERP_RATE_LIMIT: '1000000',
        DATABASE_POOL_MAX: String(POOL_MAX),
        DATABASE_POOL_TIMEOUT_MS: '300',
      }),
    );
    await syncEverything(hub);
    shop = await orderChannel(hub);
    const customer = demo.goodCustomers().find((c) => c.parentCustomerNo === null);
    if (!customer) throw new Error('no top-level customer in the demo dataset');
    customerNo = customer.customerNo;
    let item: { sku: string; baseUom: string } | undefined;
    for (const candidate of demo.items(
      (i) => i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK',
    )) {
      if (
        (await quotedPrice(hub, shop, customerNo, candidate.sku, '1', candidate.baseUom)) !== null
      ) {
        item = candidate;
        break;
      }
    }
    if (!item) throw new Error('no priced stock item in the demo dataset');
    const line = { lineRef: '1', sku: item.sku, quantity: '1', uom: item.baseUom };
    body = () => ({ channelOrderRef: nextRef('BUSY'), customerId: customerNo, lines: [line] });
    lockClient = new pg.Client({ connectionString: testDatabaseUrl() });
    await lockClient.connect();
  }, 120_000);

  afterEach(async () => {
    for (const runner of held.splice(0)) await runner.release();
  });

  afterAll(async () => {
    await lockClient?.end();
    await hub?.close();
    await sandbox?.close();
  });

  /** Takes connections out of the hub's own pool (as concurrent requests would). */
  async function holdConnections(n: number): Promise<void> {
    const dataSource = hub.app.get(DataSource);
    for (let i = 0; i < n; i++) {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      held.push(runner);
    }
  }

  it('answers 503 SERVICE_BUSY with Retry-After when no connection is free, and the same key then places the order once', async () => {
    const key = `key-${nextRef()}`;
    const order = body();
    await holdConnections(POOL_MAX);

    const busy = await submitOrder(hub, shop, order, key);

    expect(busy.status).toBe(503);
    expect(busy.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(busy.body).toMatchObject({ status: 503, code: 'SERVICE_BUSY' });
    expect(busy.body).toHaveProperty('correlationId');

    for (const runner of held.splice(0)) await runner.release();
    const placed = await submitOrder(hub, shop, order, key);
    expect(placed.status).toBe(201);
    const replayed = await submitOrder(hub, shop, order, key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(placed.body.id);
  }, 60_000);

  it('answers a committed order with its own 201 although the pool is exhausted right after the commit, and replays it for the same key', async () => {
    const key = `key-${nextRef()}`;
    const order = body();
    // The capture transaction waits for the customer's credit lock (held here, outside the pool).
    const creditLock = `SELECT pg_advisory_lock(hashtextextended('credit:' || $1, 0))`;
    await lockClient.query(creditLock, [customerNo]);
    const answer = submitOrder(hub, shop, order, key);
    await waitForCaptureBlocked();
    // Every other connection taken, and one more request queued for the connection the capture
    // will give back on commit: after its commit, the request cannot get a connection again.
    await holdConnections(POOL_MAX - 1);
    const queued = hub.app.get(DataSource).createQueryRunner();
    const queuedConnect = queued.connect();
    await lockClient.query(`SELECT pg_advisory_unlock(hashtextextended('credit:' || $1, 0))`, [
      customerNo,
    ]);

    const first = await answer;

    await queuedConnect;
    held.push(queued);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('ACCEPTED');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (const runner of held.splice(0)) await runner.release();
    const retry = await submitOrder(hub, shop, order, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/v1/orders/${first.body.id}`);
    expect(retry.body).toEqual(first.body);
  }, 60_000);

  async function waitForCaptureBlocked(): Promise<void> {
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const { rows } = await lockClient.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'crossdock' AND wait_event_type = 'Lock'
            AND wait_event = 'advisory' AND datname = current_database()`,
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the capture never waited for the credit lock');
  }
});
