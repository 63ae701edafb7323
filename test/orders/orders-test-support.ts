import { DataSource } from 'typeorm';
import {
  type DemoCustomer,
  type DemoDataset,
  type DemoItem,
  generateDemoDataset,
} from '../../src/erp-simulators/demo-data/index.js';
import type { ChannelKind } from '../../src/platform/auth/index.js';
import { resetMasterData } from '../master-data/master-data-test-app.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Schedules off: each suite syncs when it wants; jobs (posting) run. */
export const ORDERS_ENV: Record<string, string> = {
  MASTER_DATA_SYNC_CRON: 'off',
  PRICING_SYNC_CRON: 'off',
  PRICING_FULL_SYNC_CRON: 'off',
  INVENTORY_SYNC_CRON: 'off',
  MASTER_DATA_SYNC_LAG_SECONDS: '0',
  ORDERS_ERP_IMPORT_POLL_SECONDS: '1',
  ORDERS_POSTING_RETRY_DELAY_SECONDS: '1',
};

export interface OrderBody {
  id: string;
  orderNumber: string;
  channelOrderRef: string;
  status: string;
  customerId: string;
  total: string;
  priceVersion: string;
  holds: { code: string; field: string; message: string }[];
  adjustments: { code: string; lineRef: string; from: string; to: string }[];
  lines: {
    lineNo: number;
    lineRef: string;
    sku: string;
    quantity: string;
    uom: string;
    unitPrice: string;
    extendedPrice: string;
    expectedUnitPrice: string | null;
    fulfillmentType: string;
    warehouse: string | null;
    supplierId: string | null;
    segmentNo: number;
    reservedQuantity: string;
    backorderedQuantity: string;
    priceTrace: unknown[];
  }[];
  segments: {
    segmentNo: number;
    kind: string;
    warehouse: string | null;
    supplierId: string | null;
    externalReference: string;
    status: string;
    erpOrderNumber: string | null;
    erpErrors: string[];
  }[];
}

export interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  violations?: { code: string; field: string; message: string }[];
  orderId?: string;
  substitutes?: { field: string; substitutes: string[] }[];
}

