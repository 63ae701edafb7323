/*
 * npm run bench:orders — order capture and ERP posting benchmark, printed as tables at the end.
 *
 *   (1) capture: POST /v1/orders with 5-line orders over HTTP, a new Idempotency-Key and
 *       channelOrderRef per request, at 32 and 64 connections, on the demo dataset ×10 (master
 *       data and prices synced into a fresh hub through the real syncs from in-memory demo ERP
 *       feeds, ample stock for the chosen items by SNAPSHOT stock events). Customers are spread
 *       one per credit account (capture serialises an account's orders on an advisory lock).
 *       Posting is held back: the hub runs with a SalesOrderGateway that never answers and one
 *       posting worker, so every capture still enqueues its posting job in its transaction, but
 *       no posting work competes for the CPU.
 *   (2) ceiling: in the same app and run, POST /bench/ceiling-orders behind the same API-key
 *       guard and global ValidationPipe, validating the same CaptureOrderRequest and inserting
 *       one row with TypeORM into a bench-only table; same bodies, same connection counts.
 *       Goal: capture ≥ 0.6× the ceiling with p99 < 150 ms.
 *   (3) posting: the cloud ERP sandbox (demo dataset ×1) and a fresh hub database. A hub on
 *       ERP_ADAPTER=cloud syncs master data, prices and stock from the sandbox; a hub with posting
 *       held back (as in (1)) captures 1,000 single-line (single-segment) orders; then, with the
 *       sandbox limited to 50 requests/s, a hub on ERP_ADAPTER=cloud (CLOUD_ERP_RATE_LIMIT=15000
 *       per 5 minutes, i.e. 50/s) starts and drains the queue, timed from its first ERP request
 *       until every order is POSTED. Each posting costs a look-up GET and a POST, so ≈ 25
 *       orders/s is the most the limit allows. Goal: ≥ 95 % of the limit with < 1 % 429s.
 *       The sandbox enforces the 50/s over a 1-second sliding window (BENCH_RATE_WINDOW_SECONDS),
 *       far stricter than Business Central's 6,000 per 5 minutes: the hub's request gate aims at
 *       98 % and may start up to CLOUD_ERP_MAX_CONCURRENT requests back to back after a pause,
 *       which a 1-second window has no room for.
 *
 * Uses DATABASE_URL's server when set (fresh databases created and dropped here), else an
 * embedded PostgreSQL in a temporary directory. HTTP load comes from autocannon in a child
 * process. Settings (env): BENCH_SECONDS (15 per step), BENCH_SCALE (10), BENCH_CONCURRENCY
 * ("32,64"), BENCH_PHASES ("capture,posting"), BENCH_POSTING_ORDERS (1000), BENCH_POSTING_SCALE
 * (1: posting does not depend on the dataset size, the hub's sync from the sandbox does),
 * BENCH_RATE_WINDOW_SECONDS (1: the sandbox's sliding window for the 50 req/s),
 * ORDERS_POSTING_CONCURRENCY (8, posting phase), BENCH_PROFILE (a directory: CPU profiles of the
 * hub during each capture step).
 */
