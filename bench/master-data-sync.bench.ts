/*
 * npm run bench:sync — full master-data sync of the 10× demo dataset through each ERP adapter.
 *
 * For each adapter, a fresh hub database and the real sync path (SyncMasterDataCommand, what
 * POST /v1/admin/sync/master-data runs): records/s end to end (read from the ERP, validated,
 * written to the hub). For the cloud adapter also the request rate it achieved against the
 * configured ERP limit, and the share of 429s.
 *
 *   on-prem: a fresh ERP database (reference schema) loaded with the dataset, read over SQL;
 *   cloud:   the cloud ERP sandbox in-process, enforcing the configured limit over a shortened
 *            sliding window (same rate, 1 minute instead of 5), so a run of a minute or two
 *            meets the window and any over-use shows up as 429s.
 *
 * Uses DATABASE_URL's server when set (databases created and dropped here), else an embedded
 * PostgreSQL in a temporary directory. Settings (env):
 *   BENCH_SCALE (10), BENCH_ADAPTERS (onprem,cloud), MASTER_DATA_SYNC_PAGE_SIZE (500),
 *   CLOUD_ERP_RATE_LIMIT (6000 per 5 min), CLOUD_ERP_MAX_CONCURRENT (5),
 *   BENCH_RATE_WINDOW_SECONDS (60: the sandbox's window for the same rate),
 *   BENCH_SANDBOX_RATE_SHARE (1: the sandbox admits this share of the configured rate; below 1
 *   it limits harder than configured and the adapter must adapt), BENCH_RETRY_AFTER (1; 0 =
 *   429s without Retry-After, as BC does not promise it), BENCH_LATENCY_MS (50-150: the
 *   sandbox's answer time per request, fixed `150` or a range `min-max`; BC online answers
 *   in the order of 100 ms, so a sync reading one request at a time cannot reach the limit),
 *   BENCH_CLOUD_HUB (on; off = the cloud feed alone, pages dropped as read: the adapter's use
 *   of the rate without the hub's apply, which a loaded machine slows down).
 *
 * Verdicts: at the configured rate (share 1) the goal is ≥ 95 % of the configured limit with
 * < 1 % 429s; against a sandbox limiting harder (share < 1), ≥ 80 % of what it admits with
 * < 5 % 429s. Each verdict line says MET or NOT MET.
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './support/bench-database.js';
import { DataSource } from 'typeorm';
import { generateDemoDataset } from '../src/erp-simulators/demo-data/index.js';
import {
  dropDatabaseIfExists,
  prepareOnPremErpDatabase,
} from '../src/erp-simulators/onprem/index.js';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/index.js';
import { SyncMasterDataCommand } from '../src/modules/master-data/index.js';
import type { DeltaReadRequest, DeltaSyncRun } from '../src/platform/delta-sync/index.js';
import { EmbeddedPostgres } from '../src/platform/database/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import { CloudErpConnection } from '../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudMasterDataFeed } from '../src/adapters/erp/cloud/master-data/cloud-master-data.feed.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
  sandboxCredentials,
  sandboxHubEnv,
} from '../src/erp-simulators/cloud/index.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'onprem,cloud').split(',').map((a) => a.trim());
const PAGE_SIZE = process.env.MASTER_DATA_SYNC_PAGE_SIZE ?? '500';
const RATE_PER_5_MIN = Number(process.env.CLOUD_ERP_RATE_LIMIT ?? 6000);
const MAX_CONCURRENT = Number(process.env.CLOUD_ERP_MAX_CONCURRENT ?? 5);
const WINDOW_SECONDS = Number(process.env.BENCH_RATE_WINDOW_SECONDS ?? 60);
const SANDBOX_RATE_SHARE = Number(process.env.BENCH_SANDBOX_RATE_SHARE ?? 1);
const RETRY_AFTER = process.env.BENCH_RETRY_AFTER !== '0';
const HUB = process.env.BENCH_CLOUD_HUB !== 'off';
const LATENCY_MS = parseLatency(process.env.BENCH_LATENCY_MS ?? '50-150');
const RUN = `crossdock_bench_${process.pid}`;

interface Result {
  adapter: string;
  records: number;
  seconds: number;
  status: string;
  requests?: number;
  throttled?: number;
  errors5xx?: number;
  maxConcurrent?: number;
  profile?: GateProfile;
}

/** Where the cloud sync's time went, sampled at the request gate every PROFILE_EVERY_MS. */
interface GateProfile {
  samples: number;
  /** Sum of requests in flight over the samples (mean in flight = inFlight / samples). */
  inFlight: number;
  /** Requests waiting at the gate, all slots taken: the in-flight cap × latency limits. */
  atCap: number;
  /** Requests waiting at the gate for a token (a slot free): the rate limits, as it should. */
  queued: number;
  /** Requests in flight, none waiting: a token that comes free finds no request (latency). */
  inFlightOnly: number;
  /** Nothing in flight, nothing waiting: the hub applies a page, or the reader computes. */
  idle: number;
  /** Event-loop delay (ms): a stalled loop starts no request, whatever the gate allows. */
  loopDelayP99Ms?: number;
  loopDelayMaxMs?: number;
}

