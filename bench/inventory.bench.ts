/*
 * npm run bench:inventory — inventory benchmark, printed as a table at the end.
 *
 *   (0) bare Nest GET ceiling: a one-route Nest app on Fastify, same process, same load tool
 *   (a) GET /v1/inventory/availability for 10 SKUs (goal ≥ 5,000 req/s, p99 < 20 ms)
 *   (b) reservations through the module's public API, on one hot SKU and spread over 10k SKUs
 *   (c) 200 stock events/s over HTTP: p99 from each event's occurredAt to the AvailabilityChanged
 *       that carries it being published (goal < 0.5 s)
 *
 * Uses DATABASE_URL's server when set (in a fresh database created and dropped here), else an
 * embedded PostgreSQL in a temporary directory. HTTP load comes from autocannon in a child
 * process. BENCH_SECONDS (default 10) sets the length of each timed phase; BENCH_PHASES (default
 * `0,a,b,c`) picks phases. Run it on a quiet machine: every figure shares the CPUs with
 * PostgreSQL and the load generator (the load average is printed with the results).
 */
import 'reflect-metadata';
import { Controller, Get, type DynamicModule, Global, Module } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchDatabase } from './support/bench-database.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/index.js';
import { AvailabilityChangedEvent, InventoryService } from '../src/modules/inventory/index.js';
import {
  type Customer,
  type Item,
  MasterDataFeed,
  SyncMasterDataCommand,
  type Warehouse,
} from '../src/modules/master-data/index.js';
import { type DeltaPage, type DeltaReadRequest } from '../src/platform/delta-sync/index.js';
import { CommandBus } from '@nestjs/cqrs';
import { ChannelsService } from '../src/platform/auth/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import { ApplicationError } from '../src/platform/errors/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PHASES = new Set((process.env.BENCH_PHASES ?? '0,a,b,c').split(',').map((p) => p.trim()));
const HOT_STOCK = '1000000000';
const SPREAD_SKUS = 10_000;
const EVENT_SKUS = 100;
const EVENTS_PER_SECOND = 200;
/** Events per POST /v1/inventory/events (BENCH_EVENTS_PER_REQUEST, default 10). */
const EVENTS_PER_REQUEST = Number(process.env.BENCH_EVENTS_PER_REQUEST ?? 10);
const WAREHOUSE = 'WH-BENCH';

interface Row {
  name: string;
  value: string;
  goal?: string;
}
const report: Row[] = [];
const log = (message: string): void => console.log(`[bench] ${message}`);

// ---------------------------------------------------------------- database

// ---------------------------------------------------------------- master data for the bench

/** Items and one warehouse, served in one pass (enough for the master-data sync). */
class BenchMasterDataFeed extends MasterDataFeed {
  readonly name = 'bench-erp';
  constructor(private readonly items: Item[]) {
    super();
  }
  readCustomers(): Promise<DeltaPage<Customer>> {
    return Promise.resolve({ records: [], nextCursor: null });
  }
  readWarehouses(request: DeltaReadRequest): Promise<DeltaPage<Warehouse>> {
    const warehouse: Warehouse = { code: WAREHOUSE, name: 'Bench DC', address: null, active: true };
    return Promise.resolve({
      records: request.since
        ? []
        : [{ sourceId: WAREHOUSE, modifiedAt: '2026-01-01T00:00:00.000Z', record: warehouse }],
      nextCursor: null,
    });
  }
  readItems(request: DeltaReadRequest): Promise<DeltaPage<Item>> {
    const from = request.cursor ? Number(request.cursor) : 0;
    const page = request.since ? [] : this.items.slice(from, from + request.pageSize);
    const next = from + page.length;
    return Promise.resolve({
      records: page.map((record, i) => ({
        sourceId: String(from + i).padStart(6, '0'),
        modifiedAt: '2026-01-01T00:00:00.000Z',
        record,
      })),
      nextCursor: page.length > 0 && next < this.items.length ? String(next) : null,
    });
  }
  healthCheck(): Promise<{ up: boolean }> {
    return Promise.resolve({ up: true });
  }
}

const item = (sku: string): Item => ({
  sku,
  description: `Bench item ${sku}`,
  baseUom: 'EA',
  uomConversions: [{ uom: 'EA', factor: '1' }],
  itemGroup: null,
  status: 'ACTIVE',
  fulfillmentType: 'STOCK',
  supplierId: null,
  lotControlled: false,
  substitutes: [],
  gtin: null,
  taxGroupCode: null,
});

// ---------------------------------------------------------------- load tools

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