import 'reflect-metadata';
import { Body, Controller, type DynamicModule, Global, Module, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectDataSource } from '@nestjs/typeorm';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { type DemoDataset, generateDemoDataset } from '../src/erp-simulators/demo-data/index.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/index.js';
import { InventoryService, SyncInventoryCommand } from '../src/modules/inventory/index.js';
import { MasterDataFeed, SyncMasterDataCommand } from '../src/modules/master-data/index.js';
import { POST_SEGMENT_JOB, SalesOrderGateway } from '../src/modules/orders/index.js';
// The bench validates the capture route's own request DTO: not part of the module's public API.
import { CaptureOrderRequest } from '../src/modules/orders/http/dto/capture-order.request.js';
import { PriceDataFeed, SyncPriceDataCommand } from '../src/modules/pricing/index.js';
import {
  type AuthenticatedChannel,
  ChannelsService,
  CurrentChannel,
  RequireScopes,
} from '../src/platform/auth/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
  sandboxHubEnv,
} from '../src/erp-simulators/cloud/index.js';
import { DemoPriceDataFeed } from './pricing-demo-feeds.js';
import { benchDatabase } from './support/bench-database.js';
import { countQueries } from './support/query-counter.js';
import { type OrderLoadResult, type OrderMix, orderRequest } from './support/order-bodies.js';
import {
  availableToPromise,
  chooseOrderMix,
  closeHeldBackHub,
  DemoErpMasterDataFeed,
  ParkedSalesOrderGateway,
} from './support/orders-bench-support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '32,64').split(',').map(Number);
const PHASES = new Set(
  (process.env.BENCH_PHASES ?? 'capture,posting').split(',').map((p) => p.trim()),
);
const POSTING_ORDERS = Number(process.env.BENCH_POSTING_ORDERS ?? 1000);
const POSTING_SCALE = Number(process.env.BENCH_POSTING_SCALE ?? 1);
const RATE_WINDOW_SECONDS = Number(process.env.BENCH_RATE_WINDOW_SECONDS ?? 1);
const POSTING_CONCURRENCY = process.env.ORDERS_POSTING_CONCURRENCY ?? '8';
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** The ERP limit of the posting phase, requests per second. */
const ERP_RATE = 50;
const LINES_PER_ORDER = 5;
const CEILING_TABLE = 'bench_ceiling_order';
const STOCK = '1000000000';
const GOAL_RATIO = 0.6;
const GOAL_P99_MS = 150;

const log = (message: string): void => console.log(`[bench] ${message}`);
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
const sleep = (millis: number): Promise<void> => new Promise((r) => setTimeout(r, millis));

/**
 * One posting worker, parked in the held-back ERP: the rest of the jobs stay queued. Its attempt
 * does not time out during the run (pg-boss would give up on it and hand the worker a new job).
 */
const POSTING_HELD_BACK = {
  ORDERS_POSTING_CONCURRENCY: '1',
  ORDERS_POSTING_TIMEOUT_SECONDS: '3600',
};

const SCHEDULES_OFF = {
  MASTER_DATA_SYNC_CRON: 'off',
  INVENTORY_SYNC_CRON: 'off',
  PRICING_SYNC_CRON: 'off',
  PRICING_FULL_SYNC_CRON: 'off',
};

// ---------------------------------------------------------------- load

function load(job: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  mix: OrderMix;
}): Promise<OrderLoadResult> {
  const worker = fileURLToPath(new URL('./support/orders-load.worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { result?: OrderLoadResult; error?: string }) => {
      if (message.error !== undefined || !message.result) reject(new Error(message.error));
      else resolve(message.result);
    });
    child.once('error', reject);
    // A load generator that dies without answering must not leave the bench waiting forever.
    child.once('exit', (code) => reject(new Error(`the load generator exited with ${code}`)));
    const { mix, ...rest } = job;
    child.send({ ...rest, ...mix });
  });
}

/** Answers by class: 201, 202, other 2xx, 4xx, 5xx. */
function statusCounts(r: OrderLoadResult): Record<'201' | '202' | '4xx' | '5xx', number> {
  const out = { '201': 0, '202': 0, '4xx': 0, '5xx': 0 };
  for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) {
    if (code === '201' || code === '202') out[code] += count;
    else if (code.startsWith('4')) out['4xx'] += count;
    else if (code.startsWith('5')) out['5xx'] += count;
  }
  return out;
}

/**
 * With BENCH_PROFILE=<directory>, a CPU profile of this process (the hub) while `run` runs,
 * written there as <name>.cpuprofile (open it in Chrome DevTools or speedscope).
 */
async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = join(PROFILE_DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`CPU profile of the hub: ${file}`);
  }
}

// ---------------------------------------------------------------- (2) the ceiling endpoint

/**
 * The least an order endpoint can do in this app: the same global guard (API key, scope, rate
 * limit), the same ValidationPipe over the same DTO, one INSERT through TypeORM.
 */
