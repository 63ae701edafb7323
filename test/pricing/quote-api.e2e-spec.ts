import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  CheckPricesQuery,
  GetQuoteQuery,
  priceListEntryKey,
} from '../../src/modules/pricing/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import type { TestApp } from '../support/test-app.js';
import {
  aContract,
  anEntry,
  anItem,
  aPromotion,
  standardWorld,
  TODAY,
} from './price-data.fixtures.js';
import { InMemoryPriceDataFeed } from './support/in-memory-price-data-feed.js';
import { loadWorld, sourceIds } from './support/load-world.js';
import { resetPricingTables, startPricingTestApp } from './support/pricing-test-app.js';

interface TraceBody {
  rule: string;
  ref: string;
  outcome: string;
  reason: string;
  unitPrice?: string;
}
interface LineBody {
  lineNo: number;
  sku: string;
  status: string;
  unitPrice: string | null;
  extendedPrice: string | null;
  priceUom: string | null;
  listPrice: string | null;
  source: string | null;
  sourceRef: string | null;
  quantityBreak: Record<string, string> | null;
  promotions: { code: string; amountOff: string }[];
  trace: TraceBody[];
  violations: { code: string; field: string; message: string }[];
}
interface QuoteBody {
  quoteId: string;
  customerId: string;
  currency: string;
  pricingDate: string;
  priceVersion: string;
  createdAt: string;
  expiresAt: string;
  lines: LineBody[];
  promotionCodes: { code: string; status: string }[];
  totals: {
    lineCount: number;
    pricedLineCount: number;
    rejectedLineCount: number;
    subtotal: string;
  };
}
interface ProblemBody {
  status: number;
  code: string;
  violations?: { code: string; field: string }[];
}
interface RunBody {
  status: string;
  streams: Record<string, { read: number; upserted: number; deleted: number; invalid: number }>;
}

