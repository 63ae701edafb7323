import { uomAllowsFractions } from '../../src/modules/master-data/index.js';
import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';
import { cloudErpEnv } from '../adapters/erp-adapter-test-support.js';
import type { TestApp } from '../support/test-app.js';
import {
  DemoPicker,
  nextRef,
  orderChannel,
  quotedPrice,
  startOrdersHub,
  submitOrder,
  syncEverything,
} from './orders-test-support.js';

/**
 * Answers a channel can take at their word (issue 12, "answers that mislead"): availability of
 * an unknown SKU is not "0 in stock", ATP names its unit, one missing field is one violation, a
 * counted unit refuses fractions, a ship date in the past is refused, and the default ship-to is
 * shown instead of null.
 */
describe('answers that do not mislead (orders, quotes, availability)', () => {
  const demo = new DemoPicker(0.2);
  let sandbox: CloudErpSandbox;
  let hub: TestApp;
  let shop: Record<string, string>;
  let customerNo: string;
  let counted: { sku: string; baseUom: string };

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({ dataset: demo.dataset });
    hub = await startOrdersHub(cloudErpEnv(sandbox, { CLOUD_ERP_RATE_LIMIT: '1000000' }));
    await syncEverything(hub);
    shop = await orderChannel(hub);
    customerNo = demo.goodCustomers()[0].customerNo;
    for (const item of demo.items(
      (i) =>
        i.status === 'ACTIVE' && i.fulfillmentType === 'STOCK' && !uomAllowsFractions(i.baseUom),
    )) {
      if ((await quotedPrice(hub, shop, customerNo, item.sku, '1', item.baseUom)) !== null) {
        counted = item;
        break;
      }
    }
    if (!counted) throw new Error('no priced stock item counted in whole units');
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
    await sandbox?.close();
  });

  const order = (extra: Record<string, unknown> = {}, quantity = '1') => ({
    channelOrderRef: nextRef('ANS'),
    customerId: customerNo,
    lines: [{ lineRef: '1', sku: counted.sku, quantity, uom: counted.baseUom }],
    ...extra,
  });
  const violationsOf = (body: { violations?: { code: string; field: string }[] }) =>
    (body.violations ?? []).map((v) => `${v.field}:${v.code}`);

  it('answers 404 ITEM_NOT_FOUND for the availability of one unknown SKU, found:false within several', async () => {
    const one = await fetch(`${hub.baseUrl}/v1/inventory/availability?sku=NO-SUCH-SKU-1`, {
      headers: shop,
    });
    expect(one.status).toBe(404);
    expect(one.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await one.json()).toMatchObject({ code: 'ITEM_NOT_FOUND', sku: 'NO-SUCH-SKU-1' });

    const several = await fetch(`${hub.baseUrl}/v1/inventory/availability:query`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({ skus: [counted.sku, 'NO-SUCH-SKU-1'] }),
    });
    expect(several.status).toBe(200);
    const body = (await several.json()) as {
      items: { sku: string; found: boolean; uom: string | null; atp: string }[];
    };
    expect(body.items).toEqual([
      expect.objectContaining({ sku: counted.sku, found: true, uom: counted.baseUom }),
      expect.objectContaining({ sku: 'NO-SUCH-SKU-1', found: false, uom: null, atp: '0' }),
    ]);
  });

  it("states ATP in the item's base unit of measure", async () => {
    const res = await fetch(
      `${hub.baseUrl}/v1/inventory/availability?sku=${encodeURIComponent(counted.sku)}`,
      { headers: shop },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      items: [{ sku: counted.sku, found: true, uom: counted.baseUom }],
    });
  });

  it('reports a missing field as one violation, not several unrelated ones', async () => {
    const noSku = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('ANS'),
      customerId: customerNo,
      lines: [{ lineRef: '1', quantity: '1', uom: counted.baseUom }],
    });
    expect(noSku.status).toBe(400);
    expect(violationsOf(noSku.body)).toEqual(['lines[0].sku:REQUIRED']);

    const noLines = await submitOrder(hub, shop, {
      channelOrderRef: nextRef('ANS'),
      customerId: customerNo,
    });
    expect(noLines.status).toBe(400);
    expect(violationsOf(noLines.body)).toEqual(['lines:REQUIRED']);
  });

  it('refuses a fraction of a counted unit (1.5 EA) in an order and in a quote', async () => {
    const res = await submitOrder(hub, shop, order({}, '1.5'));
    expect(res.status).toBe(422);
    expect(violationsOf(res.body)).toEqual(['lines[0].quantity:QUANTITY_NOT_DIVISIBLE']);

    const quote = await fetch(`${hub.baseUrl}/v1/pricing/quotes`, {
      method: 'POST',
      headers: { ...shop, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: customerNo,
        lines: [{ sku: counted.sku, quantity: '1.5', uom: counted.baseUom }],
      }),
    });
    const quoted = (await quote.json()) as {
      lines: { status: string; violations: { code: string; field: string }[] }[];
    };
    expect(quoted.lines[0].status).toBe('REJECTED');
    expect(quoted.lines[0].violations).toEqual([
      expect.objectContaining({ code: 'QUANTITY_NOT_DIVISIBLE', field: 'lines[0].quantity' }),
    ]);
  });

  it('refuses a requested ship date in the past with 422 REQUESTED_DATE_IN_PAST', async () => {
    const res = await submitOrder(hub, shop, order({ requestedShipDate: '2020-01-02' }));
    expect(res.status).toBe(422);
    expect(violationsOf(res.body)).toEqual(['requestedShipDate:REQUESTED_DATE_IN_PAST']);
  });

  it("shows the customer's default ship-to when the order names none", async () => {
    const defaultShipTo = demo.dataset.shipTos.find(
      (s) => s.customerNo === customerNo && s.isDefault,
    );
    const res = await submitOrder(hub, shop, order());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ shipTo: { code: defaultShipTo?.code, default: true } });

    const named = await submitOrder(hub, shop, order({ shipToId: defaultShipTo?.code }));
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ shipTo: { code: defaultShipTo?.code } });
    expect(named.body).not.toHaveProperty('shipTo.default');
  });
});
