/*
 * npm run bench:propagation — how long an ERP change takes to be visible in the hub, per adapter.
 *
 * Adapters: `onprem` (the ERP database's change poll), `cloud` (the cloud ERP sandbox with BC's
 * 30 s notification batching: webhooks for customers and items, the fallback poll for custom API
 * pages) and `cloud-strict` (a standard tenant without custom pages: customers and prices come
 * by webhook only). The hub starts with every scheduled sync OFF and one initial sync of each
 * feed. Then BENCH_CHANGES changes (default 30: customers blocked, base prices changed, stock
 * changed, in equal parts, in random order) are made in the ERP at random times over
 * BENCH_WINDOW_SECONDS (default 120). Each one is timed from its ERP commit to the moment the
 * hub's database shows it (polled every 250 ms). Printed: min / p50 / p90 / p95 / max per adapter
 * and per kind, every sample, and MET / NOT MET against the goal p95 < 60 s.
 *
 * Knobs: BENCH_ADAPTERS (default `onprem,cloud,cloud-strict`), BENCH_POLL_SECONDS
 * (ERP_CHANGE_POLL_SECONDS, default 10), BENCH_NOTIFY_DELAY_MS (the sandbox's BC batching wait,
 * default 30000), BENCH_SEED. Uses DATABASE_URL's server when set, else an embedded PostgreSQL.
 */
import 'reflect-metadata';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadavg } from 'node:os';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { benchDatabase, freePort } from './support/bench-database.js';
import { generateDemoDataset, SeededRandom } from '../src/erp-simulators/demo-data/index.js';
import { AppModule } from '../src/app.module.js';
import { AppConfig, erpOnPremDatabase, loadConfig } from '../src/config/index.js';
import { SyncInventoryCommand } from '../src/modules/inventory/index.js';
import { SyncMasterDataCommand } from '../src/modules/master-data/index.js';
import { SyncPriceDataCommand } from '../src/modules/pricing/index.js';
import { createApp } from '../src/platform/http/create-app.js';
import {
  type CloudErpSandbox,
  STRICT_BC,
  startCloudErpSandbox,
  sandboxHubEnv,
} from '../src/erp-simulators/cloud/index.js';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 30);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_SECONDS ?? 120) * 1000;
const POLL_SECONDS = process.env.BENCH_POLL_SECONDS ?? '10';
const NOTIFY_DELAY_MS = Number(process.env.BENCH_NOTIFY_DELAY_MS ?? 30_000);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'onprem,cloud,cloud-strict')
  .split(',')
  .map((a) => a.trim());
const SEED = Number(process.env.BENCH_SEED ?? 7);
const GOAL_P95_MS = 60_000;
/** A change not visible after this long counts as lost (and fails the goal). */
const GIVE_UP_MS = 5 * 60_000;
const CLIENT_STATE = 'propagation-bench-client-state';

type Kind = 'customer blocked' | 'price changed' | 'stock changed';
const KINDS: Kind[] = ['customer blocked', 'price changed', 'stock changed'];

/** One change: made in the ERP by `apply`, visible in the hub when `visible` says so. */
interface Change {
  kind: Kind;
  apply: () => Promise<void>;
  visible: (hub: DataSource) => Promise<boolean>;
}

interface Sample {
  kind: Kind;
  ms: number | null;
}

const out = (message: string): void => console.log(`[propagation] ${message}`);

/** The ERP side of one adapter: N changes of each kind, on distinct records. */
interface ErpSide {
  env: Record<string, string>;
  changes(hubApp: NestFastifyApplication, perKind: number, random: SeededRandom): Promise<Change[]>;
  ready?(): Promise<void>;
  close(): Promise<void>;
  describe(): string;
}

async function hubHas(hub: DataSource, sql: string, params: unknown[]): Promise<boolean> {
  return ((await hub.query(sql, params)) as unknown[]).length > 0;
}

const newPrice = (random: SeededRandom): string => (10 + random.next() * 990).toFixed(2);
const newStock = (random: SeededRandom): string => String(1000 + Math.floor(random.next() * 9000));

