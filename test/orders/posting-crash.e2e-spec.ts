import type pg from 'pg';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { ORDERS_ENV, orderChannel, startOrdersHub, syncEverything } from './orders-test-support.js';
import {
  buildHub,
  captureAll,
  checkErpOrders,
  connectTestDb,
  foundByLookUp,
  type HubProcess,
  orderRequests,
  orderStatusCounts,
  pickPostingFixtures,
  type PostingFixtures,
  postingDataset,
  postingJobStates,
  segmentsOf,
  spawnHub,
  waitAllPosted,
  waitJobsSettled,
} from './posting-test-support.js';

const ORDERS = 20;

/**
 * Exactly-once ERP posting across crashes: the hub process is killed (SIGKILL: no shutdown hook,
 * transactions cut, pg-boss jobs left `active`) (a) right after it accepted orders, before most
 * postings started, and (b) at the worst moment of a posting: the ERP has just created the order
 * and the hub has not recorded it. A new process on the same database finishes the work: every
 * accepted order ends POSTED, with exactly one ERP order per segment.
 */
describe('ERP posting across hub crashes (compiled process, SIGKILL)', () => {
  const dataset = postingDataset();
  let sandbox: CloudErpSandbox;
  let db: pg.Client;
  let shop: Record<string, string>;
  let fixtures: PostingFixtures;
  let env: Record<string, string>;
  const processes: HubProcess[] = [];

  beforeAll(async () => {
    buildHub();
    sandbox = await startCloudErpSandbox({
      dataset,
      rateLimit: { requests: 1_000_000, windowSeconds: 300, maxConcurrent: 16, maxQueued: 200 },
    });
    // Master data, prices, stock and a channel, through an in-process hub that is gone before
    // the processes under test start.
    const setup = await startOrdersHub(cloudErpEnv(sandbox));
    try {
      await syncEverything(setup);
      shop = await orderChannel(setup, 'ecommerce');
      fixtures = await pickPostingFixtures(setup, shop, dataset, {
        customers: 6,
        stocked: 6,
        dropShip: 3,
        minAtp: 30,
      });
    } finally {
      await setup.close();
    }
    env = {
      ...ORDERS_ENV,
      ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000', CLOUD_ERP_MAX_CONCURRENT: '4' }),
      ORDERS_POSTING_CONCURRENCY: '4',
      ORDERS_POSTING_RETRY_LIMIT: '10',
      ORDERS_POSTING_RETRY_DELAY_SECONDS: '1',
      // Jobs a killed process held count as failed (and are retried) this long after they began.
      ORDERS_POSTING_TIMEOUT_SECONDS: '5',
    };
    db = await connectTestDb();
  }, 60_000);

  afterAll(async () => {
    for (const hub of processes) await hub.kill();
    await db?.end();
    await sandbox?.close();
  });

  async function waitFor(done: () => boolean, ms: number, describe: () => string): Promise<void> {
    const until = Date.now() + ms;
    while (!done()) {
      if (Date.now() > until) throw new Error(`gave up after ${ms} ms:\n${describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function start(): Promise<HubProcess> {
    const hub = await spawnHub(env);
    processes.push(hub);
    return hub;
  }

  it('posts every accepted order exactly once after the hub is killed twice', async () => {
    // Slow ERP answers: postings are still queued or in flight when the hub dies.
    sandbox.faults.set({ latencyMs: [100, 300] });
    sandbox.stats.reset();
    const started = Date.now();

    // (a) Killed right after the 201s: the orders and their posting jobs are committed, most
    // jobs have not started, a few are in flight.
    const first = await start();
    const captured = await captureAll(
      first.baseUrl,
      shop,
      orderRequests(fixtures, ORDERS, { prefix: 'CRASH', twoSegmentEvery: 2 }),
    );
    await first.kill();
    const ids = captured.map((c) => c.id);
    const segmentsAtFirstKill = await segmentsOf(db, ids);
    const segmentIds = segmentsAtFirstKill.map((s) => s.id);
    const refs = new Set(segmentsAtFirstKill.map((s) => s.externalReference));
    const atFirstKill = await orderStatusCounts(db, ids);
    const jobsAtFirstKill = await postingJobStates(db, segmentIds);

    // (b) Killed the moment the ERP has created an order for this process, before the hub
    // committed it: the ERP order exists, the hub's segment is not POSTED, its job is `active`.
    const second = await start();
    let cutRef: string | null = null;
    let creates = 0;
    const createSalesOrder = sandbox.store.createSalesOrder.bind(sandbox.store);
    sandbox.store.createSalesOrder = (body) => {
      const result = createSalesOrder(body);
      const ref = result.order.data.externalDocumentNumber;
      // Only this suite's orders count (the queue may hold other suites' leftovers).
      if (refs.has(ref) && ++creates === 6) {
        cutRef = ref;
        second.child.kill('SIGKILL');
      }
      return result;
    };
    try {
      await waitFor(
        () => cutRef !== null,
        20_000,
        () => second.tail(10),
      );
      await second.kill();
    } finally {
      sandbox.store.createSalesOrder = createSalesOrder;
    }
    const cutStatus = (await segmentsOf(db, ids)).find(
      (s) => s.externalReference === cutRef,
    )?.status;
    const atSecondKill = await orderStatusCounts(db, ids);
    const jobsAtSecondKill = await postingJobStates(db, segmentIds);

    // A fresh process picks up the queued jobs at once and the killed ones once they expire.
    const third = await start();
    const postedMs = await waitAllPosted(db, ids, 40_000, () => third.tail(10));

    const segments = await segmentsOf(db, ids);
    const check = checkErpOrders(sandbox, segments);
    expect(check).toEqual({
      erpOrders: segments.length,
      duplicates: [],
      lost: [],
      mismatches: [],
    });
    expect(sandbox.stats.duplicateExternalDocumentNumbers).toBe(0);
    expect(
      await waitJobsSettled(
        db,
        segments.map((s) => s.id),
        10_000,
      ),
    ).toEqual({ completed: segments.length });
    const found = foundByLookUp(third.logs());
    // The hub was killed before the ERP's answer was sent: it cannot have recorded that order.
    expect(['QUEUED', 'POSTING']).toContain(cutStatus);
    expect(found).toBeGreaterThan(0);
    process.stdout.write(
      `posting crash: ${ids.length} orders, ${segments.length} segments, ${check.erpOrders} ERP ` +
        `orders, ${check.duplicates.length} duplicates, ${check.lost.length} lost; ` +
        `(a) orders at kill ${JSON.stringify(atFirstKill)}, jobs ${JSON.stringify(jobsAtFirstKill)}; ` +
        `(b) killed once the ERP created ${cutRef} (hub segment ${cutStatus}), orders ` +
        `${JSON.stringify(atSecondKill)}, jobs ${JSON.stringify(jobsAtSecondKill)}; the third ` +
        `process posted the rest in ${postedMs} ms, ${found} found ` +
        `by look-up (${Date.now() - started} ms in all)\n`,
    );
  }, 120_000);
});
