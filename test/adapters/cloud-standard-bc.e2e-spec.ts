import { Decimal } from 'decimal.js';
import { parse } from 'lossless-json';
import { DataSource } from 'typeorm';
import { CloudErpConnection } from '../../src/adapters/erp/cloud/cloud-erp.connection.js';
import { CloudMasterDataFeed } from '../../src/adapters/erp/cloud/master-data/cloud-master-data.feed.js';
import { type DemoDataset, generateDemoDataset } from '../../src/erp-simulators/demo-data/index.js';
import type { Item } from '../../src/modules/master-data/index.js';
import type { DeltaEntry, DeltaPage } from '../../src/platform/delta-sync/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
  STRICT_BC,
  sandboxCredentials,
} from '../../src/erp-simulators/cloud/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  cloudErpEnv,
  forgetSyncState,
  MANUAL_SYNC_ENV,
  syncMasterData,
} from './erp-adapter-test-support.js';

type Row = Record<string, unknown>;

/*
 * Done-when of issue 13 (cloud part): a sync against a sandbox as strict as a standard Business
 * Central tenant fills the hub exactly from what that tenant sends. The expectation is computed
 * here from the sandbox's own JSON (read with every number kept as its text), field by field,
 * not from the adapter's mapping.
 */

const dataset: DemoDataset = generateDemoDataset({ scale: 0.2 });
const LOCAL_CURRENCY = 'USD';

/** GET from the sandbox's API with a token of its own client. */
async function bcGet(sandbox: CloudErpSandbox, url: string): Promise<Response> {
  const tokenRes = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      scope: sandbox.scope,
    }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  return fetch(url, {
    headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=20000' },
  });
}

/** Every row of a sandbox entity set, numbers as the exact text the sandbox wrote. */
async function bcRows(sandbox: CloudErpSandbox, api: string, entitySet: string): Promise<Row[]> {
  const res = await bcGet(sandbox, `${api}/companies(${sandbox.companyId})/${entitySet}`);
  if (res.status !== 200) throw new Error(`${entitySet}: ${res.status}`);
  const body = parse(await res.text(), null, (digits: string) => digits) as { value: Row[] };
  return body.value;
}

async function runSync(hub: TestApp, path: string): Promise<Row> {
  const { apiKey } = await createTestChannel(hub.app, { scopes: ['ops:admin'] });
  const res = await fetch(`${hub.baseUrl}/v1/admin/sync/${path}?wait=true`, {
    method: 'POST',
    headers: bearer(apiKey),
  });
  const body = (await res.json()) as Row;
  if (res.status !== 200) throw new Error(`${path} sync answered ${res.status}`);
  return body;
}

const text = (value: unknown): string | null => {
  const t = value === undefined || value === null ? '' : String(value).trim();
  return t === '' ? null : t;
};
const same = (a: unknown, b: unknown): boolean =>
  a !== null && b !== null && new Decimal(String(a)).equals(new Decimal(String(b)));

