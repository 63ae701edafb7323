import pg from 'pg';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { ErpUser } from '../../src/erp-simulators/onprem/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { type TestApp, testDatabaseUrl } from '../support/test-app.js';
import { DemoPicker, startOrdersHub } from '../orders/orders-test-support.js';

/** Schedules off (the tests sync when they want); shipment posting retries fast. */
export const FULFILLMENT_ENV: Record<string, string> = {
  FULFILLMENT_SYNC_CRON: 'off',
  FULFILLMENT_SYNC_LAG_SECONDS: '0',
  SHIPMENT_ERP_POLL_SECONDS: '1',
  SHIPMENT_POSTING_LEASE_SECONDS: '5',
};

/** The ERP under test: the hub bound to it, and what the ERP's own users do. */
export interface FulfillmentErp {
  name: 'onprem' | 'cloud';
  demo: DemoPicker;
  hub: TestApp;
  /** An ERP user ships these lines (hub document line numbers) of the ERP order. */
  erpShip(
    externalReference: string,
    lines: { lineNo: number; quantity: string }[],
  ): Promise<string>;
  /** An ERP user invoices what was shipped and not invoiced. */
  erpInvoice(externalReference: string): Promise<string>;
  /** An ERP user changes a line's quantity (hub document line number). */
  erpSetLineQuantity(externalReference: string, lineNo: number, quantity: string): Promise<void>;
  /** An ERP user cancels the order (BC: deletes it). */
  erpCancelOrder(externalReference: string): Promise<void>;
  /** ERP shipments that carry this hub shipment number. */
  erpShipmentsFor(shipmentNumber: string): Promise<number>;
  /** Cloud only: the ERP commits the next posts and drops the answers. */
  commitThenDrop?(on: boolean): void;
  close(): Promise<void>;
}

export async function cloudFulfillmentErp(
  env: Record<string, string> = {},
): Promise<FulfillmentErp> {
  const demo = new DemoPicker(0.2);
  const sandbox: CloudErpSandbox = await startCloudErpSandbox({ dataset: demo.dataset });
  const hub = await startOrdersHub(
    cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000', ...FULFILLMENT_ENV, ...env }),
  );
  const store = sandbox.store;
  const orderOf = (ref: string): string => {
    const order = store.tables.salesOrders
      .sorted()
      .find((o) => o.data.externalDocumentNumber === ref);
    if (!order) throw new Error(`the sandbox holds no order ${ref}`);
    return order.id;
  };
  return {
    name: 'cloud',
    demo,
    hub,
    erpShip: (ref, lines) =>
      Promise.resolve(
        store.posting.ship(
          orderOf(ref),
          lines.map((l) => ({ sequence: l.lineNo * 10_000, quantity: l.quantity })),
        ).data.number,
      ),
    erpInvoice: (ref) => Promise.resolve(store.posting.invoice(orderOf(ref)).data.number),
    erpSetLineQuantity: (ref, lineNo, quantity) => {
      store.posting.setLineQuantity(orderOf(ref), lineNo * 10_000, quantity);
      return Promise.resolve();
    },
    erpCancelOrder: (ref) => {
      store.deleteSalesOrder(orderOf(ref), '*', () => '*');
      return Promise.resolve();
    },
    erpShipmentsFor: (number) =>
      Promise.resolve(
        store.tables.salesShipments.sorted().filter((s) => s.data.hubShipmentReference === number)
          .length,
      ),
    commitThenDrop: (on) => {
      if (on) sandbox.faults.set({ commitThenDropRate: 1 });
      else sandbox.faults.reset();
    },
    close: async () => {
      await hub.close();
      await sandbox.close();
    },
  };
}