function onPremSide(): ErpSide {
  let erp: pg.Client | null = null;
  return {
    env: { ERP_ADAPTER: 'onprem' },
    describe: () => `ERP database poll every ${POLL_SECONDS} s`,
    async changes(app, perKind, random) {
      const target = erpOnPremDatabase(app.get(AppConfig));
      if (!target) throw new Error('no on-prem ERP database');
      erp = new pg.Client({ connectionString: target.url });
      await erp.connect();
      const sql = erp;
      const customers = (
        await sql.query<{ customer_no: string }>(
          `SELECT customer_no FROM ar_customer WHERE status = 'ACTIVE' ORDER BY random() LIMIT $1`,
          [perKind],
        )
      ).rows;
      const prices = (
        await sql.query<{ price_list_code: string; item_no: string; uom_code: string }>(
          `SELECT price_list_code, item_no, uom_code FROM pr_price_list_line ORDER BY random() LIMIT $1`,
          [perKind],
        )
      ).rows;
      const stock = (
        await sql.query<{ item_no: string; warehouse_code: string; lot_no: string }>(
          `SELECT item_no, warehouse_code, lot_no FROM in_balance ORDER BY random() LIMIT $1`,
          [perKind],
        )
      ).rows;
      return [
        ...customers.map((c): Change => ({
          kind: 'customer blocked',
          apply: async () => {
            await sql.query(`UPDATE ar_customer SET status = 'BLOCKED' WHERE customer_no = $1`, [
              c.customer_no,
            ]);
          },
          visible: (hub) =>
            hubHas(hub, `SELECT 1 FROM md_customer WHERE erp_id = $1 AND status = 'BLOCKED'`, [
              c.customer_no,
            ]),
        })),
        ...prices.map((p): Change => {
          const price = newPrice(random);
          return {
            kind: 'price changed',
            apply: async () => {
              await sql.query(
                `UPDATE pr_price_list_line SET unit_price = $4
                 WHERE price_list_code = $1 AND item_no = $2 AND uom_code = $3`,
                [p.price_list_code, p.item_no, p.uom_code, price],
              );
            },
            visible: (hub) =>
              hubHas(
                hub,
                `SELECT 1 FROM pr_price_list_entry WHERE price_list_code = $1 AND sku = $2
                   AND uom = $3 AND min_qty = 0 AND unit_price = $4::numeric`,
                [p.price_list_code, p.item_no, p.uom_code, price],
              ),
          };
        }),
        ...stock.map((s): Change => {
          const qty = newStock(random);
          return {
            kind: 'stock changed',
            apply: async () => {
              await sql.query(
                `UPDATE in_balance SET on_hand_qty = $4
                 WHERE item_no = $1 AND warehouse_code = $2 AND lot_no = $3`,
                [s.item_no, s.warehouse_code, s.lot_no, qty],
              );
            },
            visible: (hub) =>
              hubHas(
                hub,
                `SELECT 1 FROM inv_erp_balance WHERE sku = $1 AND warehouse_code = $2
                   AND lot_no = $3 AND on_hand = $4::numeric`,
                [s.item_no, s.warehouse_code, s.lot_no, qty],
              ),
          };
        }),
      ];
    },
    close: async () => {
      await erp?.end();
    },
  };
}

/**
 * `strict`: a standard BC tenant without the custom pages (STRICT_BC): customers and prices
 * (`items.unitPrice`) reach the hub by webhook only. Stock is left out there: standard BC's
 * `items.inventory` is a FlowField, so a stock movement modifies no item and neither a webhook
 * nor a lastModifiedDateTime delta sees it (the custom inventoryBalances page is the way).
 */
