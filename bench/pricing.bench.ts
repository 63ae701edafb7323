/*
 * npm run bench:pricing — pricing benchmark on the 10× demo dataset, printed as a table at the end.
 *
 *   setup  the demo dataset (BENCH_SCALE, default 10: 20k items, 5,250 contracts, 500 promotions)
 *          synced into a fresh hub database through the real master-data and price-data syncs
 *          (in-memory ERP feeds), then the price cache loaded from the hub tables
 *   (0)    ceilings: a bare Nest GET (one-route Nest app on Fastify, same process, same load tool)
 *          and the hub's own GET /health/live (the full HTTP pipeline, no auth, no DB)
 *   (1)    POST /v1/pricing/quotes, 20 lines each, 1,000 different quotes rotated, over HTTP at
 *          increasing concurrency (goal ≥ 2,000 quotes/s with p99 < 20 ms on 2 cores); every
 *          quote is issued and stored (group-committed INSERTs)
 *   (2)    the engine alone, in process: quotes/s on one core, no HTTP, no storage
 *   (3)    memory of the price cache: heap of a complete index, between two full GCs
 *
 * Uses DATABASE_URL's server when set (in a fresh database created and dropped here), else an
 * embedded PostgreSQL in a temporary directory. HTTP load comes from autocannon in a child
 * process. BENCH_SECONDS (default 10) sets each timed phase, BENCH_CONCURRENCY (default
 * "1,4,16,64") the connection counts.
 */
import 'reflect-metadata';
import { Controller, type DynamicModule, Get, Global, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { benchDatabase } from './support/bench-database.js';
import {
  type DemoDataset,
  generateDemoDataset,
  SeededRandom,
} from '../src/erp-simulators/demo-data/index.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/index.js';
import { MasterDataFeed, SyncMasterDataCommand } from '../src/modules/master-data/index.js';
import {
  evaluateQuote,
  PriceDataFeed,
  type QuoteInput,
  SyncPriceDataCommand,
} from '../src/modules/pricing/index.js';
// The benchmark reads the cache's own statistics: not part of the module's public API.
import { PriceCache } from '../src/modules/pricing/application/price-cache/price-cache.js';
import { ChannelsService } from '../src/platform/auth/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import { DemoMasterDataFeed, DemoPriceDataFeed } from './pricing-demo-feeds.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4,16,64').split(',').map(Number);
const LINES_PER_QUOTE = 20;
const DISTINCT_QUOTES = 1000;

const log = (message: string): void => console.log(`[bench] ${message}`);
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------- database

// ---------------------------------------------------------------- load

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function load(job: {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  bodies?: string[];
  connections: number;
}): Promise<LoadResult> {
  const worker = fileURLToPath(new URL('./pricing-load.worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.error !== undefined || !message.result) reject(new Error(message.error));
      else resolve(message.result);
    });
    child.once('error', reject);
    child.send({ headers: {}, bodies: [], seconds: SECONDS, ...job });
  });
}

// ---------------------------------------------------------------- quotes

/** 20-line quotes of active customers for sellable items, in random units and quantities. */
function quoteBodies(dataset: DemoDataset, pricingDate: string): QuoteInput[] {
  const rng = new SeededRandom(4242);
  const customers = dataset.customers.filter((c) => c.status === 'ACTIVE');
  const items = dataset.items.filter((i) => i.status !== 'BLOCKED');
  const codes = dataset.promotions.map((p) => p.code);
  return Array.from({ length: DISTINCT_QUOTES }, () => ({
    customerId: rng.pick(customers).customerNo,
    pricingDate,
    promotionCodes: rng.chance(0.2) ? [rng.pick(codes)] : [],
    lines: Array.from({ length: LINES_PER_QUOTE }, () => {
      const item = rng.pick(items);
      return {
        sku: item.sku,
        quantity: String(rng.int(1, 48)),
        uom: rng.pick(item.uoms).uomCode,
      };
    }),
  }));
}

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

