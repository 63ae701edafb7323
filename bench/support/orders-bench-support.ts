/*
 * Helpers of the orders benchmark: the demo ERP's master data with its warehouses, a
 * SalesOrderGateway that holds postings back, and the choice of customers and lines that make
 * valid orders (checked through the hub's own quote and availability endpoints).
 */
import type {
  DemoCustomer,
  DemoDataset,
  DemoItem,
} from '../../src/erp-simulators/demo-data/index.js';
import type { INestApplication } from '@nestjs/common';
import type { Warehouse } from '../../src/modules/master-data/index.js';
import type { DeltaPage } from '../../src/platform/delta-sync/index.js';
import {
  type ErpOrderStatus,
  SalesOrderGateway,
  type SubmitResult,
} from '../../src/modules/orders/index.js';
import { JobsService } from '../../src/platform/jobs/index.js';
import { DemoMasterDataFeed } from '../pricing-demo-feeds.js';
import type { OrderLoadLine } from './order-bodies.js';

/** The pricing bench's demo master-data feed, plus the dataset's warehouses (stock needs them). */
export class DemoErpMasterDataFeed extends DemoMasterDataFeed {
  private readonly warehouses: Warehouse[];

  constructor(dataset: DemoDataset) {
    super(dataset);
    this.warehouses = dataset.warehouses.map((w) => ({
      code: w.code,
      name: w.name,
      address: {
        addressLines: [w.addressLine1, w.addressLine2].filter((l): l is string => l !== null),
        city: w.city,
        region: w.state,
        postalCode: w.postalCode,
        country: w.country,
      },
      active: true,
    }));
  }

  override readWarehouses(): Promise<DeltaPage<Warehouse>> {
    return Promise.resolve({
      records: this.warehouses.map((record) => ({
        sourceId: record.code,
        modifiedAt: '2025-01-06T08:00:00.000Z',
        record,
      })),
      nextCursor: null,
    });
  }
}

/**
 * An ERP whose posting never answers until released: the posting worker that picks the first
 * job waits in submit() (one connection held in its transaction), every other posting job stays
 * queued. Capture still enqueues its jobs in its own transaction; they just do not run, so the
 * capture figures do not include posting work competing for the two cores.
 */
export class ParkedSalesOrderGateway extends SalesOrderGateway {
  readonly name = 'bench-parked';
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  parked = 0;

  async submit(document: { externalReference: string }): Promise<SubmitResult> {
    this.parked++;
    await this.released;
    throw new Error(`bench: posting of ${document.externalReference} was held back`);
  }

  async status(): Promise<ErpOrderStatus> {
    await this.released;
    throw new Error('bench: the ERP is held back');
  }

  async cancel(): Promise<ErpOrderStatus> {
    await this.released;
    throw new Error('bench: the ERP is held back');
  }

  /** Lets the parked calls fail (transient: their jobs retry later). */
  open(): void {
    this.release();
  }
}

/**
 * Closes a hub whose posting is held back so that the parked posting attempt is recorded as a
 * failed attempt (retried later, by the next hub on the same database): the gateway is opened
 * only once the job workers have stopped taking jobs, else the freed worker would take the next
 * job as the database closes, and leave it active until its expiry.
 */
export async function closeHeldBackHub(
  app: INestApplication,
  gateway: ParkedSalesOrderGateway,
): Promise<void> {
  const jobs = app.get(JobsService);
  const closing = app.close();
  const deadline = Date.now() + 5000;
  while (jobs.isRunning() && Date.now() < deadline) await sleep(10);
  // pg-boss stops its workers within a few microtasks of being told to stop.
  await sleep(50);
  gateway.open();
  await closing;
}

const sleep = (millis: number): Promise<void> => new Promise((r) => setTimeout(r, millis));

export interface OrderMixChoice {
  customers: string[];
  lines: OrderLoadLine[];
  /** Credit accounts the customers stand for (one customer per account). */
  accounts: number;
  /** Largest unit price among the lines. */
  maxUnitPrice: number;
}

/**
 * Customers that can take many orders, one per credit account (capture serialises orders of
 * one account on an advisory lock): active, taxable, invoiced in USD, with at least `minRoom`
 * left on their own and their parent's credit. Items that are active, stocked, not
 * lot-controlled and priced for every sampled customer at no more than `maxUnitPrice`, sold in
 * their base unit; `stocked` narrows them further (e.g. stock in the ERP dataset).
 */