describe('cloud adapter against a standard Business Central (strict-BC sandbox)', () => {
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({ dataset, ...STRICT_BC });
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      // The hub's own limit is far above what this tenant admits: it must adapt to the 429s.
      ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
      MASTER_DATA_SYNC_PAGE_SIZE: '25',
    });
    db = hub.app.get(DataSource);
    // One database per jest run: earlier suites' records (same demo keys, other ERPs) go, so the
    // comparison below is with exactly what this tenant sent.
    for (const table of [
      'md_customer',
      'md_item',
      'pr_price_list_entry',
      'pr_price_list',
      'pr_contract',
      'pr_promotion',
      'inv_erp_balance',
      'sync_watermark',
    ]) {
      await db.query(`DELETE FROM ${table}`);
    }
    await forgetSyncState(hub);
  });
  afterAll(async () => {
    await hub?.close();
    await sandbox?.close();
  });

  it('fills customers, items, units of measure, base prices and total stock exactly from standard BC alone', async () => {
    const customers = await bcRows(sandbox, sandbox.apiUrl, 'customers');
    const items = await bcRows(sandbox, sandbox.apiUrl, 'items');
    const terms = await bcRows(sandbox, sandbox.apiUrl, 'paymentTerms');
    const taxAreas = await bcRows(sandbox, sandbox.apiUrl, 'taxAreas');
    const taxGroups = await bcRows(sandbox, sandbox.apiUrl, 'taxGroups');
    const locations = await bcRows(sandbox, sandbox.apiUrl, 'locations');
    // The strict tenant: JSON numbers, blanks, rows without optional fields, no custom pages.
    expect(customers.some((c) => !('phoneNumber' in c))).toBe(true);
    expect(customers.some((c) => !('website' in c))).toBe(true);
    expect(customers.some((c) => c.taxLiable === false)).toBe(true);
    expect(items.some((i) => !('type' in i))).toBe(true);
    expect(items.some((i) => !('gtin' in i))).toBe(true);
    expect(customers.some((c) => c.currencyCode === '')).toBe(true);
    const custom = `${sandbox.customApiUrl}/companies(${sandbox.companyId})/itemDetails`;
    expect((await bcGet(sandbox, custom)).status).toBe(404);
    // A tenant that admits far fewer requests than the hub is configured for, without Retry-After,
    // and that also throttles a seeded share of requests (other clients on the tenant): 429s
    // happen however slowly a loaded machine sends.
    sandbox.faults.set({ rateLimit: { requests: 10, windowSeconds: 1 }, throttleRate: 0.05 });
    sandbox.stats.reset();

    const master = await syncMasterData(hub);
    const pricing = await runSync(hub, 'pricing');
    const inventory = await runSync(hub, 'inventory');
    expect(sandbox.stats.throttled).toBeGreaterThan(0);
    expect(master.status).toBe('succeeded');
    expect(inventory.status).toBe('succeeded');
    // The runs say what standard BC could not give.
    const gaps = (counts: unknown): string =>
      ((counts as { degraded: string[] }).degraded ?? []).join('\n');
    const entities = master.entities as Record<string, unknown>;
    expect(gaps(entities.customers)).toMatch(/customerDetails[\s\S]*shipToAddresses/);
    expect(gaps(entities.items)).toMatch(/itemDetails[\s\S]*itemUnitsOfMeasure/);
    expect(gaps(entities.warehouses)).toBe('');
    expect(gaps((pricing.streams as Record<string, unknown>).contracts)).toMatch(
      /customerContracts/,
    );
    expect(gaps(inventory.balances)).toMatch(/inventoryBalances/);

    const termsById = new Map(terms.map((t) => [String(t.id), String(t.code)]));
    const taxById = new Map(taxAreas.map((t) => [String(t.id), String(t.code)]));
    const hubCustomers = new Map(
      ((await db.query(`SELECT * FROM md_customer`)) as Row[]).map((r) => [r.erp_id, r]),
    );
    expect(hubCustomers.size).toBe(customers.length);
    for (const c of customers) {
      const row = hubCustomers.get(c.number) as Row;
      const paymentTerms = termsById.get(String(c.paymentTermsId)) ?? null;
      expect({
        name: row.name,
        parent: row.parent_erp_id,
        status: row.status,
        currency: row.currency,
        paymentTerms: row.payment_terms,
        taxArea: row.tax_area_code,
        taxLiable: row.tax_liable,
        email: row.email,
        phone: row.phone,
        website: row.website,
        address: [row.address_lines, row.city, row.region, row.postal_code, row.country],
        balanceDue: same(row.balance_due, c.balanceDue),
      }).toEqual({
        name: c.displayName,
        parent: null,
        status: c.blocked === ' ' ? 'ACTIVE' : 'BLOCKED',
        currency: text(c.currencyCode) ?? LOCAL_CURRENCY,
        paymentTerms,
        taxArea: taxById.get(String(c.taxAreaId)) ?? null,
        taxLiable: c.taxLiable,
        email: text(c.email),
        phone: text(c.phoneNumber),
        website: text(c.website),
        address: [
          [c.addressLine1, c.addressLine2].map(text).filter((l) => l !== null),
          text(c.city),
          text(c.state),
          text(c.postalCode),
          text(c.country),
        ],
        balanceDue: true,
      });
      // BC's 0 credit limit is its blank (no limit), except on terms due at once (no credit).
      const dueAtOnce = terms.some(
        (t) =>
          t.code === paymentTerms &&
          /^\s*(0\s*[DWMQY])?\s*$/i.test(String(t.dueDateCalculation ?? '')),
      );
      if (new Decimal(String(c.creditLimit)).isZero()) {
        expect(row.credit_limit === null ? null : Number(row.credit_limit)).toBe(
          dueAtOnce ? 0 : null,
        );
      } else {
        expect(same(row.credit_limit, c.creditLimit)).toBe(true);
      }
    }
    expect(await db.query(`SELECT count(*)::int AS n FROM md_ship_to`)).toEqual([{ n: 0 }]);

    const hubItems = new Map(
      ((await db.query(`SELECT * FROM md_item`)) as Row[]).map((r) => [r.sku, r]),
    );
    const uoms = (await db.query(`SELECT sku, uom, factor FROM md_item_uom ORDER BY sku`)) as Row[];
    const stockItems = items.filter((i) => (i.type ?? 'Inventory') === 'Inventory');
    // As in BC, an item's taxGroupCode is the code of the taxGroups row its taxGroupId names.
    const groupById = new Map(taxGroups.map((g) => [String(g.id), String(g.code)]));
    expect(items.filter((i) => groupById.get(String(i.taxGroupId)) !== i.taxGroupCode)).toEqual([]);
    expect(hubItems.size).toBe(stockItems.length);
    for (const i of stockItems) {
      const row = hubItems.get(i.number) as Row;
      expect({
        description: row.description,
        baseUom: row.base_uom,
        itemGroup: row.item_group,
        status: row.status,
        fulfillment: row.fulfillment_type,
        lot: row.lot_controlled,
        gtin: row.gtin,
        taxGroup: row.tax_group_code,
        uoms: uoms.filter((u) => u.sku === i.number).map((u) => [u.uom, Number(u.factor)]),
      }).toEqual({
        description: i.displayName,
        baseUom: i.baseUnitOfMeasureCode,
        itemGroup: text(i.itemCategoryCode),
        status: i.blocked === true ? 'BLOCKED' : 'ACTIVE',
        fulfillment: 'STOCK',
        lot: false,
        gtin: text(i.gtin),
        taxGroup: text(i.taxGroupCode),
        uoms: [[i.baseUnitOfMeasureCode, 1]],
      });
    }

    // Base prices: items.unitPrice in the local currency, base unit; 0 is BC's blank (no price).
    const priced = items.filter((i) => !new Decimal(String(i.unitPrice)).isZero());
    // An item without a price (0, BC's blank) is one refused record, and the run says so.
    expect(pricing).toMatchObject({
      status: priced.length === items.length ? 'succeeded' : 'completed_with_errors',
      streams: { priceListEntries: { invalid: items.length - priced.length } },
    });
    expect(
      await db.query(`SELECT code, list_type, currency, customer_id FROM pr_price_list`),
    ).toEqual([
      {
        code: 'BC-ITEM-UNIT-PRICE',
        list_type: 'BASE',
        currency: LOCAL_CURRENCY,
        customer_id: null,
      },
    ]);
    const entries = new Map(
      ((await db.query(`SELECT * FROM pr_price_list_entry`)) as Row[]).map((r) => [r.sku, r]),
    );
    expect(entries.size).toBe(priced.length);
    for (const i of priced) {
      const entry = entries.get(i.number) as Row;
      expect(entry.uom).toBe(i.baseUnitOfMeasureCode);
      expect(same(entry.min_qty, 0)).toBe(true);
      expect(same(entry.unit_price, i.unitPrice)).toBe(true);
    }

    // Total stock: items.inventory at the first location by code.
    const defaultLocation = locations.map((l) => String(l.code)).sort()[0];
    const balances = (await db.query(
      `SELECT sku, warehouse_code, lot_no, on_hand, allocated FROM inv_erp_balance WHERE NOT deleted`,
    )) as Row[];
    expect(balances).toHaveLength(stockItems.length);
    for (const i of stockItems) {
      const balance = balances.find((b) => b.sku === i.number) as Row;
      expect(balance.warehouse_code).toBe(defaultLocation);
      expect(same(balance.on_hand, i.inventory)).toBe(true);
      expect(same(balance.allocated, 0)).toBe(true);
    }

    // Visible, not silent: readiness says which capabilities are off.
    const ready = (await (await fetch(`${hub.baseUrl}/health/ready`)).json()) as {
      details: { erp: { status: string; degraded?: boolean; capabilitiesOff?: string[] } };
    };
    expect(ready.details.erp).toMatchObject({ status: 'up', degraded: true });
    expect(ready.details.erp.capabilitiesOff?.join('\n')).toMatch(/inventoryBalances/);
    expect(ready.details.erp.capabilitiesOff?.join('\n')).toMatch(/customerDetails/);
  });

  it('with the custom pages on, also syncs stock per location and the price lists', async () => {
    sandbox.faults.set({ customPages: true, rateLimit: { requests: 6000, windowSeconds: 300 } });
    const balances = await bcRows(sandbox, sandbox.customApiUrl, 'inventoryBalances');
    const priceLists = await bcRows(sandbox, sandbox.customApiUrl, 'priceLists');
    // The pages are asked for again after the recheck interval; a fresh hub asks at once.
    await hub.close();
    hub = await startTestApp({
      ...MANUAL_SYNC_ENV,
      ...cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }),
    });
    db = hub.app.get(DataSource);
    await db.query(`DELETE FROM inv_erp_balance`);
    await db.query(`DELETE FROM pr_price_list_entry`);
    await db.query(`DELETE FROM pr_price_list`);
    await db.query(`DELETE FROM sync_watermark`);
    await runSync(hub, 'pricing');
    await runSync(hub, 'inventory');

    const hubLists = (
      (await db.query(`SELECT code, currency FROM pr_price_list ORDER BY code`)) as Row[]
    ).map((r) => [r.code, r.currency]);
    expect(hubLists).toEqual(
      priceLists
        .map((l) => [l.code, text(l.currencyCode) ?? LOCAL_CURRENCY])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const hubBalances = (await db.query(
      `SELECT sku, warehouse_code, lot_no, on_hand FROM inv_erp_balance WHERE NOT deleted`,
    )) as Row[];
    expect(hubBalances).toHaveLength(balances.length);
    for (const b of balances) {
      const row = hubBalances.find(
        (h) =>
          h.sku === b.itemNumber &&
          h.warehouse_code === b.locationCode &&
          h.lot_no === String(b.lotNumber ?? ''),
      ) as Row;
      expect(row).toBeDefined();
      expect(same(row.on_hand, b.quantityOnHand)).toBe(true);
    }
  });
});