@Controller('bench')
class CeilingController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post('ceiling-orders')
  @RequireScopes('orders:write')
  async capture(
    @Body() body: CaptureOrderRequest,
    @CurrentChannel() channel: AuthenticatedChannel,
  ): Promise<{ id: string }> {
    const id = randomUUID();
    await this.db
      .createQueryBuilder()
      .insert()
      .into(CEILING_TABLE, ['id', 'channel_id', 'channel_order_ref', 'customer_id', 'request'])
      .values({
        id,
        channel_id: channel.channelId,
        channel_order_ref: body.channelOrderRef,
        customer_id: body.customerId,
        request: JSON.stringify(body),
      })
      .execute();
    return { id };
  }
}

// ---------------------------------------------------------------- (1)+(2) capture vs ceiling

interface CaptureRow {
  connections: number;
  capture: OrderLoadResult;
  ceiling: OrderLoadResult;
  /** Statements sent to PostgreSQL per request during the step (background polling included). */
  queriesPerOrder: number;
  queriesPerCeiling: number;
}

interface CaptureReport {
  rows: CaptureRow[];
  notes: string[];
}

async function capturePhase(): Promise<CaptureReport> {
  const notes: string[] = [];
  const database = await benchDatabase(`crossdock_orders_bench_${process.pid}`);
  let started = Date.now();
  const dataset = generateDemoDataset({ scale: SCALE });
  log(
    `dataset ×${SCALE} in ${Date.now() - started} ms: ${dataset.customers.length} customers, ` +
      `${dataset.items.length} items, ${dataset.priceListLines.length} price-list lines, ` +
      `${dataset.contracts.length} contracts`,
  );
  const gateway = new ParkedSalesOrderGateway();
  const queries = countQueries();
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    ...SCHEDULES_OFF,
    MASTER_DATA_SYNC_PAGE_SIZE: '5000',
    PRICING_SYNC_PAGE_SIZE: '10000',
    ...POSTING_HELD_BACK,
  });
  @Global()
  @Module({
    providers: [
      { provide: MasterDataFeed, useValue: new DemoErpMasterDataFeed(dataset) },
      { provide: PriceDataFeed, useValue: new DemoPriceDataFeed(dataset) },
      { provide: SalesOrderGateway, useValue: gateway },
    ],
    exports: [MasterDataFeed, PriceDataFeed, SalesOrderGateway],
  })
  class BenchErpModule {}
  const root: DynamicModule = {
    module: class OrdersBenchRoot {},
    imports: [AppModule.forRoot(config, { erpAdapter: false }), BenchErpModule],
    controllers: [CeilingController],
  };

  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(root, config, { swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const db = app.get(DataSource);
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${CEILING_TABLE} (
         id uuid PRIMARY KEY, channel_id uuid NOT NULL, channel_order_ref text NOT NULL,
         customer_id text NOT NULL, request jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );

    started = Date.now();
    const md = await app.get(CommandBus).execute(new SyncMasterDataCommand('manual', true));
    log(
      `master-data sync: ${md.streams.items.upserted} items, ${md.streams.customers.upserted} ` +
        `customers in ${Date.now() - started} ms (${md.status})`,
    );
    started = Date.now();
    const prices = await app.get(CommandBus).execute(new SyncPriceDataCommand('manual', true));
    const synced = Object.values(prices.streams).reduce((n, s) => n + s.upserted, 0);
    log(`price-data sync: ${synced} records in ${Date.now() - started} ms (${prices.status})`);

    const headers = await orderChannelHeaders(app);
    const choice = await chooseOrderMix(baseUrl, headers, dataset, {
      minRoom: 50_000,
      maxCustomers: 500,
      maxItems: 250,
      maxUnitPrice: 50,
    });
    const skus = choice.lines.map((l) => l.sku);
    await seedStock(app, skus);
    const atp = await availableToPromise(baseUrl, headers, skus);
    const short = skus.filter((s) => !((atp.get(s) ?? 0) > 1_000_000));
    if (short.length > 0) throw new Error(`no stock visible for ${short.join(', ')}`);
    notes.push(
      `orders: ${LINES_PER_ORDER} lines of quantity 1 in the base unit, ${choice.accounts} ` +
        `customers (one per credit account, ≥ $50,000 credit room each), ${skus.length} items ` +
        `priced ≤ $${choice.maxUnitPrice.toFixed(2)} with ${int(Number(STOCK))} units at MAIN`,
    );

    const mix = (prefix: string): OrderMix => ({
      refPrefix: `${prefix}-${process.pid}`,
      customers: choice.customers,
      lines: choice.lines,
      linesPerOrder: LINES_PER_ORDER,
    });
    await sanityOrders(baseUrl, headers, mix('SANITY'), notes);

    const captureUrl = `${baseUrl}/v1/orders`;
    const ceilingUrl = `${baseUrl}/bench/ceiling-orders`;
    log('warm-up...');
    await load({ url: captureUrl, headers, connections: 16, seconds: 5, mix: mix('WARM') });
    await load({ url: ceilingUrl, headers, connections: 16, seconds: 3, mix: mix('WARMC') });

    const rows: CaptureRow[] = [];
    for (const connections of CONCURRENCY) {
      let sentBefore = queries();
      const capture = await profiled(`capture-c${connections}`, () =>
        load({
          url: captureUrl,
          headers,
          connections,
          seconds: SECONDS,
          mix: mix(`CAP${connections}`),
        }),
      );
      const captureQueries = queries() - sentBefore;
      sentBefore = queries();
      const ceiling = await load({
        url: ceilingUrl,
        headers,
        connections,
        seconds: SECONDS,
        mix: mix(`CEIL${connections}`),
      });
      const ceilingQueries = queries() - sentBefore;
      log(
        `c=${connections}: capture ${int(capture.requests.average)} orders/s p99 ` +
          `${ms(capture.latency.p99)}; ceiling ${int(ceiling.requests.average)} req/s p99 ` +
          `${ms(ceiling.latency.p99)}`,
      );
      rows.push({
        connections,
        capture,
        ceiling,
        queriesPerOrder: captureQueries / Math.max(1, capture.requests.total),
        queriesPerCeiling: ceilingQueries / Math.max(1, ceiling.requests.total),
      });
    }

    const statuses = (await db.query(
      `SELECT status, count(*)::int AS n FROM ord_order GROUP BY status ORDER BY status`,
    )) as { status: string; n: number }[];
    const [jobs] = (await db.query(
      `SELECT count(*) FILTER (WHERE state = 'created')::int AS queued, count(*)::int AS total
         FROM pgboss.job WHERE name = $1`,
      [POST_SEGMENT_JOB],
    )) as { queued: number; total: number }[];
    notes.push(
      `orders stored: ${statuses.map((s) => `${s.status} ${int(s.n)}`).join(', ')}; posting ` +
        `jobs enqueued by capture: ${int(jobs.total)} (${int(jobs.queued)} still queued, ` +
        `${gateway.parked} taken by the parked worker)`,
    );
    return { rows, notes };
  } finally {
    if (app) await closeHeldBackHub(app, gateway);
    await database.stop();
  }
}