async function cloudSide(hubPort: number, strict: boolean): Promise<ErpSide> {
  const dataset = generateDemoDataset({ seed: SEED });
  const sandbox: CloudErpSandbox = await startCloudErpSandbox({
    dataset,
    ...(strict ? STRICT_BC : {}),
    subscriptions: { notificationDelayMs: NOTIFY_DELAY_MS },
  });
  return {
    env: {
      ...sandboxHubEnv(sandbox),
      HUB_PUBLIC_URL: `http://127.0.0.1:${hubPort}`,
      CLOUD_ERP_WEBHOOK_CLIENT_STATE: CLIENT_STATE,
    },
    describe: () =>
      `BC webhooks for customers/items (BC batching ${NOTIFY_DELAY_MS / 1000} s), ` +
      (strict ? 'no custom pages' : `custom pages polled every ${POLL_SECONDS} s`),
    async ready() {
      const giveUp = Date.now() + 60_000;
      while (sandbox.subscriptions.list().length < 2) {
        if (Date.now() > giveUp) throw new Error('the hub never subscribed to BC webhooks');
        await sleep(250);
      }
      out(
        `[${strict ? 'cloud-strict' : 'cloud'}] subscribed: ${sandbox.subscriptions
          .list()
          .map((s) => s.resource)
          .join(', ')}`,
      );
    },
    async changes(app, perKind, random) {
      const pick = <T>(rows: T[]): T[] => shuffle(rows, random).slice(0, perKind);
      const customers = pick(dataset.customers.filter((c) => c.status === 'ACTIVE'));
      const blocked = customers.map((c): Change => ({
        kind: 'customer blocked',
        apply: () => {
          sandbox.store.mutate('customers', c.customerNo, { status: 'BLOCKED' });
          return Promise.resolve();
        },
        visible: (hub) =>
          hubHas(hub, `SELECT 1 FROM md_customer WHERE erp_id = $1 AND status = 'BLOCKED'`, [
            c.customerNo,
          ]),
      }));
      if (strict) {
        // The items whose unitPrice the hub holds as its base price list.
        const synced = (await app.get(DataSource).query(
          `SELECT sku, uom FROM pr_price_list_entry WHERE price_list_code = 'BC-ITEM-UNIT-PRICE'
             ORDER BY sku`,
        )) as { sku: string; uom: string }[];
        const lines = pick(
          synced.flatMap((e) => {
            const line = dataset.priceListLines.find(
              (l) => l.priceListCode === 'BASE-USD' && l.sku === e.sku && l.uomCode === e.uom,
            );
            return line ? [line] : [];
          }),
        );
        return [
          ...blocked,
          ...lines.map((l): Change => {
            const price = newPrice(random);
            return {
              kind: 'price changed',
              apply: () => {
                // BC's Unit Price is a field of the Item: the sandbox derives items.unitPrice
                // from the base price line, so change that and stamp the item as BC would.
                sandbox.store.mutate('priceListLines', l.id, { unitPrice: price });
                sandbox.store.mutate('items', l.sku, {});
                return Promise.resolve();
              },
              visible: (hub) =>
                hubHas(
                  hub,
                  `SELECT 1 FROM pr_price_list_entry WHERE price_list_code = 'BC-ITEM-UNIT-PRICE'
                     AND sku = $1 AND uom = $2 AND unit_price = $3::numeric`,
                  [l.sku, l.uomCode, price],
                ),
            };
          }),
        ];
      }
      const prices = pick(dataset.priceListLines);
      const stock = pick(dataset.inventoryBalances);
      return [
        ...blocked,
        ...prices.map((p): Change => {
          const price = newPrice(random);
          return {
            kind: 'price changed',
            apply: () => {
              sandbox.store.mutate('priceListLines', p.id, { unitPrice: price });
              return Promise.resolve();
            },
            visible: (hub) =>
              hubHas(
                hub,
                `SELECT 1 FROM pr_price_list_entry WHERE price_list_code = $1 AND sku = $2
                   AND uom = $3 AND min_qty = 0 AND unit_price = $4::numeric`,
                [p.priceListCode, p.sku, p.uomCode, price],
              ),
          };
        }),
        ...stock.map((s): Change => {
          const qty = newStock(random);
          return {
            kind: 'stock changed',
            apply: () => {
              sandbox.store.mutate(
                'inventoryBalances',
                `${s.sku}|${s.warehouseCode}|${s.lotNo ?? ''}`,
                { onHand: qty },
              );
              return Promise.resolve();
            },
            visible: (hub) =>
              hubHas(
                hub,
                `SELECT 1 FROM inv_erp_balance WHERE sku = $1 AND warehouse_code = $2
                   AND lot_no = $3 AND on_hand = $4::numeric`,
                [s.sku, s.warehouseCode, s.lotNo ?? '', qty],
              ),
          };
        }),
      ];
    },
    close: () => sandbox.close(),
  };
}