describe('cloud adapter: rows without lastModifiedDateTime', () => {
  it('reports each row without lastModifiedDateTime as one invalid record and maps every other row of the kind', async () => {
    const small = generateDemoDataset({ scale: 0.1 });
    const sandbox = await startCloudErpSandbox({
      dataset: small,
      omitFields: { items: ['lastModifiedDateTime'] },
      omitFieldsEvery: 4,
    });
    try {
      const feed = new CloudMasterDataFeed(
        new CloudErpConnection({
          ...sandboxCredentials(sandbox),
          localCurrency: LOCAL_CURRENCY,
          governor: { requestsPerWindow: 1_000_000, windowMs: 60_000 },
        }),
      );
      const untimed = new Set(
        (await bcRows(sandbox, sandbox.apiUrl, 'items'))
          .filter((i) => !('lastModifiedDateTime' in i))
          .map((i) => String(i.id)),
      );
      expect(untimed.size).toBeGreaterThan(0);
      const entries: DeltaEntry<Item>[] = [];
      let cursor: string | null = null;
      do {
        const page: DeltaPage<Item> = await feed.readItems({ since: null, cursor, pageSize: 7 });
        entries.push(...page.records);
        cursor = page.nextCursor;
      } while (cursor !== null);

      const invalid = entries.filter((e) => 'invalid' in e);
      expect(new Set(invalid.map((e) => e.sourceId))).toEqual(untimed);
      for (const e of invalid) {
        expect('invalid' in e && e.invalid.reason).toMatch(/lastModifiedDateTime/);
      }
      expect(entries.length).toBe(small.items.length);
      expect(new Set(entries.map((e) => e.sourceId)).size).toBe(small.items.length);
    } finally {
      await sandbox.close();
    }
  });
});
