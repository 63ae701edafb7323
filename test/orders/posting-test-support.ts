import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import pg from 'pg';
import {
  type DemoCustomer,
  type DemoDataset,
  type DemoItem,
  generateDemoDataset,
} from '../../src/erp-simulators/demo-data/index.js';
import {
  compareErpOrders as checkErpOrders,
  type ErpComparison as ErpCheck,
  type FaultSegmentRow as SegmentRow,
  orderingCustomers,
  orderStatusCounts,
  postingJobRetries,
  postingJobStates,
  segmentsOf,
  waitJobsSettled,
} from '../../bench/support/orders-faults-support.js';
import { freePort } from '../support/free-port.js';
import { TEST_POOL_TIMEOUT_MS, testDatabaseUrl, type TestApp } from '../support/test-app.js';
import { availability, nextRef, quotedPrice } from './orders-test-support.js';

export interface PostingFixtures {
  customers: DemoCustomer[];
  /** Priced, with stock to spare in some warehouse. */
  stocked: DemoItem[];
  /** Priced, shipped by their supplier (supplierNo set). */
  dropShip: DemoItem[];
}

const CASH_TERMS = new Set(['COD', 'PREPAID']);

/**
 * A small demo dataset (scale 0.1: 20 customers, 200 items; a full sync takes a few seconds, not
 * twenty), where the customers that can order on account get credit no test run can exhaust:
 * these suites are about posting, not about credit holds.
 */
export function postingDataset(): DemoDataset {
  const dataset = generateDemoDataset({ scale: 0.1 });
  for (const c of dataset.customers) {
    if (!CASH_TERMS.has(c.paymentTermsCode)) {
      c.creditLimit = '10000000.00';
      c.balanceDue = '0.00';
    }
  }
  return dataset;
}

/** Customers and items every order of a posting test can use without a hold or a rejection. */
export async function pickPostingFixtures(
  hub: TestApp,
  auth: Record<string, string>,
  dataset: DemoDataset,
  want: { customers: number; stocked: number; dropShip: number; minAtp: number },
): Promise<PostingFixtures> {
  const customers = orderingCustomers(dataset).slice(0, want.customers);
  if (customers.length < want.customers) {
    throw new Error(`the dataset has ${customers.length} customers that can order on account`);
  }
  const priced = async (item: DemoItem): Promise<boolean> => {
    for (const c of customers) {
      const price = await quotedPrice(hub, auth, c.customerNo, item.sku, '3', item.baseUom);
      if (price === null) return false;
    }
    return true;
  };
  const stocked: DemoItem[] = [];
  for (const item of dataset.items) {
    if (stocked.length >= want.stocked) break;
    if (item.status !== 'ACTIVE' || item.fulfillmentType !== 'STOCK' || item.lotControlled) {
      continue;
    }
    const atp = await availability(hub, auth, item.sku);
    if ([...atp.values()].some((q) => q >= want.minAtp) && (await priced(item))) {
      stocked.push(item);
    }
  }
  const dropShip: DemoItem[] = [];
  for (const item of dataset.items) {
    if (dropShip.length >= want.dropShip) break;
    if (item.status !== 'ACTIVE' || item.fulfillmentType !== 'DROP_SHIP' || !item.supplierNo) {
      continue;
    }
    if (await priced(item)) dropShip.push(item);
  }
  if (stocked.length < want.stocked || dropShip.length < want.dropShip) {
    throw new Error(
      `not enough priced demo items: ${stocked.length} stocked, ${dropShip.length} drop-ship`,
    );
  }
  return { customers, stocked, dropShip };
}

/**
 * `count` order requests spread over the fixtures' customers and items; every `twoSegmentEvery`-th
 * one adds a drop-ship line, so it becomes two ERP orders (warehouse + supplier).
 */
export function orderRequests(
  fixtures: PostingFixtures,
  count: number,
  options: { prefix: string; twoSegmentEvery: number },
): Record<string, unknown>[] {
  const { customers, stocked, dropShip } = fixtures;
  return Array.from({ length: count }, (_, i) => {
    const item = stocked[i % stocked.length];
    const lines: Record<string, unknown>[] = [
      { lineRef: '1', sku: item.sku, quantity: String(1 + (i % 3)), uom: item.baseUom },
    ];
    if (i % options.twoSegmentEvery === 0) {
      const ds = dropShip[i % dropShip.length];
      lines.push({ lineRef: '2', sku: ds.sku, quantity: String(1 + (i % 2)), uom: ds.baseUom });
    }
    return {
      channelOrderRef: nextRef(options.prefix),
      customerId: customers[i % customers.length].customerNo,
      poNumber: `${options.prefix}-PO-${i + 1}`,
      lines,
    };
  });
}