/** autocannon in a child process, so the load generator does not share the server's CPU loop. */
async function cannon(url: string, args: string[]): Promise<CannonResult> {
  const bin = join(process.cwd(), 'node_modules', '.bin', 'autocannon');
  const { stdout } = await promisify(execFile)(
    bin,
    ['-j', '-c', '50', '-d', String(SECONDS), ...args, url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as CannonResult;
}

/** A phase that fails is reported, and the others still run. */
async function phase(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    report.push({
      name,
      value: `FAILED: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

// ---------------------------------------------------------------- (0) bare Nest ceiling

@Controller()
class PingController {
  @Get('ping')
  ping(): { ok: boolean } {
    return { ok: true };
  }
}
@Module({ controllers: [PingController] })
class BareModule {}

async function bareNestCeiling(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const r = await cannon(`${url}/ping`, []);
    report.push({
      name: '(0) bare Nest GET (Fastify, 1 route, no DB)',
      value: `${Math.round(r.requests.average)} req/s, p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}`,
    });
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const database = await benchDatabase(`crossdock_bench_${process.pid}`);
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    INVENTORY_SYNC_CRON: 'off',
  });
  const spread = Array.from(
    { length: SPREAD_SKUS },
    (_, i) => `SPREAD-${String(i).padStart(5, '0')}`,
  );
  const eventSkus = Array.from(
    { length: EVENT_SKUS },
    (_, i) => `EVT-${String(i).padStart(3, '0')}`,
  );
  const readSkus = Array.from({ length: 10 }, (_, i) => `READ-${i}`);
  const skus = ['HOT-1', ...readSkus, ...eventSkus, ...(PHASES.has('b') ? spread : [])];
  const feed = new BenchMasterDataFeed(skus.map(item));
  @Global()
  @Module({
    providers: [{ provide: MasterDataFeed, useValue: feed }],
    exports: [MasterDataFeed],
  })
  class BenchFeedModule {}
  const root: DynamicModule = {
    module: class BenchRoot {},
    imports: [AppModule.forRoot(config, { erpAdapter: false }), BenchFeedModule],
  };

  let app: NestFastifyApplication | undefined;
  try {
    if (PHASES.has('0')) await bareNestCeiling();

    app = await createApp(root, config, { swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const inventory = app.get(InventoryService);
    const channel = await app.get(ChannelsService).createChannel({
      name: `bench-${randomUUID().slice(0, 8)}`,
      kind: 'wms',
      scopes: ['inventory:read', 'inventory:write'],
      rateLimitPerMinute: 1_000_000,
      customerScope: { kind: 'ALL' },
    });
    const auth = `Bearer ${channel.apiKey}`;

    let started = Date.now();
    const run = await app.get(CommandBus).execute(new SyncMasterDataCommand('manual', true));
    log(`master data: ${run.streams.items.upserted} items in ${Date.now() - started} ms`);
    started = Date.now();
    const seed = skus.map((sku) => ({
      eventId: `seed-${sku}`,
      sku,
      warehouse: WAREHOUSE,
      type: 'SNAPSHOT',
      quantity: HOT_STOCK,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      source: 'BENCH',
    }));
    for (let i = 0; i < seed.length; i += 1000) {
      await inventory.applyStockEvents(seed.slice(i, i + 1000), channel.channel.id);
    }
    log(`stock: ${seed.length} positions seeded by SNAPSHOT events in ${Date.now() - started} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // (a) availability reads
    if (PHASES.has('0')) {
      await phase('(0) hub GET /health/live', async () => {
        const r = await cannon(`${baseUrl}/health/live`, []);
        report.push({
          name: "(0) hub GET /health/live (the hub's HTTP stack: helmet, logging, metrics; no auth, no DB)",
          value: `${Math.round(r.requests.average)} req/s, p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}`,
        });
      });
    }
    if (PHASES.has('a')) await phase('(a)', () => availabilityReads(baseUrl, auth, readSkus));

    // (b) reservations
    if (PHASES.has('b')) {
      const picks: [string, () => string][] = [
        ['hot SKU', () => 'HOT-1'],
        [
          `spread over ${SPREAD_SKUS} SKUs`,
          () => spread[Math.floor(Math.random() * spread.length)],
        ],
      ];
      for (const [label, pick] of picks) {
        const name = `(b) reserve 1 unit, ${label}, 32 callers`;
        await phase(name, async () => {
          const r = await reservations(inventory, pick);
          report.push({
            name,
            value: `${Math.round(r.perSecond)} reservations/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, failed ${r.failed}`,
          });
        });
      }
    }

    // (c) stock events → AvailabilityChanged published
    if (PHASES.has('c')) {
      const name = `(c) ${EVENTS_PER_SECOND} events/s over HTTP, ${EVENTS_PER_REQUEST} per request → AvailabilityChanged published`;
      await phase(name, async () => {
        const c = await eventsToChanges(app!, baseUrl, auth, eventSkus);
        report.push({
          name,
          value: `${c.sent} events (${c.rate.toFixed(0)}/s sent), p50 ${ms(c.p50)}, p99 ${ms(c.p99)}, max ${ms(c.max)}, unmatched ${c.unmatched}, failed ${c.failed}, HTTP p99 ${ms(c.httpP99)} per request`,
          goal: 'p99 < 500 ms (includes the 250 ms coalescing window)',
        });
      });
    }
  } finally {
    await app?.close();
    await database.stop();
  }

  console.log(
    '\nInventory benchmark (BENCH_SECONDS=%d, %d CPUs, load average at the end %s)\n',
    SECONDS,
    availableParallelism(),
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  );
  for (const row of report) {
    console.log(`${row.name}\n    ${row.value}${row.goal ? `\n    goal: ${row.goal}` : ''}`);
  }
}

async function availabilityReads(baseUrl: string, auth: string, readSkus: string[]): Promise<void> {
  const query = readSkus.map((s) => `sku=${s}`).join('&');
  const reads = await cannon(`${baseUrl}/v1/inventory/availability?${query}`, [
    '-H',
    `authorization=${auth}`,
  ]);
  report.push({
    name: '(a) GET availability, 10 SKUs, 50 connections',
    value: `${Math.round(reads.requests.average)} req/s, p50 ${ms(reads.latency.p50)}, p99 ${ms(reads.latency.p99)}, non-2xx ${reads.non2xx}`,
    goal: '≥ 5,000 req/s, p99 < 20 ms',
  });
}

async function reservations(
  inventory: InventoryService,
  pick: () => string,
): Promise<{ perSecond: number; p50: number; p99: number; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const t = performance.now();
      try {
        await inventory.reserve({
          orderId: `bench-${randomUUID()}`,
          lines: [{ sku: pick(), warehouse: WAREHOUSE, quantity: '1' }],
        });
        latencies.push(performance.now() - t);
      } catch (error) {
        if (!(error instanceof ApplicationError)) throw error;
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed,
  };
}

async function eventsToChanges(
  app: NestFastifyApplication,
  baseUrl: string,
  auth: string,
  skus: string[],
): Promise<{
  sent: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  unmatched: number;
  failed: number;
  httpP99: number;
}> {
  // Publications of AvailabilityChanged per SKU: when, and the ATP they announced.
  const published = new Map<string, { at: number; atp: number }[]>();
  const subscription = app.get(EventBus).subscribe((event) => {
    if (event instanceof AvailabilityChangedEvent) {
      const list = published.get(event.sku) ?? [];
      list.push({ at: Date.now(), atp: Number(event.newAtp) });
      published.set(event.sku, list);
    }
  });
  const sent: { sku: string; occurredAt: number; answeredAt: number }[] = [];
  const http: number[] = [];
  // Events leave in batches of EVENTS_PER_REQUEST, one batch every 1000 / (rate / size) ms,
  // as a WMS forwarding its movements does; each event is stamped when its batch leaves.
  const batches = (EVENTS_PER_SECOND * SECONDS) / EVENTS_PER_REQUEST;
  const interval = (1000 * EVENTS_PER_REQUEST) / EVENTS_PER_SECOND;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  let next = 0;
  for (let b = 0; b < batches; b++) {
    const wait = started + b * interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const occurredAt = Date.now();
    const batch = Array.from({ length: EVENTS_PER_REQUEST }, () => skus[next++ % skus.length]);
    inFlight.push(
      post(`${baseUrl}/v1/inventory/events`, auth, {
        events: batch.map((sku) => ({
          eventId: `bench-${randomUUID()}`,
          sku,
          warehouse: WAREHOUSE,
          type: 'ADJUSTMENT',
          quantity: '1',
          occurredAt: new Date(occurredAt).toISOString(),
          source: 'BENCH',
        })),
      }).then(
        (status) => {
          if (status !== 200) {
            failed += batch.length;
            return;
          }
          const answeredAt = Date.now();
          http.push(answeredAt - occurredAt);
          for (const sku of batch) sent.push({ sku, occurredAt, answeredAt });
        },
        () => {
          failed += batch.length;
        },
      ),
    );
  }
  const rate = (batches * EVENTS_PER_REQUEST) / ((Date.now() - started) / 1000);
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  subscription.unsubscribe();
  // Every event adds 1 to its SKU's ATP. Events of one SKU are 500 ms apart, so they commit in
  // the order they were answered: the k-th one is carried by the first AvailabilityChanged of
  // that SKU announcing an ATP of at least the starting stock + k.
  const latencies: number[] = [];
  let unmatched = 0;
  const bySku = new Map<string, typeof sent>();
  for (const e of sent) bySku.set(e.sku, [...(bySku.get(e.sku) ?? []), e]);
  for (const [sku, events] of bySku) {
    events.sort((a, b) => a.answeredAt - b.answeredAt);
    events.forEach((e, k) => {
      const carrier = (published.get(sku) ?? []).find((p) => p.atp >= Number(HOT_STOCK) + k + 1);
      if (!carrier) unmatched++;
      else latencies.push(carrier.at - e.occurredAt);
    });
  }
  latencies.sort((a, b) => a - b);
  http.sort((a, b) => a - b);
  return {
    sent: sent.length,
    rate,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    unmatched,
    failed,
    httpP99: percentile(http, 99),
  };
}

const agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });

/** POST a JSON body over a bounded keep-alive pool; resolves to the status code. */
function post(url: string, authorization: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
