import type pg from 'pg';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import type { TestApp } from '../support/test-app.js';
import { orderChannel, startOrdersHub, syncEverything } from './orders-test-support.js';
import {
  type Captured,
  captureAll,
  checkErpOrders,
  connectTestDb,
  foundByLookUp,
  orderRequests,
  pickPostingFixtures,
  postingDataset,
  postingJobRetries,
  segmentsOf,
  waitAllPosted,
  waitJobsSettled,
} from './posting-test-support.js';

const ORDERS = 40;
/**
 * How long the faults last from the first order on. pg-boss doubles the wait before each retry
 * (1–2 s, 2–4 s, 4–8 s, 8–16 s, …): at about one failed attempt in three, a segment now and then
 * fails five times running and waits most of a minute. Ending the faults bounds the run (about
 * window + 8 s) while every segment's first attempts still meet them.
 */
const FAULT_WINDOW_MS = 8_000;

/**
 * Exactly-once ERP posting against a cloud ERP that fails the ways Business Central online does:
 * 5xx answers (20 %), requests that never answer (5 %; the client gives up after 1 s), and creates
 * that are committed but whose answer is lost (10 % of writes). Every order still ends POSTED
 * with exactly one ERP order per segment, carrying the segment's customer, lines and prices.
 */
describe('ERP posting under cloud ERP faults', () => {
  const dataset = postingDataset();
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({
      dataset,
      // No 429s here (cloud-erp-faults covers them): room for the hub's 8 requests at once.
      rateLimit: { requests: 1_000_000, windowSeconds: 300, maxConcurrent: 16, maxQueued: 200 },
    });
    hub = await startOrdersHub(
      cloudErpEnv(sandbox, {
        CLOUD_ERP_TIMEOUT_MS: '1000',
        CLOUD_ERP_RATE_LIMIT: '1000000',
        CLOUD_ERP_MAX_CONCURRENT: '8',
        ORDERS_POSTING_CONCURRENCY: '8',
        ORDERS_POSTING_RETRY_LIMIT: '10',
        ORDERS_POSTING_RETRY_DELAY_SECONDS: '1',
      }),
    );
    // The sync is not what this suite is about: it runs before the faults are switched on.
    await syncEverything(hub);
    db = await connectTestDb();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await hub?.close();
    await sandbox?.close();
  });

  it('posts every segment exactly once despite 5xx, timeouts and lost answers', async () => {
    const shop = await orderChannel(hub, 'ecommerce');
    const fixtures = await pickPostingFixtures(hub, shop, dataset, {
      customers: 6,
      stocked: 8,
      dropShip: 3,
      minAtp: 40,
    });
    sandbox.stats.reset();
    sandbox.faults.set({
      errorRate5xx: 0.2,
      timeoutRate: 0.05,
      timeoutHoldMs: 5_000,
      commitThenDropRate: 0.1,
      latencyMs: [2, 30],
    });

    const started = Date.now();
    const calm = setTimeout(
      () => sandbox.faults.set({ errorRate5xx: 0, timeoutRate: 0, commitThenDropRate: 0 }),
      FAULT_WINDOW_MS,
    );
    let captured: Captured[];
    let postedMs: number;
    try {
      captured = await captureAll(
        hub.baseUrl,
        shop,
        orderRequests(fixtures, ORDERS, { prefix: 'FAULT', twoSegmentEvery: 3 }),
      );
      postedMs = await waitAllPosted(
        db,
        captured.map((c) => c.id),
        40_000,
      );
    } finally {
      clearTimeout(calm);
    }
    const ids = captured.map((c) => c.id);
    const stats = sandbox.stats;

    const segments = await segmentsOf(db, ids);
    expect(segments).toHaveLength(captured.reduce((n, c) => n + c.segments, 0));
    expect(segments.filter((s) => s.document.dropShipSupplierId !== null).length).toBe(
      Math.ceil(ORDERS / 3),
    );
    const check = checkErpOrders(sandbox, segments);
    expect(check).toEqual({
      erpOrders: segments.length,
      duplicates: [],
      lost: [],
      mismatches: [],
    });
    expect(stats.duplicateExternalDocumentNumbers).toBe(0);
    // Nothing left to run: every posting job completed.
    expect(
      await waitJobsSettled(
        db,
        segments.map((s) => s.id),
        10_000,
      ),
    ).toEqual({ completed: segments.length });

    // The faults did happen, on the postings themselves...
    expect(stats.errors5xx).toBeGreaterThan(0);
    expect(stats.timeouts).toBeGreaterThan(0);
    expect(stats.commitThenDrop).toBeGreaterThan(0);
    // ...and creates whose answer was lost were found by the next attempt's look-up.
    const refs = new Set(segments.map((s) => s.externalReference));
    const found = foundByLookUp(
      hub.logs.filter((l) => typeof l.segment === 'string' && refs.has(l.segment)),
    );
    expect(found).toBeGreaterThan(0);
    const { retried, retries, most } = await postingJobRetries(
      db,
      segments.map((s) => s.id),
    );
    expect(retried).toBeGreaterThan(0);
    process.stdout.write(
      `posting faults: ${ORDERS} orders, ${segments.length} segments, ${check.erpOrders} ERP ` +
        `orders, ${check.duplicates.length} duplicates, ${check.lost.length} lost; sandbox ` +
        `${stats.requests} requests, ${stats.errors5xx} 5xx, ${stats.timeouts} timeouts, ` +
        `${stats.commitThenDrop} commit-then-drop, ${stats.salesOrdersCreated} creates; ` +
        `${found} found by look-up, ${retried} postings retried (${retries} retries, at most ` +
        `${most} for one); all POSTED ` +
        `${postedMs} ms after capture (${Date.now() - started} ms in all)\n`,
    );
  }, 90_000);
});