export interface Captured {
  id: string;
  status: string;
  segments: number;
}

/**
 * POST /v1/orders for every request, `parallel` at a time; every answer must be a 201 ACCEPTED.
 * `onAccepted` runs after each 201, before that worker sends its next order.
 */
export async function captureAll(
  baseUrl: string,
  auth: Record<string, string>,
  requests: Record<string, unknown>[],
  options: { parallel?: number; onAccepted?: (order: Captured) => Promise<void> } = {},
): Promise<Captured[]> {
  const parallel = options.parallel ?? 6;
  const captured: Captured[] = new Array<Captured>(requests.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < requests.length && !failed) {
      const i = next++;
      const res = await fetch(`${baseUrl}/v1/orders`, {
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/json',
          'idempotency-key': `key-${nextRef()}`,
        },
        body: JSON.stringify(requests[i]),
      });
      const body = (await res.json()) as { id: string; status: string; segments: unknown[] };
      if (res.status !== 201 || body.status !== 'ACCEPTED') {
        failed = true;
        throw new Error(`order ${i} answered ${res.status}: ${JSON.stringify(body)}`);
      }
      captured[i] = { id: body.id, status: body.status, segments: body.segments.length };
      await options.onAccepted?.(captured[i]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return captured;
}

/** A plain connection to the test database, for reading what the hub (or hubs) wrote. */
export async function connectTestDb(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  return client;
}

/**
 * Waits until every order is POSTED. Fails at once when one is FAILED, or after `ms` with the
 * counts by status and the segments still open (status, attempts, ERP errors).
 */
export async function waitAllPosted(
  db: pg.Client,
  orderIds: string[],
  ms: number,
  describe: () => string = () => '',
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const counts = await orderStatusCounts(db, orderIds);
    if ((counts.POSTED ?? 0) === orderIds.length) return Date.now() - started;
    if ((counts.FAILED ?? 0) > 0 || Date.now() - started > ms) {
      const open = (await segmentsOf(db, orderIds)).filter((s) => s.status !== 'POSTED');
      const jobs = await postingJobStates(
        db,
        open.map((s) => s.id),
      );
      throw new Error(
        `${orderIds.length} orders after ${Date.now() - started} ms: ${JSON.stringify(counts)}; ` +
          `open segments: ${JSON.stringify(
            open.slice(0, 10).map((s) => ({
              ref: s.externalReference,
              status: s.status,
              attempts: s.attempts,
              erpErrors: s.erpErrors,
            })),
          )}; their jobs: ${JSON.stringify(jobs)} ${describe()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Shared with the 500-order fault bench (benches cannot import test/, tests can import bench/).
export {
  checkErpOrders,
  type ErpCheck,
  orderingCustomers,
  orderStatusCounts,
  postingJobRetries,
  postingJobStates,
  segmentsOf,
  waitJobsSettled,
  type SegmentRow,
};

/** How many segment postings found their ERP order already there (an earlier answer was lost). */
export function foundByLookUp(logs: Record<string, unknown>[]): number {
  return logs.filter((l) => l.msg === 'segment posted to the ERP' && l.created === false).length;
}

/** The compiled hub (`dist/main.js`), built when src/ changed since the last build. */
export function buildHub(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: process.cwd(), stdio: 'pipe' });
}

export interface HubProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Every JSON log line the process wrote so far, parsed. */
  logs(): Record<string, unknown>[];
  /** The last lines of its output, for failure messages. */
  tail(lines?: number): string;
  /** SIGKILL: no shutdown hook runs, jobs and transactions are left as they are. */
  kill(): Promise<void>;
}

/**
 * The compiled hub as its own process on the suite's database, ready (GET /health/ready 200).
 * `env` adds to a minimal environment: PATH, the database, a free port, info logs.
 */
export async function spawnHub(env: Record<string, string>, readyMs = 30_000): Promise<HubProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_POOL_TIMEOUT_MS: TEST_POOL_TIMEOUT_MS,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hub: HubProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    // Complete lines only: the last one may still be on its way.
    logs: () =>
      stdout
        .slice(0, stdout.lastIndexOf('\n') + 1)
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    // stderr (signals received, start-up failures) first, then the last log lines.
    tail: (lines = 30) =>
      [...stderr.trim().split('\n').slice(-10), ...stdout.trim().split('\n').slice(-lines)]
        .filter((line) => line !== '')
        .join('\n'),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  const until = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the hub exited with ${child.exitCode}:\n${hub.tail()}`);
    }
    try {
      const res = await fetch(`${hub.baseUrl}/health/ready`);
      if (res.status === 200) return hub;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await hub.kill();
      throw new Error(`the hub was not ready within ${readyMs} ms:\n${hub.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