export async function onPremFulfillmentErp(
  env: Record<string, string> = {},
): Promise<FulfillmentErp> {
  const demo = new DemoPicker();
  const hub = await startOrdersHub({ ...FULFILLMENT_ENV, ...env });
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_erp`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const user = new ErpUser(pool);
  return {
    name: 'onprem',
    demo,
    hub,
    erpShip: (ref, lines) => user.ship(ref, lines),
    erpInvoice: (ref) => user.invoice(ref),
    erpSetLineQuantity: (ref, lineNo, quantity) => user.setLineQuantity(ref, lineNo, quantity),
    erpCancelOrder: (ref) => user.cancelOrder(ref),
    erpShipmentsFor: async (number) => (await user.shipmentsFor(number)).length,
    close: async () => {
      await pool.end();
      await hub.close();
    },
  };
}

/** An API key of a channel of `kind` with the scopes a WMS or supplier has. */
export async function fulfillmentChannel(
  hub: TestApp,
  kind: 'wms' | 'supplier',
): Promise<Record<string, string>> {
  const { apiKey } = await createTestChannel(hub.app, {
    kind,
    scopes: ['orders:read', 'fulfillment:write', 'inventory:read'],
  });
  return bearer(apiKey);
}

export async function opsChannel(hub: TestApp): Promise<Record<string, string>> {
  const { apiKey } = await createTestChannel(hub.app, {
    kind: 'operations',
    scopes: ['ops:admin', 'orders:read'],
  });
  return bearer(apiKey);
}

export interface ShipmentBody {
  id: string;
  shipmentNumber: string;
  orderId: string;
  source: string;
  erpPosting: string;
  erpShipmentNo: string | null;
  trackingNumbers: string[];
  lines: { orderLineNo: number; quantity: string; sku: string }[];
  type?: string;
  code?: string;
  violations?: { code: string; field: string; message: string }[];
}

export async function confirmShipment(
  hub: Pick<TestApp, 'baseUrl'>,
  auth: Record<string, string>,
  body: Record<string, unknown>,
): Promise<{ status: number; body: ShipmentBody }> {
  const res = await fetch(`${hub.baseUrl}/v1/shipments`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ShipmentBody };
}

export async function getJson<T>(
  hub: TestApp,
  auth: Record<string, string>,
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${hub.baseUrl}${path}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as T };
}

/** POST /v1/admin/sync/fulfillment?wait=true; retries while another run holds the lock. */
export async function syncFulfillment(
  hub: TestApp,
  ops: Record<string, string>,
): Promise<{ status: string; streams: Record<string, { upserted: number; invalid: number }> }> {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/fulfillment?wait=true`, {
      method: 'POST',
      headers: ops,
    });
    const body = (await res.json()) as {
      status: string;
      streams: Record<string, { upserted: number; invalid: number }>;
    };
    if (res.status === 409 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (res.status !== 200)
      throw new Error(`fulfillment sync: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
}

/** POST /v1/admin/sync/order-changes?wait=true; retries while another run holds the lock. */
export async function syncOrderChanges(
  hub: TestApp,
  ops: Record<string, string>,
): Promise<{ status: string; orders: { read: number; upserted: number } }> {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/order-changes?wait=true`, {
      method: 'POST',
      headers: ops,
    });
    const body = (await res.json()) as {
      status: string;
      orders: { read: number; upserted: number };
    };
    if (res.status === 409 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (res.status !== 200)
      throw new Error(`order-changes sync: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
}

/** Polls `read` until `done` says so, or fails after `ms`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`condition not met: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

/** A WMS/supplier shipment as the hub's table holds it, for tests that read the database. */
export interface ShipmentRow {
  id: string;
  shipmentNumber: string;
  erpPosting: string;
  erpShipmentNo: string | null;
  erpAttempts: number;
  leaseId: string | null;
}

export async function shipmentRows(db: pg.Client, ids: string[]): Promise<ShipmentRow[]> {
  const { rows } = await db.query<ShipmentRow>(
    `SELECT id, shipment_number AS "shipmentNumber", erp_posting AS "erpPosting",
            erp_shipment_no AS "erpShipmentNo", erp_attempts AS "erpAttempts", lease_id AS "leaseId"
       FROM ful_shipment WHERE id = ANY($1::uuid[]) ORDER BY shipment_number`,
    [ids],
  );
  return rows;
}

/** The `fulfillment.post-shipment` jobs of these shipments, counted by pg-boss state. */
export async function shipmentJobStates(
  db: pg.Client,
  ids: string[],
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(
    `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
      WHERE name = 'fulfillment.post-shipment' AND data->'payload'->>'shipmentId' = ANY($1::text[])
      GROUP BY state`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Posting jobs of these shipments that needed a retry, and the retries in all. */
export async function shipmentJobRetries(
  db: pg.Client,
  ids: string[],
): Promise<{ retried: number; retries: number }> {
  const { rows } = await db.query<{ retried: number; retries: number }>(
    `SELECT count(*) FILTER (WHERE retry_count > 0)::int AS retried,
            COALESCE(sum(retry_count), 0)::int AS retries
       FROM pgboss.job
      WHERE name = 'fulfillment.post-shipment' AND data->'payload'->>'shipmentId' = ANY($1::text[])`,
    [ids],
  );
  return rows[0] ?? { retried: 0, retries: 0 };
}

/**
 * `crossdock_shipment_erp_postings_total` of one hub by result (created, found, error, …):
 * `found` counts postings whose ERP shipment was already there (an earlier answer was lost).
 */
export async function shipmentPostingResults(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('crossdock_shipment_erp_postings_total{')) continue;
    const result = /result="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (result) counts[result] = (counts[result] ?? 0) + value;
  }
  return counts;
}
