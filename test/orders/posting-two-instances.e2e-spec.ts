import type pg from 'pg';
import { OrderPostingJobs } from '../../src/modules/orders/application/posting/posting.jobs.js';
import { POST_SEGMENT_JOB, SalesOrderGateway } from '../../src/modules/orders/index.js';
import { JobsService } from '../../src/platform/jobs/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import type { TestApp } from '../support/test-app.js';
import { orderChannel, startOrdersHub, syncEverything } from './orders-test-support.js';
import {
  captureAll,
  checkErpOrders,
  connectTestDb,
  foundByLookUp,
  orderRequests,
  pickPostingFixtures,
  postingDataset,
  segmentsOf,
  waitAllPosted,
  waitJobsSettled,
} from './posting-test-support.js';

const ORDERS_PER_HUB = 10;
/** Faults end this long after the first order: see FAULT_WINDOW_MS in posting-faults. */
const FAULT_WINDOW_MS = 6_000;
/** Orders of the first instance whose first posting waits inside its lock for the twin job. */
const FORCED_OVERLAPS = ['TWO-A-PO-1', 'TWO-A-PO-2', 'TWO-A-PO-3'];

const postedBy = (logs: Record<string, unknown>[]): number =>
  logs.filter((l) => l.msg === 'segment posted to the ERP').length;
const skippedBy = (logs: Record<string, unknown>[]): number =>
  logs.filter((l) => l.msg === 'segment needs no posting').length;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * What both instances do, watched from inside: the logs of two apps in one process share one
 * pino root, so each instance's ERP port and posting handler are wrapped instead.
 */
class PostingWatch {
  /** ERP creates and submit calls per instance. */
  readonly created = { A: 0, B: 0 };
  readonly submits = { A: 0, B: 0 };
  /** Posting attempts that began while another job of the same segment was running. */
  overlaps = 0;
  /** Postings that waited in their lock until the twin job ran (it did, within 3 s). */
  held = 0;
  private readonly running = new Map<string, number>();
  private readonly waited = new Set<string>();

  constructor(
    private readonly db: pg.Client,
    /** Customer POs of the orders whose first posting waits for its twin. */
    private readonly holdPos: string[],
  ) {}

  watch(hub: TestApp, name: 'A' | 'B'): void {
    const jobs = hub.app.get(OrderPostingJobs);
    const post = jobs.post.bind(jobs);
    jobs.post = async (payload, ctx) => {
      const n = this.running.get(payload.segmentId) ?? 0;
      if (n > 0) this.overlaps++;
      this.running.set(payload.segmentId, n + 1);
      try {
        return await post(payload, ctx);
      } finally {
        this.running.set(payload.segmentId, (this.running.get(payload.segmentId) ?? 1) - 1);
      }
    };
    const gateway = hub.app.get(SalesOrderGateway);
    const submit = gateway.submit.bind(gateway);
    gateway.submit = async (document, signal) => {
      this.submits[name]++;
      const ref = document.externalReference;
      if (this.holdPos.includes(document.customerPo ?? '') && !this.waited.has(ref)) {
        // Called with the segment's row lock held: keep it until the twin job runs (and waits
        // for the lock), at most 3 s.
        this.waited.add(ref);
        const [{ id }] = (
          await this.db.query<{ id: string }>(
            `SELECT id FROM ord_segment WHERE external_reference = $1`,
            [ref],
          )
        ).rows;
        const until = Date.now() + 3_000;
        while ((this.running.get(id) ?? 0) < 2 && Date.now() < until) await sleep(10);
        if ((this.running.get(id) ?? 0) >= 2) this.held++;
      }
      const result = await submit(document, signal);
      if (result.created) this.created[name]++;
      return result;
    };
  }
}

/**
 * Two hub instances on one database work one posting queue against one cloud ERP that answers
 * slowly and fails now and then. On top, every segment taken in by the first instance gets a
 * second posting job (as a replay next to a retry would), sent through the second instance; for
 * a few of them the first posting is made to wait inside its lock until the second job runs. The
 * segment's row lock makes the two jobs take turns and the second finds the segment done. Every
 * order ends POSTED, once in the ERP, and no job is left behind.
 */