const PROFILE_EVERY_MS = 20;

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const server = await postgresServer();
  const dataset = generateDemoDataset({ scale: SCALE });
  const records = dataset.customers.length + dataset.items.length + dataset.warehouses.length;
  out(
    `master-data sync benchmark: scale ${SCALE} (${dataset.customers.length} customers, ` +
      `${dataset.items.length} items, ${dataset.warehouses.length} warehouses = ${records} records), ` +
      `page size ${PAGE_SIZE}, PostgreSQL ${server.embedded ? 'embedded' : 'from DATABASE_URL'}`,
  );
  const results: Result[] = [];
  try {
    for (const adapter of ADAPTERS) {
      if (adapter === 'onprem') results.push(await benchOnPrem(server.url, dataset.seed));
      else if (adapter === 'cloud') results.push(await benchCloud(server.url, dataset));
      else throw new Error(`BENCH_ADAPTERS: unknown adapter ${adapter}`);
    }
  } finally {
    await server.stop();
  }
  report(results);
}

async function benchOnPrem(serverUrl: string, seed: number): Promise<Result> {
  const erpUrl = databaseUrl(serverUrl, `${RUN}_erp`);
  await dropDatabaseIfExists(erpUrl);
  out(`\n[onprem] loading the ERP database (scale ${SCALE})...`);
  const loadStarted = Date.now();
  await prepareOnPremErpDatabase(erpUrl, { scale: SCALE, seed });
  // An ERP database in use has planner statistics; a fresh bulk load has none yet.
  const erp = new pg.Client({ connectionString: erpUrl });
  await erp.connect();
  await erp.query('ANALYZE');
  await erp.end();
  out(`[onprem] ERP database loaded and analysed in ${seconds(Date.now() - loadStarted)} s`);
  try {
    return await runSync('onprem', serverUrl, { ERP_ONPREM_DATABASE_URL: erpUrl });
  } finally {
    await dropDatabaseIfExists(erpUrl);
  }
}