async function runAdapter(adapter: string, hubDbUrl: string): Promise<Sample[]> {
  const port = await freePort();
  const side =
    adapter === 'onprem' ? onPremSide() : await cloudSide(port, adapter === 'cloud-strict');
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: hubDbUrl,
    PORT: String(port),
    DEMO_SEED: 'false',
    MASTER_DATA_SYNC_CRON: 'off',
    PRICING_SYNC_CRON: 'off',
    PRICING_FULL_SYNC_CRON: 'off',
    INVENTORY_SYNC_CRON: 'off',
    ERP_CHANGE_POLL_SECONDS: POLL_SECONDS,
    CLOUD_ERP_RATE_LIMIT: '6000',
    ...side.env,
  });
  const app = await createApp(AppModule.forRoot(config), config, { swaggerUi: false });
  try {
    await app.listen({ port, host: '127.0.0.1' });
    const hub = app.get(DataSource);
    const bus = app.get(CommandBus);
    out(`[${adapter}] initial sync of every feed (not timed)...`);
    await bus.execute(new SyncMasterDataCommand('manual', true));
    await bus.execute(new SyncPriceDataCommand('manual', true, true));
    await bus.execute(new SyncInventoryCommand('manual', true, true));
    await side.ready?.();
    const random = new SeededRandom(SEED);
    const changes = shuffle(
      await side.changes(app, Math.ceil(CHANGES / (adapter === 'cloud-strict' ? 2 : 3)), random),
      random,
    ).slice(0, CHANGES);
    out(
      `[${adapter}] ${changes.length} ERP changes over ${WINDOW_MS / 1000} s (${side.describe()})...`,
    );
    const started = Date.now();
    const samples = await Promise.all(
      changes.map(async (change): Promise<Sample> => {
        await sleep(random.next() * WINDOW_MS);
        await change.apply();
        const committed = Date.now();
        while (Date.now() - committed < GIVE_UP_MS) {
          if (await change.visible(hub)) return { kind: change.kind, ms: Date.now() - committed };
          await sleep(250);
        }
        return { kind: change.kind, ms: null };
      }),
    );
    out(`[${adapter}] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return samples;
  } finally {
    await app.close();
    await side.close();
  }
}

function shuffle<T>(rows: T[], random: SeededRandom): T[] {
  const copy = [...rows];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function distribution(label: string, samples: Sample[]): { line: string; p95: number } {
  const ms = samples.map((x) => x.ms ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const lost = samples.filter((x) => x.ms === null).length;
  const p95 = percentile(ms, 95);
  return {
    p95,
    line:
      `${label.padEnd(26)} n=${String(samples.length).padStart(3)}  min ${s(ms[0]).padStart(7)}` +
      `  p50 ${s(percentile(ms, 50)).padStart(7)}  p90 ${s(percentile(ms, 90)).padStart(7)}` +
      `  p95 ${s(p95).padStart(7)}  max ${s(ms[ms.length - 1]).padStart(7)}` +
      (lost > 0 ? `  LOST ${lost}` : ''),
  };
}

async function main(): Promise<void> {
  const results: { adapter: string; samples: Sample[] }[] = [];
  for (const adapter of ADAPTERS) {
    const db = await benchDatabase(`crossdock_propagation_${adapter.replace(/-/g, '_')}`);
    try {
      results.push({ adapter, samples: await runAdapter(adapter, db.url) });
    } finally {
      await db.stop();
    }
  }
  console.log('');
  console.log(
    `ERP change -> visible in the hub (poll ${POLL_SECONDS} s, BC batching ${NOTIFY_DELAY_MS / 1000} s, ` +
      `load ${loadavg()[0].toFixed(2)})`,
  );
  let allMet = true;
  for (const { adapter, samples } of results) {
    const total = distribution(`${adapter}: all`, samples);
    const met = total.p95 < GOAL_P95_MS;
    allMet &&= met;
    console.log(`${total.line}  goal p95 < 60 s: ${met ? 'MET' : 'NOT MET'}`);
    for (const kind of KINDS) {
      const some = samples.filter((x) => x.kind === kind);
      if (some.length > 0) console.log(`  ${distribution(kind, some).line}`);
    }
    console.log(
      `  samples (s): ${samples
        .map((x) => (x.ms === null ? 'lost' : (x.ms / 1000).toFixed(1)))
        .sort((a, b) => Number(a) - Number(b))
        .join(' ')}`,
    );
  }
  process.exitCode = allMet ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