async function bareNest(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/ping`,
    close: () => app.close(),
  };
}

// ---------------------------------------------------------------- main

interface Row {
  concurrency: number;
  quotes: LoadResult;
  bare: LoadResult;
}

async function main(): Promise<void> {
  const database = await benchDatabase(`crossdock_pricing_bench_${process.pid}`);
  let started = Date.now();
  const dataset = generateDemoDataset({ scale: SCALE });
  const priceFeed = new DemoPriceDataFeed(dataset);
  const masterFeed = new DemoMasterDataFeed(dataset);
  log(
    `dataset ×${SCALE} in ${Date.now() - started} ms: ${dataset.items.length} items, ` +
      `${dataset.customers.length} customers, ${priceFeed.priceLists.length} price lists, ` +
      `${priceFeed.entries.length} price-list entries (lines + breaks), ` +
      `${priceFeed.contracts.length} contracts, ${priceFeed.promotions.length} promotions`,
  );
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    JOBS_ENABLED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    MASTER_DATA_SYNC_PAGE_SIZE: '5000',
    INVENTORY_SYNC_CRON: 'off',
    PRICING_SYNC_CRON: 'off',
    PRICING_FULL_SYNC_CRON: 'off',
    PRICING_SYNC_PAGE_SIZE: '10000',
  });
  @Global()
  @Module({
    providers: [
      { provide: MasterDataFeed, useValue: masterFeed },
      { provide: PriceDataFeed, useValue: priceFeed },
    ],
    exports: [MasterDataFeed, PriceDataFeed],
  })
  class BenchFeedsModule {}
  const root: DynamicModule = {
    module: class PricingBenchRoot {},
    imports: [AppModule.forRoot(config, { erpAdapter: false }), BenchFeedsModule],
  };

  let app: NestFastifyApplication | undefined;
  const bare = await bareNest();
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    app = await createApp(root, config, { swaggerUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const channel = await app.get(ChannelsService).createChannel({
      name: `bench-${randomUUID().slice(0, 8)}`,
      kind: 'ecommerce',
      scopes: ['pricing:read'],
      rateLimitPerMinute: 1_000_000,
      customerScope: { kind: 'ALL' },
    });
    const headers = {
      authorization: `Bearer ${channel.apiKey}`,
      'content-type': 'application/json',
    };

    started = Date.now();
    const md = await app.get(CommandBus).execute(new SyncMasterDataCommand('manual', true));
    log(
      `master-data sync: ${md.streams.items.upserted} items, ${md.streams.customers.upserted} ` +
        `customers in ${Date.now() - started} ms (${md.status})`,
    );
    started = Date.now();
    const run = await app.get(CommandBus).execute(new SyncPriceDataCommand('manual', true));
    const synced = Object.values(run.streams).reduce((n, s) => n + s.upserted, 0);
    const syncMs = Date.now() - started;
    log(`price-data sync: ${synced} records in ${syncMs} ms (${run.status}), cache refreshed`);
    notes.push(`price-data sync of ${int(synced)} records: ${(syncMs / 1000).toFixed(1)} s`);

    const cache = app.get(PriceCache);
    const stats = cache.stats();
    started = Date.now();
    const heap = await cache.measureHeapBytes();
    const buildMs = Date.now() - started;
    const memory =
      heap === null
        ? 'n/a (run node with --expose-gc)'
        : `${mb(heap)} heap for ${int(stats.items)} items, ${int(stats.customers)} customers, ` +
          `${int(stats.priceLists)} price lists, ${int(stats.priceListEntries)} entries, ` +
          `${int(stats.contracts)} contracts, ${int(stats.promotions)} promotions ` +
          `(full load from the tables: ${buildMs} ms)`;
    log(`price cache: ${memory}`);

    const pricingDate = dataset.baseDate.slice(0, 10);
    const inputs = quoteBodies(dataset, pricingDate);
    const bodies = inputs.map((q) => JSON.stringify(q));

    // Sanity: the requests price, and what they exercise.
    const sample = await fetch(`${baseUrl}/v1/pricing/quotes`, {
      method: 'POST',
      headers,
      body: bodies[0],
    });
    if (sample.status !== 201) throw new Error(`sample quote answered ${sample.status}`);
    const sampleBytes = (await sample.arrayBuffer()).byteLength;
    const index = await cache.current();
    const sources = new Map<string, number>();
    let lines = 0;
    for (const input of inputs) {
      const result = evaluateQuote(index, input);
      if (!result.ok) throw new Error(result.refusal.message);
      for (const line of result.quote.lines) {
        lines += 1;
        const key = line.source ?? line.violations[0]?.code ?? '?';
        sources.set(key, (sources.get(key) ?? 0) + 1);
      }
    }
    const mix = [...sources.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${((n / lines) * 100).toFixed(1)}%`)
      .join(', ');
    notes.push(`line mix: ${mix}; response ≈ ${(sampleBytes / 1024).toFixed(1)} KB per quote`);

    // (2) the engine alone
    const engineRuns = 5000;
    const engineLatencies: number[] = [];
    const engineStart = performance.now();
    for (let i = 0; i < engineRuns; i++) {
      const t = performance.now();
      evaluateQuote(index, inputs[i % inputs.length]);
      engineLatencies.push(performance.now() - t);
    }
    const engineSeconds = (performance.now() - engineStart) / 1000;
    engineLatencies.sort((a, b) => a - b);
    const pct = (p: number): number =>
      engineLatencies[
        Math.min(engineLatencies.length - 1, Math.ceil((p / 100) * engineLatencies.length) - 1)
      ];

    // Warm-up, then (0) and (1) at each concurrency.
    await load({
      url: `${baseUrl}/v1/pricing/quotes`,
      method: 'POST',
      headers,
      bodies,
      connections: 8,
    });
    const health = await load({ url: `${baseUrl}/health/live`, method: 'GET', connections: 16 });
    for (const connections of CONCURRENCY) {
      const bareResult = await load({ url: bare.url, method: 'GET', connections });
      const quotes = await load({
        url: `${baseUrl}/v1/pricing/quotes`,
        method: 'POST',
        headers,
        bodies,
        connections,
      });
      log(
        `c=${connections}: ${int(quotes.requests.average)} quotes/s p99 ${ms(quotes.latency.p99)}; ` +
          `bare ${int(bareResult.requests.average)} req/s`,
      );
      rows.push({ concurrency: connections, quotes, bare: bareResult });
    }

    console.log(
      `\nPricing benchmark — ${LINES_PER_QUOTE}-line quotes, demo dataset ×${SCALE}, ` +
        `${SECONDS} s per step, ${DISTINCT_QUOTES} distinct quotes rotated\n`,
    );
    console.log(
      'connections │ quotes/s │ p50      │ p99      │ non-2xx │ bare Nest GET req/s │ p50      │ p99',
    );
    console.log(
      '────────────┼──────────┼──────────┼──────────┼─────────┼─────────────────────┼──────────┼─────────',
    );
    for (const r of rows) {
      console.log(
        [
          String(r.concurrency).padStart(11),
          int(r.quotes.requests.average).padStart(8),
          ms(r.quotes.latency.p50).padStart(8),
          ms(r.quotes.latency.p99).padStart(8),
          String(r.quotes.non2xx + r.quotes.errors).padStart(7),
          int(r.bare.requests.average).padStart(19),
          ms(r.bare.latency.p50).padStart(8),
          ms(r.bare.latency.p99).padStart(8),
        ].join(' │ '),
      );
    }
    console.log(
      `\nhub GET /health/live (full HTTP pipeline, 16 connections): ${int(health.requests.average)} req/s, ` +
        `p50 ${ms(health.latency.p50)}, p99 ${ms(health.latency.p99)}`,
    );
    console.log(
      `engine alone (in process, one core): ${int(engineRuns / engineSeconds)} quotes/s, ` +
        `p50 ${ms(pct(50))}, p99 ${ms(pct(99))} per ${LINES_PER_QUOTE}-line quote`,
    );
    console.log(`price cache memory: ${memory}`);
    for (const note of notes) console.log(note);
    console.log('goal: ≥ 2,000 quotes/s with p99 < 20 ms (2 cores, load generator included)');
  } finally {
    await bare.close();
    await app?.close();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