/** Full syncs of master data, prices and stock from the bound ERP into empty hub tables. */
export async function syncEverything(hub: TestApp): Promise<void> {
  await resetMasterData(hub);
  const { apiKey } = await createTestChannel(hub.app, { scopes: ['ops:admin'] });
  for (const path of [
    'master-data',
    'pricing?full=true&wait=true',
    'inventory?full=true&wait=true',
  ]) {
    const url = `${hub.baseUrl}/v1/admin/sync/${path}${path.includes('?') ? '' : '?wait=true'}`;
    // A sync job left queued by an earlier suite in the shared database may be running when this
    // hub starts: wait for it to end (409 SYNC_ALREADY_RUNNING), then run ours.
    let res = await fetch(url, { method: 'POST', headers: bearer(apiKey) });
    const until = Date.now() + 120_000;
    while (res.status === 409 && Date.now() < until) {
      await res.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 250));
      res = await fetch(url, { method: 'POST', headers: bearer(apiKey) });
    }
    const body = (await res.json()) as { status?: string };
    if (res.status !== 200 || body.status !== 'succeeded') {
      throw new Error(`sync ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    }
  }
}

/** A channel with the scopes an order-placing channel has; its Authorization header. */
export async function orderChannel(
  hub: TestApp,
  kind: ChannelKind = 'ecommerce',
  name?: string,
): Promise<Record<string, string>> {
  const { apiKey } = await createTestChannel(hub.app, {
    kind,
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
    ...(name ? { name } : {}),
  });
  return bearer(apiKey);
}

let refs = 0;
export const nextRef = (prefix = 'T'): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++refs}`;

export async function submitOrder(
  hub: TestApp,
  auth: Record<string, string>,
  body: Record<string, unknown>,
  key = `key-${nextRef()}`,
): Promise<{ status: number; body: OrderBody & ProblemBody; headers: Headers }> {
  const res = await fetch(`${hub.baseUrl}/v1/orders`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as OrderBody & ProblemBody,
    headers: res.headers,
  };
}

export async function getOrder(
  hub: TestApp,
  auth: Record<string, string>,
  id: string,
): Promise<{ status: number; body: OrderBody & ProblemBody }> {
  const res = await fetch(`${hub.baseUrl}/v1/orders/${id}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as OrderBody & ProblemBody };
}

/** Polls until the order reaches one of `statuses` (or fails the test after `ms`). */
export async function waitForStatus(
  hub: TestApp,
  auth: Record<string, string>,
  id: string,
  statuses: string[],
  ms = 30_000,
): Promise<OrderBody> {
  const until = Date.now() + ms;
  let last: OrderBody | undefined;
  while (Date.now() < until) {
    const { body } = await getOrder(hub, auth, id);
    last = body;
    if (statuses.includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`order ${id} still ${last?.status} after ${ms} ms: ${JSON.stringify(last)}`);
}

/** The unit price the hub quotes now (what a channel would show). */
export async function quotedPrice(
  hub: TestApp,
  auth: Record<string, string>,
  customerId: string,
  sku: string,
  quantity: string,
  uom: string,
): Promise<string | null> {
  const res = await fetch(`${hub.baseUrl}/v1/pricing/quotes`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ customerId, lines: [{ sku, quantity, uom }] }),
  });
  if (res.status !== 200 && res.status !== 201) return null;
  const body = (await res.json()) as { lines: { unitPrice: string | null }[] };
  return body.lines[0]?.unitPrice ?? null;
}

/** ATP of one SKU per warehouse, for the channel. */
export async function availability(
  hub: TestApp,
  auth: Record<string, string>,
  sku: string,
): Promise<Map<string, number>> {
  const res = await fetch(
    `${hub.baseUrl}/v1/inventory/availability?sku=${encodeURIComponent(sku)}`,
    {
      headers: auth,
    },
  );
  const body = (await res.json()) as {
    items: { sku: string; warehouses: { warehouse: string; atp: string }[] }[];
  };
  return new Map(
    (body.items?.[0]?.warehouses ?? []).map((w) => [w.warehouse, Number(w.atp)] as const),
  );
}

/** The demo dataset the embedded on-prem ERP holds, with pickers for test cases. */
export class DemoPicker {
  readonly dataset: DemoDataset;

  /** Scale 1 is what the embedded on-prem demo ERP holds; a sandbox may take a smaller one. */
  constructor(scale = 1) {
    this.dataset = generateDemoDataset({ scale });
  }

  /** Active, taxable, with room on its credit (and on its parent's), with ship-tos. */
  goodCustomers(): DemoCustomer[] {
    const byNo = new Map(this.dataset.customers.map((c) => [c.customerNo, c]));
    const room = (c: DemoCustomer | undefined) =>
      c !== undefined && Number(c.creditLimit) - Number(c.balanceDue) > 100_000;
    return this.dataset.customers.filter(
      (c) =>
        c.status === 'ACTIVE' &&
        c.taxAreaCode !== null &&
        c.currencyCode === 'USD' &&
        room(c) &&
        (c.parentCustomerNo === null || room(byNo.get(c.parentCustomerNo))) &&
        this.dataset.shipTos.some((s) => s.customerNo === c.customerNo),
    );
  }

  customer(where: (c: DemoCustomer) => boolean): DemoCustomer {
    const found = this.dataset.customers.find(where);
    if (!found) throw new Error('the demo dataset has no customer for this case');
    return found;
  }

  items(where: (i: DemoItem) => boolean): DemoItem[] {
    return this.dataset.items.filter(where);
  }
}

export async function startOrdersHub(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ ...ORDERS_ENV, ...env });
}

export { DataSource };