async function orderChannelHeaders(app: NestFastifyApplication): Promise<Record<string, string>> {
  const channel = await app.get(ChannelsService).createChannel({
    name: `bench-orders-${randomUUID().slice(0, 8)}`,
    kind: 'ecommerce',
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
    rateLimitPerMinute: 1_000_000,
    customerScope: { kind: 'ALL' },
  });
  return { authorization: `Bearer ${channel.apiKey}`, 'content-type': 'application/json' };
}

/** Plenty of stock at MAIN for the chosen SKUs, as a WMS would report it (SNAPSHOT events). */
async function seedStock(app: NestFastifyApplication, skus: string[]): Promise<void> {
  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  const events = skus.map((sku) => ({
    eventId: `bench-seed-${process.pid}-${sku}`,
    sku,
    warehouse: 'MAIN',
    type: 'SNAPSHOT',
    quantity: STOCK,
    occurredAt,
    source: 'BENCH',
  }));
  const results = await app.get(InventoryService).applyStockEvents(events);
  const refused = results.filter((r) => r.status !== 'APPLIED');
  if (refused.length > 0) throw new Error(`stock events refused: ${JSON.stringify(refused[0])}`);
}

/** A few orders through fetch first: they must be accepted (201), else the bench stops. */
async function sanityOrders(
  baseUrl: string,
  headers: Record<string, string>,
  mix: OrderMix,
  notes: string[],
): Promise<void> {
  for (let n = 0; n < 3; n++) {
    const { key, body } = orderRequest(mix, n);
    const res = await fetch(`${baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': key },
      body,
    });
    const answer = (await res.json()) as { segments?: unknown[]; adjustments?: unknown[] };
    if (res.status !== 201) {
      throw new Error(`sanity order answered ${res.status}: ${JSON.stringify(answer)}`);
    }
    if (n === 0) {
      notes.push(
        `a sample order: 201 with ${answer.segments?.length ?? 0} segment(s), ` +
          `${answer.adjustments?.length ?? 0} adjustment(s)`,
      );
    }
  }
}

// ---------------------------------------------------------------- (3) posting

interface PostingReport {
  orders: number;
  accepted: number;
  posted: number;
  failed: number;
  captureSeconds: number;
  postingSeconds: number;
  requests: number;
  throttled: number;
  errors5xx: number;
  maxInFlight: number;
  salesOrdersCreated: number;
  steadyRate: number;
  syncRequests: number;
  notes: string[];
}

async function postingPhase(): Promise<PostingReport> {
  const notes: string[] = [];
  const database = await benchDatabase(`crossdock_orders_post_${process.pid}`);
  const dataset = generateDemoDataset({ scale: POSTING_SCALE });
  // The sync runs unthrottled at the sandbox (the hub's own governor still paces it); the
  // 50 req/s limit is switched on for the posting itself.
  const sandbox = await startCloudErpSandbox({
    dataset,
    rateLimit: { requests: 1_000_000, windowSeconds: 1 },
  });
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    ...SCHEDULES_OFF,
    MASTER_DATA_SYNC_PAGE_SIZE: '5000',
    INVENTORY_SYNC_PAGE_SIZE: '5000',
    PRICING_SYNC_PAGE_SIZE: '20000',
  };
  const cloudConfig = loadConfig({
    ...env,
    ERP_ADAPTER: 'cloud',
    ...cloudEnv(sandbox),
    ORDERS_POSTING_CONCURRENCY: POSTING_CONCURRENCY,
  });
  let app: NestFastifyApplication | undefined;
  const gateway = new ParkedSalesOrderGateway();
  try {
    // 1. A hub on the cloud adapter syncs master data, prices and stock from the sandbox.
    app = await createApp(AppModule.forRoot(cloudConfig), cloudConfig, { swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    let baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const bus = app.get(CommandBus);
    let started = Date.now();
    const md = await bus.execute(new SyncMasterDataCommand('manual', true));
    const pr = await bus.execute(new SyncPriceDataCommand('manual', true, true));
    const inv = await bus.execute(new SyncInventoryCommand('manual', true, true));
    const syncRequests = sandbox.stats.requests;
    log(
      `posting hub synced from the sandbox (×${POSTING_SCALE}) in ${Date.now() - started} ms: ` +
        `master data ${md.status}, prices ${pr.status}, stock ${inv.status}; ` +
        `${syncRequests} ERP requests`,
    );
    if ([md.status, pr.status, inv.status].some((s) => s === 'failed')) {
      throw new Error('the posting hub could not sync from the sandbox');
    }
    const headers = await orderChannelHeaders(app);
    const inStock = stockedSkus(dataset, 20);
    const choice = await chooseOrderMix(baseUrl, headers, dataset, {
      minRoom: 20_000,
      maxCustomers: 200,
      maxItems: 200,
      maxUnitPrice: 50,
      stocked: (item) => inStock.has(item.sku),
    });
    const mix: OrderMix = {
      refPrefix: `POST-${process.pid}`,
      customers: choice.customers,
      lines: choice.lines,
      linesPerOrder: 1,
    };
    notes.push(
      `orders: 1 line of quantity 1, ${choice.accounts} customers (one per credit account), ` +
        `${choice.lines.length} items with stock in the ERP dataset ×${POSTING_SCALE}`,
    );
    await app.close();
    app = undefined;

    // 2. The same database, posting held back: the orders and their posting jobs queue up.
    const heldConfig = loadConfig({ ...env, ...POSTING_HELD_BACK });
    @Global()
    @Module({
      providers: [{ provide: SalesOrderGateway, useValue: gateway }],
      exports: [SalesOrderGateway],
    })
    class HeldBackErpModule {}
    app = await createApp(
      {
        module: class PostingCaptureRoot {},
        imports: [AppModule.forRoot(heldConfig, { erpAdapter: false }), HeldBackErpModule],
      },
      heldConfig,
      { swaggerUi: false },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    started = Date.now();
    const codes = await captureOrders(baseUrl, headers, mix, POSTING_ORDERS, 16);
    const captureSeconds = (Date.now() - started) / 1000;
    const accepted = codes.get(201) ?? 0;
    log(
      `captured ${POSTING_ORDERS} orders in ${captureSeconds.toFixed(1)} s with posting held ` +
        `back: ${[...codes.entries()].map(([c, n]) => `${c}×${n}`).join(', ')}`,
    );
    await closeHeldBackHub(app, gateway);
    app = undefined;

    // 3. The ERP limit on, a hub on the cloud adapter drains the queue.
    sandbox.faults.set({
      rateLimit: { requests: ERP_RATE * RATE_WINDOW_SECONDS, windowSeconds: RATE_WINDOW_SECONDS },
    });
    sandbox.stats.reset();
    const samples: { at: number; admitted: number }[] = [];
    const sampler = setInterval(() => {
      samples.push({ at: Date.now(), admitted: sandbox.stats.requests - sandbox.stats.throttled });
    }, 100);
    app = await createApp(AppModule.forRoot(cloudConfig), cloudConfig, { swaggerUi: false });
    await app.init();
    const db = app.get(DataSource);
    let posted = 0;
    let failed = 0;
    // Three times what the limit allows, at least a minute: a stuck run still ends.
    const deadline = Date.now() + Math.max(60, (3 * 2 * accepted) / ERP_RATE) * 1000;
    while (Date.now() < deadline) {
      const rows = (await db.query(
        `SELECT status, count(*)::int AS n FROM ord_order GROUP BY status`,
      )) as { status: string; n: number }[];
      const count = (s: string): number => rows.find((r) => r.status === s)?.n ?? 0;
      posted = count('POSTED');
      failed = count('FAILED');
      if (posted + failed >= accepted) break;
      await sleep(100);
    }
    const done = Date.now();
    clearInterval(sampler);
    const s = sandbox.stats;
    const first = samples.find((x) => x.admitted > 0)?.at ?? done;
    // Steady rate: admitted requests per second between 10 % and 90 % of the total.
    const total = s.requests - s.throttled;
    const from = samples.find((x) => x.admitted >= total * 0.1);
    const to = samples.find((x) => x.admitted >= total * 0.9);
    const steadyRate =
      from && to && to.at > from.at
        ? (to.admitted - from.admitted) / ((to.at - from.at) / 1000)
        : 0;
    return {
      orders: POSTING_ORDERS,
      accepted,
      posted,
      failed,
      captureSeconds,
      postingSeconds: (done - first) / 1000,
      requests: s.requests,
      throttled: s.throttled,
      errors5xx: s.errors5xx,
      maxInFlight: s.maxConcurrent,
      salesOrdersCreated: s.salesOrdersCreated,
      steadyRate,
      syncRequests,
      notes,
    };
  } finally {
    gateway.open();
    await app?.close();
    await sandbox.close();
    await database.stop();
  }
}

/** SKUs with at least `min` units free (on hand − allocated) in one warehouse of the dataset. */
function stockedSkus(dataset: DemoDataset, min: number): Set<string> {
  const out = new Set<string>();
  for (const b of dataset.inventoryBalances) {
    if (b.lotNo === null && Number(b.onHand) - Number(b.allocated) >= min) out.add(b.sku);
  }
  return out;
}

/** `count` orders of the mix, `parallel` at a time; answers by status code. */
async function captureOrders(
  baseUrl: string,
  headers: Record<string, string>,
  mix: OrderMix,
  count: number,
  parallel: number,
): Promise<Map<number, number>> {
  const codes = new Map<number, number>();
  let next = 0;
  let sample: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const { key, body } = orderRequest(mix, next++);
      const res = await fetch(`${baseUrl}/v1/orders`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': key },
        body,
      });
      const text = await res.text();
      if (res.status !== 201) sample ??= `${res.status}: ${text.slice(0, 300)}`;
      codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  if (sample) log(`first answer other than 201: ${sample}`);
  return codes;
}

function cloudEnv(sandbox: CloudErpSandbox): Record<string, string> {
  return {
    ...sandboxHubEnv(sandbox),
    // The hub's limit is per 5 minutes: 50 req/s.
    CLOUD_ERP_RATE_LIMIT: String(ERP_RATE * 300),
    CLOUD_ERP_MAX_CONCURRENT: '5',
  };
}

// ---------------------------------------------------------------- report

function printCapture(report: CaptureReport, config: { seconds: number }): void {
  console.log(
    `\nOrder capture vs ceiling — ${LINES_PER_ORDER}-line orders, demo dataset ×${SCALE}, ` +
      `${config.seconds} s per step, a new Idempotency-Key and channelOrderRef per request\n`,
  );
  console.log(
    'connections │ orders/s │ p50      │ p99      │ 201    │ 202 │ 4xx │ 5xx │ errors ' +
      '│ ceiling req/s │ p50      │ p99      │ ratio │ goal',
  );
  console.log(
    '────────────┼──────────┼──────────┼──────────┼────────┼─────┼─────┼─────┼────────' +
      '┼───────────────┼──────────┼──────────┼───────┼─────────',
  );
  for (const r of report.rows) {
    const c = statusCounts(r.capture);
    const ratio = r.capture.requests.average / r.ceiling.requests.average;
    const met = ratio >= GOAL_RATIO && r.capture.latency.p99 < GOAL_P99_MS;
    console.log(
      [
        String(r.connections).padStart(11),
        int(r.capture.requests.average).padStart(8),
        ms(r.capture.latency.p50).padStart(8),
        ms(r.capture.latency.p99).padStart(8),
        int(c['201']).padStart(6),
        int(c['202']).padStart(3),
        int(c['4xx']).padStart(3),
        int(c['5xx']).padStart(3),
        int(r.capture.errors + r.capture.timeouts).padStart(6),
        int(r.ceiling.requests.average).padStart(13),
        ms(r.ceiling.latency.p50).padStart(8),
        ms(r.ceiling.latency.p99).padStart(8),
        `${ratio.toFixed(2)}×`.padStart(5),
        met ? 'PASS' : 'NOT MET',
      ].join(' │ '),
    );
  }
  console.log(
    `\ngoal: capture ≥ ${GOAL_RATIO}× the ceiling with p99 < ${GOAL_P99_MS} ms at each level`,
  );
  console.log(
    'database statements per request (all the hub process sent during the step): ' +
      report.rows
        .map(
          (r) =>
            `c=${r.connections}: capture ${r.queriesPerOrder.toFixed(1)}, ceiling ` +
            `${r.queriesPerCeiling.toFixed(1)}`,
        )
        .join('; '),
  );
  console.log(
    'posting held back: the capture hub runs with a SalesOrderGateway that never answers and ' +
      'ORDERS_POSTING_CONCURRENCY=1; capture enqueues every posting job in its transaction ' +
      '(counted in the figures), none runs',
  );
  console.log(
    'ceiling: POST /bench/ceiling-orders in the same app: API-key guard + scope + channel rate ' +
      'limit, global ValidationPipe on CaptureOrderRequest, one INSERT through TypeORM ' +
      '(no idempotency, no business rules)',
  );
  for (const note of report.notes) console.log(note);
}

function printPosting(r: PostingReport): void {
  const admitted = r.requests - r.throttled;
  const rate = admitted / r.postingSeconds;
  const share = r.requests > 0 ? r.throttled / r.requests : 0;
  const met = rate / ERP_RATE >= 0.95 && share < 0.01;
  console.log(
    `\nERP posting — ERP_ADAPTER=cloud against the sandbox limited to ${ERP_RATE} req/s ` +
      `(${ERP_RATE * RATE_WINDOW_SECONDS} per ${RATE_WINDOW_SECONDS} s sliding window), hub ` +
      `CLOUD_ERP_RATE_LIMIT=${ERP_RATE * 300}/5 min, CLOUD_ERP_MAX_CONCURRENT=5, ` +
      `ORDERS_POSTING_CONCURRENCY=${POSTING_CONCURRENCY}\n`,
  );
  console.log(
    `orders captured first: ${r.orders} in ${r.captureSeconds.toFixed(1)} s (${r.accepted} ` +
      'accepted) by a hub with posting held back (as in the capture phase), on the same database',
  );
  console.log(
    'then a hub on ERP_ADAPTER=cloud started and drained the queue: ' +
      `posted ${r.posted}, failed ${r.failed}` +
      `${r.accepted > r.posted + r.failed ? `, NOT POSTED by the deadline ${r.accepted - r.posted - r.failed}` : ''}` +
      `, ${r.postingSeconds.toFixed(1)} s from the first ` +
      `ERP request to the last POSTED → ${(r.posted / r.postingSeconds).toFixed(1)} orders/s ` +
      `(sandbox created ${r.salesOrdersCreated} sales orders)`,
  );
  console.log(
    `ERP requests: ${r.requests} (${(r.requests / Math.max(1, r.posted)).toFixed(2)} per order), ` +
      `${rate.toFixed(1)} admitted req/s = ${pct(rate / ERP_RATE)} of the limit ` +
      `(steady, 10–90 % of the run: ${r.steadyRate.toFixed(1)} req/s = ` +
      `${pct(r.steadyRate / ERP_RATE)}); 429s: ${r.throttled} (${pct(share)}` +
      `${r.throttled > 0 ? `, one every ${(r.postingSeconds / r.throttled).toFixed(1)} s` : ''}); 5xx: ` +
      `${r.errors5xx}; max in flight at the sandbox: ${r.maxInFlight}`,
  );
  console.log(
    `goal: ≥ 95 % of the limit with < 1 % 429s: ${met ? 'PASS' : 'NOT MET'}` +
      ` (the hub's governor aims at 98 %)`,
  );
  console.log(`sync of the posting hub before the run: ${r.syncRequests} ERP requests`);
  for (const note of r.notes) console.log(note);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const began = Date.now();
  let capture: CaptureReport | undefined;
  let posting: PostingReport | undefined;
  const failures: string[] = [];
  if (PHASES.has('capture')) {
    try {
      capture = await capturePhase();
    } catch (error) {
      failures.push(
        `capture: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  if (PHASES.has('posting')) {
    try {
      posting = await postingPhase();
    } catch (error) {
      failures.push(
        `posting: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  console.log(
    `\nOrders benchmark — ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${((Date.now() - began) / 1000).toFixed(0)} s in all`,
  );
  if (capture) printCapture(capture, { seconds: SECONDS });
  if (posting) printPosting(posting);
  for (const failure of failures) console.log(`\nFAILED ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