describe('POST /v1/pricing/quotes (real HTTP, real PostgreSQL, in-memory ERP feeds)', () => {
  // Its own feed name: master-data watermarks are kept per feed, and other suites sync 'test-erp'.
  const masterData = new InMemoryMasterDataFeed('pricing-quote-erp');
  const prices = new InMemoryPriceDataFeed('test-erp');
  let hub: TestApp;
  let reader: Record<string, string>;
  let admin: Record<string, string>;
  let noPricingScope: Record<string, string>;

  beforeAll(async () => {
    await resetPricingTables();
    const world = standardWorld();
    world.items.push(anItem({ sku: 'NP-1' }));
    world.contracts.push(aContract());
    world.promotions.push(aPromotion({ requiresCode: true }));
    loadWorld(world, masterData, prices);
    hub = await startPricingTestApp(masterData, prices);
    reader = bearer((await createTestChannel(hub.app, { scopes: ['pricing:read'] })).apiKey);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    noPricingScope = bearer((await createTestChannel(hub.app, { scopes: ['orders:read'] })).apiKey);
    const md = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(md.status).toBe(200);
    expect(((await md.json()) as { status: string }).status).toBe('succeeded');
    expect((await syncPrices()).status).toBe('succeeded');
  });
  afterAll(async () => {
    await hub?.close();
  });

  const syncPrices = async (query = ''): Promise<RunBody> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/pricing?wait=true${query}`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as RunBody;
  };

  const post = (body: unknown, headers: Record<string, string> = reader): Promise<Response> =>
    fetch(`${hub.baseUrl}/v1/pricing/quotes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const quote = async (body: Record<string, unknown>): Promise<QuoteBody> => {
    const res = await post({ pricingDate: TODAY, ...body });
    expect(res.status).toBe(201);
    return (await res.json()) as QuoteBody;
  };

  const oneLine = (customerId: string, sku = 'HX-2040', quantity = '1', uom = 'EA') => ({
    customerId,
    lines: [{ sku, quantity, uom }],
  });

  it('answers 401 without an API key', async () => {
    const res = await post(oneLine('C200'), {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 403 to a key without the pricing:read scope', async () => {
    const res = await post(oneLine('C200'), noPricingScope);
    expect(res.status).toBe(403);
    expect(((await res.json()) as ProblemBody).code).toBe('FORBIDDEN');
  });

  it('answers 400 listing every invalid field', async () => {
    const res = await post({
      customerId: 'C200',
      currency: 'usd',
      pricingDate: '2026-02-30',
      lines: [
        { sku: 'HX-2040', quantity: '-1', uom: 'EA' },
        { sku: 'HX-2040', quantity: 2, uom: 'EA' },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ProblemBody;
    expect(body.code).toBe('VALIDATION_FAILED');
    const fields = (body.violations ?? []).map((v) => v.field);
    expect(fields).toEqual(
      expect.arrayContaining(['currency', 'pricingDate', 'lines[0].quantity', 'lines[1].quantity']),
    );
  });

  it('answers 422 UNKNOWN_CUSTOMER for a customer the hub does not know', async () => {
    const res = await post({ ...oneLine('C99999'), pricingDate: TODAY });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as ProblemBody;
    expect(body.code).toBe('UNKNOWN_CUSTOMER');
    expect(body.violations).toEqual([expect.objectContaining({ field: 'customerId' })]);
  });

  it('answers 422 CURRENCY_MISMATCH for a currency the customer is not invoiced in', async () => {
    const res = await post({ ...oneLine('C200'), currency: 'EUR' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ProblemBody).code).toBe('CURRENCY_MISMATCH');
  });

  it('prices every line with its source, promotions, trace and totals, and issues a stored quote', async () => {
    const body = await quote({
      customerId: 'C101',
      promotionCodes: ['spring-10'],
      lines: [
        { sku: 'HX-2040', quantity: '24', uom: 'EA' },
        { sku: 'WR-1000', quantity: '1', uom: 'BOX' },
        { sku: 'HX-2040', quantity: '1', uom: 'case' },
      ],
    });
    expect(body).toMatchObject({
      customerId: 'C101',
      currency: 'USD',
      pricingDate: TODAY,
      promotionCodes: [{ code: 'SPRING-10', status: 'APPLIED' }],
      totals: { lineCount: 3, pricedLineCount: 3, rejectedLineCount: 0, subtotal: '425.40' },
    });
    expect(body.priceVersion).toMatch(/^pv1_[0-9a-f]{32}$/);
    const [contractLine, bookLine, caseLine] = body.lines;
    expect(contractLine).toMatchObject({
      status: 'PRICED',
      unitPrice: '7.6500',
      extendedPrice: '183.60',
      priceUom: 'EA',
      listPrice: '9.8000',
      source: 'CONTRACT',
      sourceRef: 'CT-000001',
      promotions: [{ code: 'SPRING-10', amountOff: '0.8500' }],
    });
    expect(contractLine.trace).toEqual([
      expect.objectContaining({ rule: 'CONTRACT', ref: 'CT-000001', outcome: 'WON' }),
      expect.objectContaining({ rule: 'CUSTOMER_PRICE_BOOK', ref: 'CPL-P100', outcome: 'LOST' }),
      expect.objectContaining({ rule: 'BASE_PRICE_BOOK', ref: 'BASE-USD', outcome: 'LOST' }),
      expect.objectContaining({ rule: 'PROMOTION', ref: 'SPRING-10', outcome: 'APPLIED' }),
    ]);
    expect(bookLine).toMatchObject({
      unitPrice: '150.0000',
      extendedPrice: '150.00',
      priceUom: 'BOX',
      source: 'BASE_PRICE_BOOK',
      sourceRef: 'BASE-USD',
    });
    expect(caseLine).toMatchObject({ unitPrice: '91.8000', priceUom: 'CASE' });
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(900_000);

    const stored = await hub.app.get(QueryBus).execute(new GetQuoteQuery(body.quoteId));
    expect(stored).toMatchObject({
      expired: false,
      quote: {
        quoteId: body.quoteId,
        customerId: 'C101',
        priceVersion: body.priceVersion,
        totals: body.totals,
      },
    });
    expect(stored?.quote.lines.map((l) => l.unitPrice)).toEqual(['7.6500', '150.0000', '91.8000']);
    // Written behind the response within a few tens of milliseconds.
    let rows: { price_version: string }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      rows = (await hub.app
        .get(DataSource)
        .query(`SELECT price_version FROM pr_quote WHERE id = $1`, [body.quoteId])) as {
        price_version: string;
      }[];
    }
    expect(rows).toEqual([{ price_version: body.priceVersion }]);
  });

  it('reports line problems as violations per line and still prices the valid lines', async () => {
    const body = await quote({
      customerId: 'C200',
      lines: [
        { sku: 'NOPE-1', quantity: '1', uom: 'EA' },
        { sku: 'HX-2040', quantity: '1', uom: 'DRUM' },
        { sku: 'BLK-1', quantity: '1', uom: 'EA' },
        { sku: 'NP-1', quantity: '1', uom: 'EA' },
        { sku: 'HX-2040', quantity: '12', uom: 'EA' },
      ],
    });
    expect(body.lines.map((l) => [l.status, l.violations.map((v) => v.code)])).toEqual([
      ['REJECTED', ['ITEM_NOT_FOUND']],
      ['REJECTED', ['UOM_NOT_CONVERTIBLE']],
      ['REJECTED', ['ITEM_NOT_SELLABLE']],
      ['REJECTED', ['NO_PRICE']],
      ['PRICED', []],
    ]);
    expect(body.lines[1].violations[0].field).toBe('lines[1].uom');
    expect(body.lines[4]).toMatchObject({
      unitPrice: '9.5000',
      extendedPrice: '114.00',
      quantityBreak: { priceList: 'BASE-USD', minQuantity: '12', uom: 'EA', minBaseQuantity: '12' },
    });
    expect(body.totals).toEqual({
      lineCount: 5,
      pricedLineCount: 1,
      rejectedLineCount: 4,
      subtotal: '114.00',
    });
  });

  it('gives the same priceVersion to the same request, under a new quote id', async () => {
    const first = await quote(oneLine('C102'));
    const second = await quote(oneLine('C102'));
    expect(second.priceVersion).toBe(first.priceVersion);
    expect(second.quoteId).not.toBe(first.quoteId);
    expect(second.lines).toEqual(first.lines);
  });

  it('lets order capture check expected prices and a quote id through CheckPricesQuery', async () => {
    const issued = await quote(oneLine('C101'));
    const result = await hub.app.get(QueryBus).execute(
      new CheckPricesQuery({
        customerId: 'C101',
        pricingDate: TODAY,
        quoteId: issued.quoteId,
        priceVersion: issued.priceVersion,
        lines: [
          { sku: 'HX-2040', quantity: '1', uom: 'EA', expectedUnitPrice: '8.5' },
          { sku: 'HX-2040', quantity: '2', uom: 'EA', expectedUnitPrice: '8.40' },
        ],
      }),
    );
    expect(result.quoteStatus).toBe('VALID');
    expect(result.lines.map((l) => [l.matchesCurrent, l.matchesQuote])).toEqual([
      [true, true],
      [false, null],
    ]);
    expect(result.allMatchCurrent).toBe(false);
    // The check priced two lines, the quote one: different data considered, same for line 1.
    expect(result.quote.lines[0].unitPrice).toBe('8.5000');
  });

  it('shows a price change synced from the ERP in the next quote, with a new priceVersion', async () => {
    const before = await quote(oneLine('C200'));
    expect(before.lines[0].unitPrice).toBe('10.0000');

    const changed = anEntry({ unitPrice: '10.25' });
    prices.put('priceListEntries', sourceIds.entry(priceListEntryKey(changed)), changed);
    const run = await syncPrices();
    expect(run.streams.priceListEntries.upserted).toBe(1);

    const after = await quote(oneLine('C200'));
    expect(after.lines[0].unitPrice).toBe('10.2500');
    expect(after.priceVersion).not.toBe(before.priceVersion);
  });

  it('stops applying a contract once its deletion in the ERP is synced', async () => {
    const before = await quote(oneLine('C101'));
    expect(before.lines[0]).toMatchObject({ source: 'CONTRACT', unitPrice: '8.5000' });

    prices.delete('contracts', sourceIds.contract('CT-000001'));
    const run = await syncPrices();
    expect(run.streams.contracts.deleted).toBe(1);

    const after = await quote(oneLine('C101'));
    expect(after.lines[0]).toMatchObject({ source: 'CUSTOMER_PRICE_BOOK', unitPrice: '9.8000' });
    expect(after.priceVersion).not.toBe(before.priceVersion);
  });

  it('removes prices the ERP no longer returns on a full sync (adapters that cannot see deletes)', async () => {
    const gone = anEntry({ sku: 'WR-1000', unitPrice: '25.00' });
    prices.forget('priceListEntries', sourceIds.entry(priceListEntryKey(gone)));
    await syncPrices();
    expect((await quote(oneLine('C200', 'WR-1000'))).lines[0].unitPrice).toBe('25.0000');

    const run = await syncPrices('&full=true');
    expect(run.streams.priceListEntries.deleted).toBe(1);
    const after = await quote(oneLine('C200', 'WR-1000'));
    expect(after.lines[0].violations.map((v) => v.code)).toEqual(['NO_PRICE']);
  });

  it('refuses a price record it cannot accept as an exception and keeps syncing the rest', async () => {
    prices.putRaw('contracts', 'ct:BROKEN', { contractNo: 'BROKEN', priceType: 'FIXED' });
    prices.put(
      'contracts',
      sourceIds.contract('CT-000050'),
      aContract({ contractNo: 'CT-000050', customerId: 'C200', fixedPrice: '7.00' }),
    );
    const run = await syncPrices();
    expect(run.status).toBe('completed_with_errors');
    expect(run.streams.contracts).toMatchObject({ invalid: 1, upserted: 1 });
    const exceptions = (await hub.app.get(DataSource).query(
      `SELECT source, reference, error->>'code' AS code FROM ops_exception
       WHERE type = 'sync.record_invalid' AND source = 'pricing:contracts'`,
    )) as { source: string; reference: string; code: string }[];
    expect(exceptions).toEqual([
      { source: 'pricing:contracts', reference: 'ct:BROKEN', code: 'RECORD_INVALID' },
    ]);
    expect((await quote(oneLine('C200'))).lines[0]).toMatchObject({
      unitPrice: '7.0000',
      sourceRef: 'CT-000050',
    });
  });
});