export async function chooseOrderMix(
  baseUrl: string,
  headers: Record<string, string>,
  dataset: DemoDataset,
  options: {
    minRoom: number;
    maxCustomers: number;
    maxItems: number;
    maxUnitPrice: number;
    stocked?: (item: DemoItem) => boolean;
  },
): Promise<OrderMixChoice> {
  const byNo = new Map(dataset.customers.map((c) => [c.customerNo, c]));
  const room = (c: DemoCustomer | undefined): number =>
    c === undefined ? 0 : Number(c.creditLimit) - Number(c.balanceDue);
  const seen = new Set<string>();
  const customers: string[] = [];
  for (const c of dataset.customers) {
    const account = c.parentCustomerNo ?? c.customerNo;
    if (
      c.status !== 'ACTIVE' ||
      c.taxAreaCode === null ||
      c.currencyCode !== 'USD' ||
      room(c) < options.minRoom ||
      (c.parentCustomerNo !== null && room(byNo.get(c.parentCustomerNo)) < options.minRoom) ||
      seen.has(account)
    ) {
      continue;
    }
    seen.add(account);
    customers.push(c.customerNo);
    if (customers.length >= options.maxCustomers) break;
  }
  if (customers.length === 0) throw new Error('no customer of the dataset has enough credit room');

  const candidates = dataset.items.filter(
    (i) =>
      i.status === 'ACTIVE' &&
      i.fulfillmentType === 'STOCK' &&
      !i.lotControlled &&
      (options.stocked?.(i) ?? true),
  );
  const sample = [customers[0], customers[Math.floor(customers.length / 2)], customers.at(-1)];
  const lines: OrderLoadLine[] = [];
  let maxUnitPrice = 0;
  for (let from = 0; from < candidates.length && lines.length < options.maxItems; from += 100) {
    const batch = candidates.slice(from, from + 100);
    const prices = await Promise.all(
      sample.map((customerId) =>
        quote(
          baseUrl,
          headers,
          customerId as string,
          batch.map((i) => i.sku),
          batch.map((i) => i.baseUom),
        ),
      ),
    );
    batch.forEach((item, index) => {
      const unitPrices = prices.map((p) => p[index]);
      if (unitPrices.some((p) => p === null || Number(p) > options.maxUnitPrice)) return;
      if (lines.length >= options.maxItems) return;
      lines.push({ sku: item.sku, uom: item.baseUom, quantity: '1' });
      maxUnitPrice = Math.max(maxUnitPrice, ...unitPrices.map(Number));
    });
  }
  if (lines.length < 5) throw new Error(`only ${lines.length} priced items found`);
  return { customers, lines, accounts: customers.length, maxUnitPrice };
}

/** Unit prices the hub quotes now for one customer (null: no price). */
async function quote(
  baseUrl: string,
  headers: Record<string, string>,
  customerId: string,
  skus: string[],
  uoms: string[],
): Promise<(string | null)[]> {
  const res = await fetch(`${baseUrl}/v1/pricing/quotes`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      customerId,
      lines: skus.map((sku, i) => ({ sku, quantity: '1', uom: uoms[i] })),
    }),
  });
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`quote for ${customerId} answered ${res.status}: ${await res.text()}`);
  }
  const body = (await res.json()) as { lines: { status: string; unitPrice: string | null }[] };
  return body.lines.map((l) => (l.status === 'PRICED' ? l.unitPrice : null));
}

/** ATP per SKU (all warehouses the channel sees), through GET /v1/inventory/availability. */
export async function availableToPromise(
  baseUrl: string,
  headers: Record<string, string>,
  skus: string[],
): Promise<Map<string, number>> {
  const atp = new Map<string, number>();
  for (let from = 0; from < skus.length; from += 50) {
    const query = skus
      .slice(from, from + 50)
      .map((s) => `sku=${encodeURIComponent(s)}`)
      .join('&');
    const res = await fetch(`${baseUrl}/v1/inventory/availability?${query}`, { headers });
    if (res.status !== 200) throw new Error(`availability answered ${res.status}`);
    const body = (await res.json()) as { items: { sku: string; atp: string }[] };
    for (const item of body.items) atp.set(item.sku, Number(item.atp));
  }
  return atp;
}