describe('ERP posting with two hub instances on one queue', () => {
  const dataset = postingDataset();
  let sandbox: CloudErpSandbox;
  let hubA: TestApp;
  let hubB: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({
      dataset,
      rateLimit: { requests: 1_000_000, windowSeconds: 300, maxConcurrent: 16, maxQueued: 200 },
    });
    const env = cloudErpEnv(sandbox, {
      CLOUD_ERP_TIMEOUT_MS: '1000',
      CLOUD_ERP_RATE_LIMIT: '1000000',
      CLOUD_ERP_MAX_CONCURRENT: '4',
      ORDERS_POSTING_CONCURRENCY: '4',
      ORDERS_POSTING_RETRY_LIMIT: '10',
      ORDERS_POSTING_RETRY_DELAY_SECONDS: '1',
    });
    hubA = await startOrdersHub(env);
    await syncEverything(hubA);
    // Started after the sync: an instance reloads its price cache on a timer
    // (PRICING_CACHE_REFRESH_SECONDS), and orders it priced before that would be refused.
    hubB = await startOrdersHub(env);
    db = await connectTestDb();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await hubA?.close();
    await hubB?.close();
    await sandbox?.close();
  });

  it('posts every segment once while both instances work the queue, duplicate jobs included', async () => {
    const shopA = await orderChannel(hubA, 'ecommerce');
    const shopB = await orderChannel(hubB, 'edi');
    const fixtures = await pickPostingFixtures(hubA, shopA, dataset, {
      customers: 6,
      stocked: 6,
      dropShip: 3,
      minAtp: 30,
    });
    sandbox.stats.reset();
    sandbox.faults.set({
      latencyMs: [20, 120],
      errorRate5xx: 0.15,
      timeoutRate: 0.03,
      timeoutHoldMs: 3_000,
      commitThenDropRate: 0.1,
    });
    const watch = new PostingWatch(db, FORCED_OVERLAPS);
    watch.watch(hubA, 'A');
    watch.watch(hubB, 'B');
    const jobsOfB = hubB.app.get(JobsService);
    let extraJobs = 0;
    const started = Date.now();
    const calm = setTimeout(
      () => sandbox.faults.set({ errorRate5xx: 0, timeoutRate: 0, commitThenDropRate: 0 }),
      FAULT_WINDOW_MS,
    );
    let ids: string[];
    let postedMs: number;
    try {
      const [capturedA, capturedB] = await Promise.all([
        captureAll(
          hubA.baseUrl,
          shopA,
          orderRequests(fixtures, ORDERS_PER_HUB, { prefix: 'TWO-A', twoSegmentEvery: 3 }),
          {
            parallel: 3,
            // A second job for each segment, sent through the other instance at once.
            onAccepted: async (order) => {
              for (const segment of await segmentsOf(db, [order.id])) {
                await jobsOfB.enqueue(POST_SEGMENT_JOB, {
                  orderId: segment.orderId,
                  segmentId: segment.id,
                });
                extraJobs++;
              }
            },
          },
        ),
        captureAll(
          hubB.baseUrl,
          shopB,
          orderRequests(fixtures, ORDERS_PER_HUB, { prefix: 'TWO-B', twoSegmentEvery: 3 }),
          { parallel: 3 },
        ),
      ]);
      ids = [...capturedA, ...capturedB].map((c) => c.id);
      postedMs = await waitAllPosted(db, ids, 40_000);
    } finally {
      clearTimeout(calm);
    }
    const segments = await segmentsOf(db, ids);

    const check = checkErpOrders(sandbox, segments);
    expect(check).toEqual({
      erpOrders: segments.length,
      duplicates: [],
      lost: [],
      mismatches: [],
    });
    expect(sandbox.stats.duplicateExternalDocumentNumbers).toBe(0);
    // Every job runs to completion, the twins included: none is left created, retrying or
    // active (one that failed an attempt after its twin posted the segment runs once more).
    const jobs = await waitJobsSettled(
      db,
      segments.map((s) => s.id),
      20_000,
    );
    expect(jobs).toEqual({ completed: segments.length + extraJobs });
    const refs = new Set(segments.map((s) => s.externalReference));
    const logs = [...hubA.logs, ...hubB.logs].filter(
      (l) => typeof l.segment === 'string' && refs.has(l.segment),
    );
    // Both instances created ERP orders; one job per segment posted it, its twin found it done
    // (without asking the ERP), the forced twins while the first still held the lock.
    expect(watch.created.A).toBeGreaterThan(0);
    expect(watch.created.B).toBeGreaterThan(0);
    expect(postedBy(logs)).toBe(segments.length);
    expect(skippedBy(logs)).toBe(extraJobs);
    expect(watch.held).toBeGreaterThanOrEqual(FORCED_OVERLAPS.length);
    expect(watch.overlaps).toBeGreaterThanOrEqual(watch.held);
    expect(sandbox.stats.errors5xx).toBeGreaterThan(0);
    const stats = sandbox.stats;
    process.stdout.write(
      `posting two instances: ${ids.length} orders, ${segments.length} segments (+${extraJobs} ` +
        `twin jobs), ${check.erpOrders} ERP orders, ${check.duplicates.length} duplicates, ` +
        `${check.lost.length} lost; ERP creates by A ${watch.created.A}, by B ` +
        `${watch.created.B} (submits ${watch.submits.A} + ${watch.submits.B}), ` +
        `${watch.overlaps} postings overlapped their twin (${watch.held} made to), ` +
        `${skippedBy(logs)} found done, ` +
        `${foundByLookUp(logs)} found by look-up; sandbox ${stats.requests} requests, ` +
        `${stats.errors5xx} 5xx, ${stats.timeouts} timeouts, ${stats.commitThenDrop} ` +
        `commit-then-drop; jobs ${JSON.stringify(jobs)}; all POSTED ${postedMs} ms after ` +
        `capture (${Date.now() - started} ms in all)\n`,
    );
  }, 90_000);
});
