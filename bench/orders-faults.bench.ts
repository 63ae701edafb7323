/*
 * npm run bench:orders-faults — exactly-once ERP posting under cloud ERP faults, at a size CI
 * has no time for (test/orders/posting-faults.e2e-spec.ts is the 40-order, 8-second-fault
 * version).
 *
 * A hub (in process, as the other benches build it) on ERP_ADAPTER=cloud against the cloud ERP
 * sandbox. Master data, prices and stock are synced with the faults off (demo dataset ×0.1: 20
 * customers, 200 items; customers on account get credit no run exhausts, stock balances get
 * 100,000 more units, so no order is held or backordered). Then the faults are switched on FOR THE
 * WHOLE RUN: 20 % of ERP requests answered 5xx, 5 % never answered (the hub's client gives up
 * after 1 s, the sandbox holds them 3 s), 10 % of writes committed and their answer dropped. 500
 * orders are captured over HTTP (every third with a drop-ship line next to its stocked line, so
 * it has two segments = two ERP orders), and the bench waits until every order is POSTED,
 * printing progress every few seconds. Then it compares the sandbox's sales orders with the
 * hub's segments and prints the verdict: `exactly-once: PASS` iff ERP orders == segments, no
 * duplicates, none lost, no wrong content (and every order POSTED); else FAIL and exit code 1.
 *
 * Uses DATABASE_URL's server when set (a fresh database, created and dropped here), else an
 * embedded PostgreSQL. Settings (env): BENCH_FAULT_ORDERS (500), BENCH_FAULT_SCALE (0.1),
 * BENCH_FAULT_DEADLINE_SECONDS (240: how long to wait for every order to be POSTED after the
 * first order is sent), ORDERS_POSTING_CONCURRENCY (8).
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/index.js';
import { SyncInventoryCommand } from '../src/modules/inventory/index.js';
import { SyncMasterDataCommand } from '../src/modules/master-data/index.js';
import { SyncPriceDataCommand } from '../src/modules/pricing/index.js';
import { ChannelsService } from '../src/platform/auth/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import {
  type CloudErpSandbox,
  type FaultSettings,
  startCloudErpSandbox,
  sandboxHubEnv,
} from '../src/erp-simulators/cloud/index.js';
import { benchDatabase } from './support/bench-database.js';
import {
  type CapturedOrder,
  captureFaultOrders,
  compareErpOrders,
  faultOrderRequests,
  faultsDataset,
  metricValue,
  orderStatusCounts,
  pickFaultFixtures,
  postingJobRetries,
  segmentsOf,
  waitJobsSettled,
} from './support/orders-faults-support.js';

const ORDERS = Number(process.env.BENCH_FAULT_ORDERS ?? 500);
const SCALE = Number(process.env.BENCH_FAULT_SCALE ?? 0.1);
const DEADLINE_SECONDS = Number(process.env.BENCH_FAULT_DEADLINE_SECONDS ?? 240);
const POSTING_CONCURRENCY = process.env.ORDERS_POSTING_CONCURRENCY ?? '8';
const TWO_SEGMENT_EVERY = 3;
const CAPTURE_PARALLEL = 8;
const PROGRESS_EVERY_MS = 5_000;
const CLIENT_TIMEOUT_MS = 1_000;
const RETRY_LIMIT = 20;
const EXTRA_STOCK = 100_000;
/** The issue's fault mix, on from the first order to the end of the run. */
const FAULTS: FaultSettings = {
  errorRate5xx: 0.2,
  timeoutRate: 0.05,
  // Longer than the hub's client timeout: the client gives up first, as against BC online.
  timeoutHoldMs: 3_000,
  commitThenDropRate: 0.1,
  latencyMs: [2, 30],
};

const log = (message: string): void => console.log(`[bench] ${message}`);
const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;
const sleep = (millis: number): Promise<void> => new Promise((r) => setTimeout(r, millis));

function cloudEnv(sandbox: CloudErpSandbox): Record<string, string> {
  return {
    ...sandboxHubEnv(sandbox),
    CLOUD_ERP_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
    // No 429s in this run: rate limits have their own tests and bench.
    CLOUD_ERP_RATE_LIMIT: '1000000',
    CLOUD_ERP_MAX_CONCURRENT: '8',
  };
}