async function benchCloud(
  serverUrl: string,
  dataset: ReturnType<typeof generateDemoDataset>,
): Promise<Result> {
  const perWindow = Math.round((RATE_PER_5_MIN * SANDBOX_RATE_SHARE * WINDOW_SECONDS) / 300);
  out(
    `\n[cloud] sandbox at scale ${SCALE}; configured limit ${RATE_PER_5_MIN} requests / 5 min ` +
      `(${rate(RATE_PER_5_MIN / 300)} req/s), at most ${MAX_CONCURRENT} at once; the sandbox ` +
      `admits ${perWindow} requests / ${WINDOW_SECONDS} s ` +
      `(${(SANDBOX_RATE_SHARE * 100).toFixed(0)} % of the configured rate), ` +
      `429s ${RETRY_AFTER ? 'with' : 'without'} Retry-After, ` +
      `latency ${Array.isArray(LATENCY_MS) ? LATENCY_MS.join('-') : LATENCY_MS} ms per request`,
  );
  const sandbox = await startCloudErpSandbox({
    dataset,
    rateLimit: { requests: perWindow, windowSeconds: WINDOW_SECONDS, maxConcurrent: 5 },
    retryAfterHeader: RETRY_AFTER,
    faults: { latencyMs: LATENCY_MS },
  });
  try {
    const result = HUB
      ? await runSync('cloud', serverUrl, cloudEnv(sandbox), sandbox)
      : await readFeedOnly(sandbox);
    const s = sandbox.stats;
    return {
      ...result,
      profile: result.profile,
      requests: s.requests,
      throttled: s.throttled,
      errors5xx: s.errors5xx,
      maxConcurrent: s.maxConcurrent,
    };
  } finally {
    await sandbox.close();
  }
}

async function runSync(
  adapter: string,
  serverUrl: string,
  env: Record<string, string>,
  sandbox?: CloudErpSandbox,
): Promise<Result> {
  const hubUrl = databaseUrl(serverUrl, `${RUN}_hub_${adapter}`);
  await dropDatabaseIfExists(hubUrl);
  await createDatabase(hubUrl);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: hubUrl,
    ERP_ADAPTER: adapter,
    JOBS_ENABLED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    MASTER_DATA_SYNC_PAGE_SIZE: PAGE_SIZE,
    ...env,
  });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(AppModule.forRoot(config), config, { swaggerUi: false });
    await app.init();
    const db = app.get(DataSource);
    sandbox?.stats.reset();
    out(`[${adapter}] full sync through the hub...`);
    const started = Date.now();
    const progress = setInterval(() => {
      void progressLine(adapter, db, started, sandbox).then(out, () => undefined);
    }, 5000);
    const client = sandbox ? app.get(CloudErpConnection).client : null;
    const sampler = client ? sampleGate(client) : undefined;
    let run: DeltaSyncRun;
    try {
      run = await app.get(CommandBus).execute(new SyncMasterDataCommand('manual', true));
    } finally {
      clearInterval(progress);
      sampler?.stop();
    }
    const profile = sampler?.profile;
    const elapsed = Date.now() - started;
    const read = Object.values(run.streams).reduce((n, e) => n + e.read, 0);
    out(
      `[${adapter}] ${run.status}: ${read} records in ${seconds(elapsed)} s` +
        (run.error ? ` (${run.error})` : ''),
    );
    return {
      adapter,
      records: read,
      seconds: elapsed / 1000,
      status: run.status,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await app?.close();
    await dropDatabaseIfExists(hubUrl);
  }
}

/**
 * BENCH_CLOUD_HUB=off: the cloud feed alone, each kind's full pass read page after page and
 * dropped at once (no hub database, no apply): what the adapter makes of the ERP's rate when
 * the hub is never the bottleneck (a loaded machine slows the hub's apply, not the ERP).
 */
async function readFeedOnly(sandbox: CloudErpSandbox): Promise<Result> {
  const connection = new CloudErpConnection({
    ...sandboxCredentials(sandbox),
    localCurrency: 'USD',
    ...(process.env.CLOUD_ERP_SYNC_CONCURRENCY
      ? { syncConcurrency: Number(process.env.CLOUD_ERP_SYNC_CONCURRENCY) }
      : {}),
    governor: {
      requestsPerWindow: RATE_PER_5_MIN,
      windowMs: 5 * 60_000,
      maxConcurrent: MAX_CONCURRENT,
    },
  });
  const feed = new CloudMasterDataFeed(connection);
  const read = {
    warehouses: (r: DeltaReadRequest) => feed.readWarehouses(r),
    customers: (r: DeltaReadRequest) => feed.readCustomers(r),
    items: (r: DeltaReadRequest) => feed.readItems(r),
  };
  sandbox.stats.reset();
  out('[cloud] full pass of every kind through the feed alone (BENCH_CLOUD_HUB=off)...');
  const started = Date.now();
  const sampler = sampleGate(connection.client as NonNullable<typeof connection.client>);
  let records = 0;
  try {
    for (const kind of ['warehouses', 'customers', 'items'] as const) {
      let request: DeltaReadRequest = { since: null, cursor: null, pageSize: Number(PAGE_SIZE) };
      for (;;) {
        const page = await read[kind](request);
        records += page.records.length;
        if (page.nextCursor === null) break;
        request = { ...request, cursor: page.nextCursor };
      }
    }
  } finally {
    sampler.stop();
  }
  const elapsed = Date.now() - started;
  out(`[cloud] feed read ${records} records in ${seconds(elapsed)} s`);
  return {
    adapter: 'cloud',
    records,
    seconds: elapsed / 1000,
    status: 'feed only',
    profile: sampler.profile,
  };
}

