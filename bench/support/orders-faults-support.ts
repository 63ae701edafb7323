/*
 * Helpers of the exactly-once fault bench (bench/orders-faults.bench.ts). Benches are compiled
 * from src/ and bench/ only, so what the CI-sized suite (test/orders/posting-faults.e2e-spec.ts)
 * takes from test/orders/posting-test-support.ts is ported here: the posting dataset, the choice
 * of customers and items that make accepted orders, order bodies with and without a drop-ship
 * line, capture over HTTP, the hub's segments and posting jobs, and the comparison of the
 * sandbox's sales orders with the segments.
 */
import { Decimal } from 'decimal.js';
import type pg from 'pg';
import type {
  DemoCustomer,
  DemoDataset,
  DemoItem,
} from '../../src/erp-simulators/demo-data/index.js';
import { generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import { type ErpSalesOrderDocument, POST_SEGMENT_JOB } from '../../src/modules/orders/index.js';
import type { CloudErpSandbox } from '../../src/erp-simulators/cloud/index.js';

const CASH_TERMS = new Set(['COD', 'PREPAID']);

/**
 * The demo dataset at `scale`, where customers that order on account get credit no run can
 * exhaust and every non-lot stock balance gets `extraStock` more units on hand: the bench is
 * about posting, not about credit holds or backorders.
 */
export function faultsDataset(scale: number, extraStock: number): DemoDataset {
  const dataset = generateDemoDataset({ scale });
  for (const c of dataset.customers) {
    if (!CASH_TERMS.has(c.paymentTermsCode)) {
      c.creditLimit = '10000000.00';
      c.balanceDue = '0.00';
    }
  }
  for (const b of dataset.inventoryBalances) {
    if (b.lotNo === null) b.onHand = new Decimal(b.onHand).plus(extraStock).toFixed(4);
  }
  return dataset;
}

/** Active USD customers on account, with tax data and a ship-to: orders from them are accepted. */
export function orderingCustomers(dataset: DemoDataset): DemoCustomer[] {
  const byNo = new Map(dataset.customers.map((c) => [c.customerNo, c]));
  const onAccount = (c: DemoCustomer | undefined): boolean =>
    c !== undefined && c.status === 'ACTIVE' && !CASH_TERMS.has(c.paymentTermsCode);
  return dataset.customers.filter(
    (c) =>
      onAccount(c) &&
      c.taxAreaCode !== null &&
      c.currencyCode === 'USD' &&
      (c.parentCustomerNo === null || onAccount(byNo.get(c.parentCustomerNo))) &&
      dataset.shipTos.some((s) => s.customerNo === c.customerNo),
  );
}

export interface FaultFixtures {
  customers: DemoCustomer[];
  /** Priced for every customer, with at least `minAtp` free in some warehouse. */
  stocked: DemoItem[];
  /** Priced for every customer, shipped by their supplier. */
  dropShip: DemoItem[];
}

/**
 * Customers (up to `maxCustomers`) and items every order of the run can use without a hold or a
 * rejection, checked through the hub's own quote (`POST /v1/pricing/quotes`) and availability
 * endpoints.
 */
export async function pickFaultFixtures(
  baseUrl: string,
  headers: Record<string, string>,
  dataset: DemoDataset,
  want: { maxCustomers: number; stocked: number; dropShip: number; minAtp: number },
): Promise<FaultFixtures> {
  const customers = orderingCustomers(dataset).slice(0, want.maxCustomers);
  if (customers.length === 0) throw new Error('no customer of the dataset can order on account');
  const active = dataset.items.filter((i) => i.status === 'ACTIVE');
  const stockedCandidates = active.filter((i) => i.fulfillmentType === 'STOCK' && !i.lotControlled);
  const dropShipCandidates = active.filter(
    (i) => i.fulfillmentType === 'DROP_SHIP' && Boolean(i.supplierNo),
  );
  const candidates = [...stockedCandidates, ...dropShipCandidates];
  const priced = new Set(candidates.map((i) => i.sku));
  for (const c of customers) {
    const prices = await quote(baseUrl, headers, c.customerNo, candidates);
    candidates.forEach((item, i) => {
      if (prices[i] === null) priced.delete(item.sku);
    });
  }
  const atp = await warehouseAtp(
    baseUrl,
    headers,
    stockedCandidates.filter((i) => priced.has(i.sku)).map((i) => i.sku),
  );
  const stocked = stockedCandidates
    .filter((i) => priced.has(i.sku) && [...(atp.get(i.sku) ?? [])].some((q) => q >= want.minAtp))
    .slice(0, want.stocked);
  const dropShip = dropShipCandidates.filter((i) => priced.has(i.sku)).slice(0, want.dropShip);
  if (stocked.length < want.stocked || dropShip.length < want.dropShip) {
    throw new Error(
      `not enough priced demo items: ${stocked.length} stocked, ${dropShip.length} drop-ship`,
    );
  }
  return { customers, stocked, dropShip };
}

/** Unit prices the hub quotes one customer for 3 of each item (null: not priced). */
async function quote(
  baseUrl: string,
  headers: Record<string, string>,
  customerId: string,
  items: DemoItem[],
): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let from = 0; from < items.length; from += 500) {
    const batch = items.slice(from, from + 500);
    const res = await fetch(`${baseUrl}/v1/pricing/quotes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId,
        lines: batch.map((i) => ({ sku: i.sku, quantity: '3', uom: i.baseUom })),
      }),
    });
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`quote for ${customerId} answered ${res.status}: ${await res.text()}`);
    }
    const body = (await res.json()) as { lines: { status: string; unitPrice: string | null }[] };
    out.push(...body.lines.map((l) => (l.status === 'PRICED' ? l.unitPrice : null)));
  }
  return out;
}

/** ATP per SKU and warehouse the channel sees, through GET /v1/inventory/availability. */
async function warehouseAtp(
  baseUrl: string,
  headers: Record<string, string>,
  skus: string[],
): Promise<Map<string, number[]>> {
  const atp = new Map<string, number[]>();
  for (let from = 0; from < skus.length; from += 50) {
    const query = skus
      .slice(from, from + 50)
      .map((s) => `sku=${encodeURIComponent(s)}`)
      .join('&');
    const res = await fetch(`${baseUrl}/v1/inventory/availability?${query}`, { headers });
    if (res.status !== 200) throw new Error(`availability answered ${res.status}`);
    const body = (await res.json()) as {
      items: { sku: string; warehouses: { warehouse: string; atp: string }[] }[];
    };
    for (const item of body.items) {
      atp.set(
        item.sku,
        item.warehouses.map((w) => Number(w.atp)),
      );
    }
  }
  return atp;
}

/**
 * `count` order requests spread over the fixtures' customers and items; every
 * `twoSegmentEvery`-th one adds a drop-ship line, so it becomes two ERP orders (warehouse +
 * supplier).
 */
export function faultOrderRequests(
  fixtures: FaultFixtures,
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
      channelOrderRef: `${options.prefix}-${i + 1}`,
      customerId: customers[i % customers.length].customerNo,
      poNumber: `${options.prefix}-PO-${i + 1}`,
      lines,
    };
  });
}

export interface CapturedOrder {
  id: string;
  status: string;
  segments: number;
}

/**
 * POST /v1/orders for every request, `parallel` at a time, each under its own Idempotency-Key;
 * every answer must be a 201 ACCEPTED (else the run stops: it would measure something else).
 */
export async function captureFaultOrders(
  baseUrl: string,
  headers: Record<string, string>,
  requests: Record<string, unknown>[],
  parallel: number,
): Promise<CapturedOrder[]> {
  const captured: CapturedOrder[] = new Array<CapturedOrder>(requests.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < requests.length && !failed) {
      const i = next++;
      const res = await fetch(`${baseUrl}/v1/orders`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': `key-${String(requests[i].channelOrderRef)}`,
        },
        body: JSON.stringify(requests[i]),
      });
      const body = (await res.json()) as { id: string; status: string; segments: unknown[] };
      if (res.status !== 201 || body.status !== 'ACCEPTED') {
        failed = true;
        throw new Error(`order ${i} answered ${res.status}: ${JSON.stringify(body)}`);
      }
      captured[i] = { id: body.id, status: body.status, segments: body.segments.length };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return captured;
}

export interface FaultSegmentRow {
  id: string;
  orderId: string;
  orderStatus: string;
  externalReference: string;
  status: string;
  erpOrderNumber: string | null;
  erpErrors: string[];
  attempts: number;
  document: ErpSalesOrderDocument;
}

/** The hub's segments of these orders, with their order's status and their ERP document. */
export async function segmentsOf(db: pg.Client, orderIds: string[]): Promise<FaultSegmentRow[]> {
  const { rows } = await db.query<FaultSegmentRow>(
    `SELECT s.id, s.order_id AS "orderId", o.status AS "orderStatus",
            s.external_reference AS "externalReference", s.status,
            s.erp_order_number AS "erpOrderNumber", s.erp_errors AS "erpErrors", s.attempts,
            s.document
       FROM ord_segment s JOIN ord_order o ON o.id = s.order_id
      WHERE s.order_id = ANY($1::uuid[])
      ORDER BY s.external_reference`,
    [orderIds],
  );
  return rows;
}

/** Statuses of the orders, counted: `{ POSTED: 458, POSTING: 42 }`. */
export async function orderStatusCounts(
  db: pg.Client,
  orderIds: string[],
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ord_order WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [orderIds],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Posting jobs of these segments by pg-boss state (all retries of one job are one row). */
export async function postingJobStates(
  db: pg.Client,
  segmentIds: string[],
): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(
    `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job
      WHERE name = $1 AND data->'payload'->>'segmentId' = ANY($2::text[])
      GROUP BY state`,
    [POST_SEGMENT_JOB, segmentIds],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/**
 * Waits until no posting job of these segments is left to run (created, retry, active), or
 * `ms` passed; resolves to the counts by state. Checked before the ERP is compared, so no job
 * still running could add an order after the comparison.
 */
export async function waitJobsSettled(
  db: pg.Client,
  segmentIds: string[],
  ms: number,
): Promise<Record<string, number>> {
  const until = Date.now() + ms;
  for (;;) {
    const states = await postingJobStates(db, segmentIds);
    const open = (states.created ?? 0) + (states.retry ?? 0) + (states.active ?? 0);
    if (open === 0 || Date.now() > until) return states;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Retries the posting jobs of these segments needed: jobs retried, retries in all, most. */
export async function postingJobRetries(
  db: pg.Client,
  segmentIds: string[],
): Promise<{ retried: number; retries: number; most: number }> {
  const { rows } = await db.query<{ retried: number; retries: number; most: number }>(
    `SELECT count(*) FILTER (WHERE retry_count > 0)::int AS retried,
            COALESCE(sum(retry_count), 0)::int AS retries,
            COALESCE(max(retry_count), 0)::int AS most
       FROM pgboss.job WHERE name = $1 AND data->'payload'->>'segmentId' = ANY($2::text[])`,
    [POST_SEGMENT_JOB, segmentIds],
  );
  return rows[0];
}

export interface ErpComparison {
  /** ERP sales orders carrying one of the segments' references. */
  erpOrders: number;
  /** References with more than one ERP order. */
  duplicates: string[];
  /** References with no ERP order. */
  lost: string[];
  /** ERP orders whose customer, ERP number, lines, prices or location differ from the segment. */
  mismatches: string[];
}

/**
 * Compares the sandbox's sales orders with the hub's segments: one ERP order per reference, with
 * the segment's customer and ERP order number, and its lines (item, UoM, quantity, unit price,
 * location).
 */
export function compareErpOrders(
  sandbox: CloudErpSandbox,
  segments: FaultSegmentRow[],
): ErpComparison {
  const byRef = new Map(segments.map((s) => [s.externalReference, s]));
  const erp = sandbox.store.tables.salesOrders
    .sorted()
    .filter((row) => byRef.has(row.data.externalDocumentNumber));
  const found = new Map<string, typeof erp>();
  for (const row of erp) {
    const ref = row.data.externalDocumentNumber;
    found.set(ref, [...(found.get(ref) ?? []), row]);
  }
  const duplicates = [...found].filter(([, rows]) => rows.length > 1).map(([ref]) => ref);
  const lost = [...byRef.keys()].filter((ref) => !found.has(ref));
  const mismatches: string[] = [];
  for (const [ref, [row]] of found) {
    const segment = byRef.get(ref) as FaultSegmentRow;
    const doc = segment.document;
    const order = row.data;
    const problems: string[] = [];
    if (order.customerNumber !== doc.customerNo) problems.push(`customer ${order.customerNumber}`);
    if (segment.erpOrderNumber !== order.number) {
      problems.push(`hub has ERP number ${segment.erpOrderNumber}, ERP ${order.number}`);
    }
    const lines = order.lineIds.map((id) => sandbox.store.tables.salesOrderLines.get(id)?.data);
    const locationId = doc.warehouseCode
      ? sandbox.store.idOf('warehouses', doc.warehouseCode)
      : null;
    if (lines.length !== doc.lines.length) problems.push(`${lines.length} lines`);
    doc.lines.forEach((want, i) => {
      const got = lines[i];
      if (
        !got ||
        got.lineObjectNumber !== want.sku ||
        got.unitOfMeasureCode !== want.uom ||
        !new Decimal(got.quantity).equals(want.quantity) ||
        !new Decimal(got.unitPrice).equals(want.unitPrice) ||
        got.locationId !== locationId
      ) {
        problems.push(`line ${i + 1} ${JSON.stringify(got)} for ${JSON.stringify(want)}`);
      }
    });
    if (problems.length > 0) mismatches.push(`${ref}: ${problems.join('; ')}`);
  }
  return { erpOrders: erp.length, duplicates, lost, mismatches };
}

/**
 * The sum of a Prometheus metric's samples (from GET /metrics) whose labels include `labels`;
 * 0 when there is none yet.
 */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const has = Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`));
    if (has) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