async function orderChannelHeaders(app: NestFastifyApplication): Promise<Record<string, string>> {
  const channel = await app.get(ChannelsService).createChannel({
    name: `bench-faults-${randomUUID().slice(0, 8)}`,
    kind: 'ecommerce',
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
    rateLimitPerMinute: 1_000_000,
    customerScope: { kind: 'ALL' },
  });
  return { authorization: `Bearer ${channel.apiKey}` };
}

/** Orders and segments of the run's (fresh) database by status, for the progress lines. */
async function progress(db: pg.Client): Promise<{
  orders: Record<string, number>;
  segments: Record<string, number>;
}> {
  const count = async (table: string): Promise<Record<string, number>> => {
    const { rows } = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM ${table} GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };
  return { orders: await count('ord_order'), segments: await count('ord_segment') };
}

async function run(): Promise<boolean> {
  const began = Date.now();
  const database = await benchDatabase(`crossdock_orders_faults_${process.pid}`);
  const dataset = faultsDataset(SCALE, EXTRA_STOCK);
  const sandbox = await startCloudErpSandbox({
    dataset,
    // Room for every request the hub sends at once plus the ones held by injected timeouts.
    rateLimit: { requests: 1_000_000, windowSeconds: 300, maxConcurrent: 64, maxQueued: 1000 },
  });
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    // Every failed attempt logs a warning: hundreds in this run. Errors (retries spent) show.
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    INVENTORY_SYNC_CRON: 'off',
    PRICING_SYNC_CRON: 'off',
    PRICING_FULL_SYNC_CRON: 'off',
    MASTER_DATA_SYNC_LAG_SECONDS: '0',
    ORDERS_ERP_IMPORT_POLL_SECONDS: '1',
    ORDERS_POSTING_CONCURRENCY: POSTING_CONCURRENCY,
    ORDERS_POSTING_RETRY_LIMIT: String(RETRY_LIMIT),
    ORDERS_POSTING_RETRY_DELAY_SECONDS: '1',
    ...cloudEnv(sandbox),
  });
  let app: NestFastifyApplication | undefined;
  let db: pg.Client | undefined;
  let reporter: NodeJS.Timeout | undefined;
  try {
    app = await createApp(AppModule.forRoot(config), config, { swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = new pg.Client({ connectionString: database.url });
    await db.connect();

    // 1. Master data, prices and stock from the sandbox, faults off.
    let started = Date.now();
    const bus = app.get(CommandBus);
    const md = await bus.execute(new SyncMasterDataCommand('manual', true));
    const pr = await bus.execute(new SyncPriceDataCommand('manual', true, true));
    const inv = await bus.execute(new SyncInventoryCommand('manual', true, true));
    log(
      `synced from the sandbox (demo dataset ×${SCALE}: ${dataset.customers.length} customers, ` +
        `${dataset.items.length} items) in ${seconds(Date.now() - started)} with faults off: ` +
        `master data ${md.status}, prices ${pr.status}, stock ${inv.status}; ` +
        `${sandbox.stats.requests} ERP requests`,
    );
    if ([md.status, pr.status, inv.status].some((s) => s === 'failed')) {
      throw new Error('the hub could not sync from the sandbox');
    }
    const headers = await orderChannelHeaders(app);
    const stockedItems = 20;
    const fixtures = await pickFaultFixtures(baseUrl, headers, dataset, {
      maxCustomers: 10,
      stocked: stockedItems,
      dropShip: 5,
      // The most any one stocked item is ordered in the run (quantities 1–3).
      minAtp: Math.ceil(ORDERS / stockedItems) * 3,
    });
    const requests = faultOrderRequests(fixtures, ORDERS, {
      prefix: `FAULTS-${process.pid}`,
      twoSegmentEvery: TWO_SEGMENT_EVERY,
    });
    log(
      `orders: ${ORDERS} from ${fixtures.customers.length} customers, a stocked line (` +
        `${fixtures.stocked.length} items, quantity 1–3) and on every ${TWO_SEGMENT_EVERY}rd ` +
        `order a drop-ship line (${fixtures.dropShip.length} items); ${CAPTURE_PARALLEL} at a ` +
        `time over HTTP`,
    );

    // 2. Faults on for the rest of the run; capture, then wait for every order to be POSTED.
    sandbox.stats.reset();
    sandbox.faults.set(FAULTS);
    const faultsOn = Date.now();
    log(
      `faults on: ${JSON.stringify(sandbox.faults.current())}; hub CLOUD_ERP_TIMEOUT_MS=` +
        `${CLIENT_TIMEOUT_MS}, ORDERS_POSTING_CONCURRENCY=${POSTING_CONCURRENCY}, ` +
        `ORDERS_POSTING_RETRY_LIMIT=${RETRY_LIMIT}, ORDERS_POSTING_RETRY_DELAY_SECONDS=1`,
    );
    const client = db;
    let reporting = false;
    reporter = setInterval(() => {
      if (reporting) return;
      reporting = true;
      progress(client)
        .then(({ orders, segments }) => {
          const total = Object.values(orders).reduce((n, v) => n + v, 0);
          const posted = orders.POSTED ?? 0;
          const failed = orders.FAILED ?? 0;
          const segmentsTotal = Object.values(segments).reduce((n, v) => n + v, 0);
          const s = sandbox.stats;
          log(
            `t=${seconds(Date.now() - faultsOn)}: orders captured ${total}, posted ${posted}, ` +
              `failed ${failed}, pending ${total - posted - failed}; segments posted ` +
              `${segments.POSTED ?? 0}/${segmentsTotal}; ERP requests ${s.requests} (5xx ` +
              `${s.errors5xx}, timeouts ${s.timeouts}, commit-then-drop ${s.commitThenDrop})`,
          );
        })
        .catch((error: unknown) => log(`progress query failed: ${String(error)}`))
        .finally(() => (reporting = false));
    }, PROGRESS_EVERY_MS);

    started = Date.now();
    const captured: CapturedOrder[] = await captureFaultOrders(
      baseUrl,
      headers,
      requests,
      CAPTURE_PARALLEL,
    );
    const captureMs = Date.now() - started;
    const segmentCount = captured.reduce((n, c) => n + c.segments, 0);
    const twoSegment = captured.filter((c) => c.segments === 2).length;
    log(
      `captured ${captured.length} orders (201 ACCEPTED) in ${seconds(captureMs)}: ` +
        `${segmentCount} segments (${twoSegment} orders with 2 segments, ` +
        `${captured.length - twoSegment} with 1)`,
    );

    const ids = captured.map((c) => c.id);
    const deadline = faultsOn + DEADLINE_SECONDS * 1000;
    let counts: Record<string, number> = {};
    for (;;) {
      counts = await orderStatusCounts(db, ids);
      const done = (counts.POSTED ?? 0) + (counts.FAILED ?? 0);
      if (done >= ids.length || Date.now() > deadline) break;
      await sleep(250);
    }
    const postedAt = Date.now();
    clearInterval(reporter);
    reporter = undefined;
    const allPosted = (counts.POSTED ?? 0) === ids.length;
    log(
      allPosted
        ? `every order POSTED ${seconds(postedAt - faultsOn)} after the faults went on ` +
            `(${seconds(postedAt - started - captureMs)} after the last capture)`
        : `NOT every order POSTED after ${seconds(postedAt - faultsOn)}: ${JSON.stringify(counts)}`,
    );

    // 3. No posting job left to run, then the ERP against the hub.
    const jobs = await waitJobsSettled(
      db,
      (await segmentsOf(db, ids)).map((s) => s.id),
      allPosted ? 30_000 : 5_000,
    );
    // Read after the jobs settled: what the hub holds now is what the ERP is compared with.
    const segments = await segmentsOf(db, ids);
    const finalCounts = await orderStatusCounts(db, ids);
    const stats = sandbox.stats.toJSON();
    sandbox.faults.set({ errorRate5xx: 0, timeoutRate: 0, commitThenDropRate: 0 });
    const check = compareErpOrders(sandbox, segments);
    const foundByLookUp = await metricValue(baseUrl, 'crossdock_duplicates_prevented_total', {
      kind: 'erp_lookup',
    });
    const postingsFound = await metricValue(baseUrl, 'crossdock_order_segment_postings_total', {
      result: 'found',
    });
    const postingsCreated = await metricValue(baseUrl, 'crossdock_order_segment_postings_total', {
      result: 'created',
    });
    const postingErrors = await metricValue(baseUrl, 'crossdock_order_segment_postings_total', {
      result: 'error',
    });
    const retries = await postingJobRetries(
      db,
      segments.map((s) => s.id),
    );
    const notPosted = segments.filter((s) => s.status !== 'POSTED');

    const reasons = [
      ...(allPosted ? [] : [`not every order POSTED within ${DEADLINE_SECONDS} s`]),
      ...(segments.length === segmentCount
        ? []
        : [`${segments.length} segments stored, ${segmentCount} answered`]),
      ...(check.erpOrders === segments.length
        ? []
        : [`${check.erpOrders} ERP orders for ${segments.length} segments`]),
      ...(check.duplicates.length === 0 ? [] : [`${check.duplicates.length} duplicated`]),
      ...(stats.duplicateExternalDocumentNumbers === 0
        ? []
        : [`sandbox saw ${stats.duplicateExternalDocumentNumbers} duplicate references`]),
      ...(check.lost.length === 0 ? [] : [`${check.lost.length} lost`]),
      ...(check.mismatches.length === 0 ? [] : [`${check.mismatches.length} wrong`]),
    ];
    const pass = reasons.length === 0;

    console.log(
      `\nExactly-once ERP posting under faults — ${availableParallelism()} CPUs, ERP_ADAPTER=cloud ` +
        `against the cloud ERP sandbox, demo dataset ×${SCALE}\n`,
    );
    const rows: [string, string][] = [
      ['orders', `${captured.length} (by status at the end: ${JSON.stringify(finalCounts)})`],
      [
        'segments',
        `${segments.length} (${twoSegment} orders with 2, ${captured.length - twoSegment} with 1; ` +
          `not POSTED ${notPosted.length})`,
      ],
      ['ERP orders with our references', String(check.erpOrders)],
      [
        'duplicates',
        `${check.duplicates.length} by externalDocumentNumber; sandbox counter ` +
          `duplicateExternalDocumentNumbers ${stats.duplicateExternalDocumentNumbers}`,
      ],
      ['lost', `${check.lost.length} (segments without an ERP order)`],
      [
        'wrong content',
        `${check.mismatches.length} (customer, ERP number, lines, prices, location)`,
      ],
      [
        'faults injected',
        `5xx ${stats.errors5xx}, timeouts ${stats.timeouts}, commit-then-drop ` +
          `${stats.commitThenDrop} of ${stats.requests} ERP requests ` +
          `(by status: ${JSON.stringify(stats.byStatus)})`,
      ],
      [
        'found by the look-up',
        `${foundByLookUp} (crossdock_duplicates_prevented_total{kind="erp_lookup"}); postings ` +
          `created ${postingsCreated}, found ${postingsFound}, failed attempts ${postingErrors}`,
      ],
      [
        'sandbox creates',
        `${stats.salesOrdersCreated} sales orders created while the faults were on`,
      ],
      [
        'posting retries',
        `${retries.retried} segments retried, ${retries.retries} retries in all, at most ` +
          `${retries.most} for one; jobs at the end ${JSON.stringify(jobs)}`,
      ],
      [
        'time',
        `capture ${seconds(captureMs)}, ${allPosted ? 'all POSTED' : 'stopped waiting'} ` +
          `${seconds(postedAt - faultsOn)} after faults on, ${seconds(Date.now() - began)} in ` +
          `all (incl. database, sync, fixtures)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)} │ ${v}`);
    const examples = [
      ...check.duplicates.slice(0, 5).map((r) => `duplicate ${r}`),
      ...check.lost.slice(0, 5).map((r) => `lost ${r}`),
      ...check.mismatches.slice(0, 5).map((m) => `wrong ${m}`),
      ...notPosted
        .slice(0, 5)
        .map(
          (s) =>
            `not posted ${s.externalReference}: ${s.status}, ${s.attempts} attempts, ` +
            `${JSON.stringify(s.erpErrors)}`,
        ),
    ];
    for (const line of examples) console.log(`  ${line}`);
    console.log(`\nexactly-once: ${pass ? 'PASS' : `FAIL (${reasons.join('; ')})`}`);
    return pass;
  } finally {
    if (reporter) clearInterval(reporter);
    // Requests held by an injected timeout must not keep the sandbox from closing.
    sandbox.faults.set({ errorRate5xx: 0, timeoutRate: 0, commitThenDropRate: 0 });
    await app?.close();
    await db?.end();
    await sandbox.close();
    await database.stop();
  }
}

run().then(
  (pass) => process.exit(pass ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    console.log('\nexactly-once: FAIL');
    process.exit(1);
  },
);