/** Samples the request gate every PROFILE_EVERY_MS until stopped. */
function sampleGate(client: {
  load: { inFlight: number; queued: number; maxConcurrent: number };
}): { profile: GateProfile; stop(): void } {
  const profile: GateProfile = {
    samples: 0,
    inFlight: 0,
    atCap: 0,
    queued: 0,
    inFlightOnly: 0,
    idle: 0,
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const timer = setInterval(() => {
    const { inFlight, queued, maxConcurrent } = client.load;
    profile.samples += 1;
    profile.inFlight += inFlight;
    if (queued > 0 && inFlight >= maxConcurrent) profile.atCap += 1;
    else if (queued > 0) profile.queued += 1;
    else if (inFlight > 0) profile.inFlightOnly += 1;
    else profile.idle += 1;
  }, PROFILE_EVERY_MS);
  return {
    profile,
    stop: () => {
      clearInterval(timer);
      loop.disable();
      profile.loopDelayP99Ms = loop.percentile(99) / 1e6;
      profile.loopDelayMaxMs = loop.max / 1e6;
    },
  };
}

async function progressLine(
  adapter: string,
  db: DataSource,
  started: number,
  sandbox?: CloudErpSandbox,
): Promise<string> {
  const rows = (await db.query(
    `SELECT streams FROM sync_run WHERE sync = 'master-data' AND status = 'running'
     ORDER BY started_at DESC LIMIT 1`,
  )) as { streams: Record<string, { read: number }> }[];
  const read = rows[0] ? Object.values(rows[0].streams).reduce((n, e) => n + e.read, 0) : 0;
  const elapsed = (Date.now() - started) / 1000;
  const erp = sandbox
    ? `, ${sandbox.stats.requests} ERP requests (${rate(sandbox.stats.requests / elapsed)}/s), ` +
      `${sandbox.stats.throttled} 429`
    : '';
  return `[${adapter}]   ${elapsed.toFixed(0)} s: ${read} records${erp}`;
}

function report(results: Result[]): void {
  const limitPerSecond = RATE_PER_5_MIN / 300;
  out('\nresults');
  out(
    'adapter | status    | records | seconds | records/s | ERP requests | req/s  | of limit | 429s',
  );
  for (const r of results) {
    const cloud = r.requests !== undefined;
    const perSecond = cloud ? (r.requests as number) / r.seconds : 0;
    out(
      [
        r.adapter.padEnd(7),
        r.status.padEnd(9),
        String(r.records).padStart(7),
        r.seconds.toFixed(1).padStart(7),
        rate(r.records / r.seconds).padStart(9),
        (cloud ? String(r.requests) : '-').padStart(12),
        (cloud ? rate(perSecond) : '-').padStart(6),
        (cloud ? (perSecond / limitPerSecond).toFixed(3) : '-').padStart(8),
        cloud
          ? `${r.throttled} (share ${ratio((r.throttled as number) / Math.max(1, r.requests as number), 4)})`
          : '-',
      ].join(' | '),
    );
  }
  const cloud = results.find((r) => r.requests !== undefined);
  if (cloud) {
    const p = cloud.profile;
    if (p && p.samples > 0) {
      const perSecond = (cloud.requests as number) / cloud.seconds;
      const meanInFlight = p.inFlight / p.samples;
      // Little's law: requests in flight = rate × time each one takes.
      const latencyMs = (meanInFlight / perSecond) * 1000;
      out(
        `\ncloud profile (gate sampled every ${PROFILE_EVERY_MS} ms), share of the time: ` +
          `waiting for a token (rate-bound) ${ratio(p.queued / p.samples)}, ` +
          `waiting for a slot (all ${MAX_CONCURRENT} in flight) ${ratio(p.atCap / p.samples)}, ` +
          `in flight with none waiting ${ratio(p.inFlightOnly / p.samples)}, ` +
          `nothing in flight (hub apply / reader) ${ratio(p.idle / p.samples)}; ` +
          `mean ${meanInFlight.toFixed(2)} in flight, ${latencyMs.toFixed(0)} ms per request ` +
          `(ceiling at ${MAX_CONCURRENT} in flight: ` +
          `${ratio((MAX_CONCURRENT * 1000) / latencyMs / (RATE_PER_5_MIN / 300))} of the limit); ` +
          `event-loop delay p99 ${(p.loopDelayP99Ms ?? 0).toFixed(0)} ms, ` +
          `max ${(p.loopDelayMaxMs ?? 0).toFixed(0)} ms`,
      );
    }
    out(`\n${verdict(cloud)}`);
  }
  out(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

/**
 * The cloud goal as ratios: achieved request rate / the rate the goal is measured against, and
 * 429s / requests. At the configured rate: ≥ 0.95 of the configured limit, < 1 % 429s; against
 * a sandbox admitting less: ≥ 0.80 of what it admits, < 5 % 429s.
 */
function verdict(cloud: Result): string {
  const limitPerSecond = RATE_PER_5_MIN / 300;
  const harder = SANDBOX_RATE_SHARE < 1;
  const against = limitPerSecond * SANDBOX_RATE_SHARE;
  const achieved = (cloud.requests as number) / cloud.seconds / against;
  const share = (cloud.throttled as number) / Math.max(1, cloud.requests as number);
  const [rateGoal, throttleGoal] = harder ? [0.8, 0.05] : [0.95, 0.01];
  const met = achieved >= rateGoal && share < throttleGoal;
  return (
    `cloud ${harder ? 'against a sandbox admitting ' + ratio(SANDBOX_RATE_SHARE) + ' of the configured rate' : 'at the configured rate'}: ` +
    `achieved/${harder ? 'admitted' : 'limit'} ${ratio(achieved)} (goal ≥ ${ratio(rateGoal)}), ` +
    `429 share ${ratio(share, 4)} (goal < ${ratio(throttleGoal)}) → ${met ? 'MET' : 'NOT MET'}; ` +
    `max ${cloud.maxConcurrent} requests in flight at the sandbox (limit ${MAX_CONCURRENT}), ` +
    `${cloud.errors5xx} 5xx`
  );
}

const ratio = (value: number, digits = 3): string => value.toFixed(digits);

function parseLatency(value: string): number | [number, number] {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(value.trim());
  if (range) return [Number(range[1]), Number(range[2])];
  const fixed = Number(value);
  if (!Number.isFinite(fixed) || fixed < 0) {
    throw new Error(`BENCH_LATENCY_MS: ${value} is neither a number of ms nor a range min-max`);
  }
  return fixed;
}

function cloudEnv(sandbox: CloudErpSandbox): Record<string, string> {
  return {
    ...sandboxHubEnv(sandbox),
    CLOUD_ERP_RATE_LIMIT: String(RATE_PER_5_MIN),
    CLOUD_ERP_MAX_CONCURRENT: String(MAX_CONCURRENT),
  };
}

async function postgresServer(): Promise<{
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'crossdock-bench-sync-'));
  const embedded = new EmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'postgres',
  });
  await embedded.start();
  return {
    url: embedded.url,
    embedded: true,
    stop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function createDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const rate = (perSecond: number): string =>
  perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:sync failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
