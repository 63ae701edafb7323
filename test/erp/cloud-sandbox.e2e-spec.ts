import {
  type CloudErpSandbox,
  startCloudErpSandbox,
} from '../../src/erp-simulators/cloud/index.js';

interface Collection<T = Record<string, unknown>> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

interface BcErrorBody {
  error: { code: string; message: string };
}

describe('cloud ERP sandbox (Business Central API v2.0 look-alike)', () => {
  let sandbox: CloudErpSandbox;
  let token: string;
  /** Shifts the sandbox's clock, to expire tokens without waiting. */
  let clockOffsetMs = 0;

  const companyPath = (): string => `${sandbox.apiUrl}/companies(${sandbox.companyId})`;
  const customPath = (): string => `${sandbox.customApiUrl}/companies(${sandbox.companyId})`;

  const requestToken = (overrides: Record<string, string> = {}): Promise<Response> =>
    fetch(sandbox.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        scope: sandbox.scope,
        ...overrides,
      }),
    });

  const api = (url: string, init: RequestInit = {}): Promise<Response> =>
    fetch(url, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  const getJson = async <T>(url: string, headers: Record<string, string> = {}): Promise<T> => {
    const response = await api(url, { headers });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  /** Follows @odata.nextLink to the end; returns every entity and the page sizes seen. */
  const readAll = async (
    url: string,
    pageSize?: number,
  ): Promise<{ entities: Record<string, unknown>[]; pages: number[] }> => {
    const headers: Record<string, string> = pageSize
      ? { prefer: `odata.maxpagesize=${pageSize}` }
      : {};
    const entities: Record<string, unknown>[] = [];
    const pages: number[] = [];
    let next: string | undefined = url;
    while (next) {
      const page: Collection = await getJson<Collection>(next, headers);
      entities.push(...page.value);
      pages.push(page.value.length);
      next = page['@odata.nextLink'];
    }
    return { entities, pages };
  };

  const createOrder = (body: Record<string, unknown>, query = ''): Promise<Response> =>
    api(`${companyPath()}/salesOrders${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const activeCustomer = (): { id: string; number: string } => {
    const row = sandbox.store.tables.customers
      .sorted()
      .find((r) => r.data.status === 'ACTIVE' && r.data.currencyCode === 'USD')!;
    return { id: row.id, number: row.data.customerNo };
  };
  const stockItem = (): { id: string; sku: string; uom: string; factor: string } => {
    const row = sandbox.store.tables.items
      .sorted()
      .find(
        (r) =>
          r.data.status === 'ACTIVE' &&
          r.data.fulfillmentType === 'STOCK' &&
          r.data.uoms.length > 1,
      )!;
    return {
      id: row.id,
      sku: row.data.sku,
      uom: row.data.uoms[1].uomCode,
      factor: row.data.uoms[1].factor,
    };
  };

  beforeAll(async () => {
    sandbox = await startCloudErpSandbox({ now: () => Date.now() + clockOffsetMs });
    const response = await requestToken();
    token = ((await response.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  afterEach(() => {
    sandbox.faults.reset();
    clockOffsetMs = 0;
  });

  describe('OAuth2 client credentials', () => {
    it('issues a bearer token for the right client secret, and the API accepts it', async () => {
      const response = await requestToken();
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
      const companies = await fetch(`${sandbox.apiUrl}/companies`, {
        headers: { authorization: `Bearer ${String(body.access_token)}` },
      });
      expect(companies.status).toBe(200);
      expect(((await companies.json()) as Collection).value).toEqual([
        expect.objectContaining({ id: sandbox.companyId, name: 'Crossdock Demo Distribution' }),
      ]);
    });

    it('answers a wrong client secret with 401 invalid_client, as Entra does', async () => {
      const response = await requestToken({ client_secret: 'wrong' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: 'invalid_client',
        error_codes: [7000215],
        error_description: expect.stringMatching(/^AADSTS7000215: /),
      });
    });

    it('refuses API calls without a token or with an expired one', async () => {
      const anonymous = await fetch(`${companyPath()}/customers`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as BcErrorBody).error.code).toBe(
        'Authentication_InvalidCredentials',
      );

      sandbox.faults.set({ tokenTtlSeconds: 60 });
      const shortLived = ((await (await requestToken()).json()) as { access_token: string })
        .access_token;
      clockOffsetMs = 61_000;
      const expired = await fetch(`${companyPath()}/customers?$top=1`, {
        headers: { authorization: `Bearer ${shortLived}` },
      });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
      expect(((await expired.json()) as BcErrorBody).error.message).toContain('expired');
    });
  });

  describe('reading master data', () => {
    it('pages server-side with odata.maxpagesize and nextLink, to exactly every record', async () => {
      const { entities, pages } = await readAll(`${companyPath()}/customers`, 37);
      const ids = entities.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(sandbox.store.tables.customers.size);
      expect(ids.length).toBeGreaterThanOrEqual(200);
      expect(Math.max(...pages)).toBe(37);
      expect(pages.length).toBe(Math.ceil(ids.length / 37));

      const first = await api(`${companyPath()}/items`, {
        headers: { prefer: 'odata.maxpagesize=500' },
      });
      expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=500');
      const nextLink = ((await first.json()) as Collection)['@odata.nextLink']!;
      expect(nextLink).toMatch(/\$skiptoken=/);

      const topped = await readAll(`${companyPath()}/items?$top=45`, 20);
      expect(topped.pages).toEqual([20, 20, 5]);
    });

    it('serves every custom API page with the same paging, e.g. all item units of measure', async () => {
      const { entities } = await readAll(`${customPath()}/itemUnitsOfMeasure`, 5000);
      expect(entities.length).toBe(sandbox.store.tables.itemUoms.size);
      const gallon = entities.find((e) => e.code === 'GAL');
      expect(gallon).toMatchObject({ qtyPerUnitOfMeasure: 3.785412, baseUnitOfMeasure: false });
      for (const page of [
        'customerDetails',
        'shipToAddresses',
        'itemDetails',
        'itemSubstitutions',
        'inventoryBalances',
        'priceLists',
        'priceListLines',
        'customerContracts',
        'promotions',
      ]) {
        const response = await api(`${customPath()}/${page}?$top=1`);
        expect({ page, status: response.status }).toEqual({ page, status: 200 });
      }
    });

    it('returns only records changed after the watermark for a lastModifiedDateTime delta', async () => {
      const all = (await readAll(`${companyPath()}/items?$select=id,lastModifiedDateTime`))
        .entities;
      const stamps = all.map((e) => String(e.lastModifiedDateTime)).sort();
      const watermark = stamps[Math.floor(stamps.length * 0.9)];
      const expected = all
        .filter((e) => String(e.lastModifiedDateTime) > watermark)
        .map((e) => e.id);

      const delta = await readAll(
        `${companyPath()}/items?$filter=lastModifiedDateTime gt ${watermark}`,
        50,
      );
      expect(delta.entities.map((e) => e.id).sort()).toEqual([...expected].sort());
      const times = delta.entities.map((e) => String(e.lastModifiedDateTime));
      expect([...times].sort()).toEqual(times);

      const ge = await getJson<Collection>(
        `${companyPath()}/items?$filter=lastModifiedDateTime ge ${watermark}&$count=true&$top=1`,
      );
      expect(ge['@odata.count']).toBe(expected.length + 1);
    });

    it('changes the ETag and lastModifiedDateTime when the ERP edits a record', async () => {
      const customer = activeCustomer();
      const url = `${companyPath()}/customers(${customer.id})`;
      const before = await api(url);
      const beforeBody = (await before.json()) as Record<string, unknown>;
      expect(beforeBody['@odata.etag']).toMatch(/^W\/"/);
      expect(before.headers.get('etag')).toBe(beforeBody['@odata.etag']);

      const mutated = await fetch(`${sandbox.url}/admin/mutate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          entitySet: 'customers',
          key: customer.number,
          changes: { creditLimit: '123456.78' },
        }),
      });
      expect(mutated.status).toBe(200);

      // By default decimals are JSON numbers whatever the client asks (BC does not promise
      // IEEE754Compatible on responses); strings only when the sandbox is told to honour it.
      const asNumber = await api(url, {
        headers: { accept: 'application/json;IEEE754Compatible=true' },
      });
      expect(await asNumber.text()).toContain('"creditLimit":123456.78,');
      sandbox.faults.set({ honourIeee754: true });
      const after = await api(url, {
        headers: { accept: 'application/json;IEEE754Compatible=true' },
      });
      sandbox.faults.reset();
      const afterBody = (await after.json()) as Record<string, unknown>;
      expect(afterBody.creditLimit).toBe('123456.78');
      expect(afterBody['@odata.etag']).not.toBe(beforeBody['@odata.etag']);
      expect(String(afterBody.lastModifiedDateTime) > String(beforeBody.lastModifiedDateTime)).toBe(
        true,
      );
      const delta = await getJson<Collection>(
        `${companyPath()}/customers?$filter=lastModifiedDateTime gt ${String(beforeBody.lastModifiedDateTime)} and number eq '${customer.number}'`,
      );
      expect(delta.value.map((c) => c.id)).toEqual([customer.id]);
    });

    it('answers bad requests in Business Central error shape', async () => {
      const cases: [string, number, string][] = [
        [`${companyPath()}/widgets`, 404, 'BadRequest_ResourceNotFound'],
        [
          `${companyPath()}/customers(00000000-0000-0000-0000-000000000009)`,
          404,
          'BadRequest_NotFound',
        ],
        [`${companyPath()}/customers?$filter=colour eq 'red'`, 400, 'BadRequest'],
        [`${companyPath()}/customers?$filter=lastModifiedDateTime gt yesterday`, 400, 'BadRequest'],
        [
          `${sandbox.apiUrl}/companies(00000000-0000-0000-0000-000000000009)/items`,
          404,
          'Internal_CompanyNotFound',
        ],
      ];
      for (const [url, status, code] of cases) {
        const response = await api(url);
        const body = (await response.json()) as BcErrorBody;
        expect({ url, status: response.status, code: body.error.code }).toEqual({
          url,
          status,
          code,
        });
        expect(body.error.message).toMatch(/CorrelationId: {2}[0-9a-f-]{36}\.$/);
      }
    });
  });

  describe('sales orders', () => {
    it('creates an order with deep-inserted lines, finds it by externalDocumentNumber and allocates stock', async () => {
      const customer = activeCustomer();
      const location = sandbox.store.tables.customers.get(customer.id)!.data.defaultWarehouseCode;
      const stocked = new Set(
        sandbox.store.tables.balances
          .sorted()
          .filter((b) => b.data.warehouseCode === location && b.data.lotNo === null)
          .map((b) => b.data.sku),
      );
      const itemRow = sandbox.store.tables.items
        .sorted()
        .find(
          (r) => r.data.status === 'ACTIVE' && r.data.uoms.length > 1 && stocked.has(r.data.sku),
        )!;
      const item = {
        id: itemRow.id,
        sku: itemRow.data.sku,
        uom: itemRow.data.uoms[1].uomCode,
        factor: itemRow.data.uoms[1].factor,
      };
      const allocated = async (): Promise<number> =>
        (
          await readAll(
            `${customPath()}/inventoryBalances?$filter=itemNumber eq '${item.sku}' and locationCode eq '${location}'`,
          )
        ).entities.reduce((sum, b) => sum + Number(b.quantityAllocated), 0);
      const allocatedBefore = await allocated();

      const response = await createOrder(
        {
          externalDocumentNumber: 'HUB-ORDER-0001',
          customerNumber: customer.number,
          salesOrderLines: [
            { lineObjectNumber: item.sku, quantity: 2, unitOfMeasureCode: item.uom },
            { itemId: item.id, quantity: 3, unitPrice: 10.5 },
          ],
        },
        '?$expand=salesOrderLines',
      );
      expect(response.status).toBe(201);
      const order = (await response.json()) as Record<string, unknown> & {
        salesOrderLines: Record<string, unknown>[];
      };
      expect(order).toMatchObject({
        number: expect.stringMatching(/^SO-\d{6}$/),
        externalDocumentNumber: 'HUB-ORDER-0001',
        customerId: customer.id,
        status: 'Draft',
      });
      expect(response.headers.get('location')).toBe(
        `${companyPath()}/salesOrders(${String(order.id)})`,
      );
      expect(
        order.salesOrderLines.map((l) => [l.sequence, l.quantity, l.unitOfMeasureCode]),
      ).toEqual([
        [10000, 2, item.uom],
        [20000, 3, expect.any(String)],
      ]);
      expect(order.salesOrderLines[1].amountExcludingTax).toBe(31.5);

      const found = await getJson<Collection>(
        `${companyPath()}/salesOrders?$filter=externalDocumentNumber eq 'HUB-ORDER-0001'&$expand=salesOrderLines`,
      );
      expect(found.value.map((o) => o.id)).toEqual([order.id]);
      const lines = await getJson<Collection>(
        `${companyPath()}/salesOrders(${String(order.id)})/salesOrderLines`,
      );
      expect(lines.value).toHaveLength(2);

      expect((await allocated()) - allocatedBefore).toBeCloseTo(2 * Number(item.factor) + 3, 6);
    });

    it('accepts a second order with the same externalDocumentNumber, as BC does, and counts it', async () => {
      const customer = activeCustomer();
      const item = stockItem();
      const body = {
        externalDocumentNumber: 'HUB-ORDER-DUP',
        customerId: customer.id,
        salesOrderLines: [{ itemId: item.id, quantity: 1 }],
      };
      expect((await createOrder(body)).status).toBe(201);
      expect((await createOrder(body)).status).toBe(201);
      expect(sandbox.stats.duplicateExternalDocumentNumbers).toBeGreaterThanOrEqual(1);
    });

    it('rejects invalid orders with BC error codes and creates nothing', async () => {
      const item = stockItem();
      const blocked = sandbox.store.tables.customers
        .sorted()
        .find((r) => r.data.status === 'BLOCKED')!;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ customerNumber: 'C99999' }, 400, 'Internal_InvalidTableRelation'],
        [{}, 400, 'BadRequest_RequiredParamNotProvided'],
        [{ customerNumber: blocked.data.customerNo }, 400, 'Application_DialogException'],
        [
          { customerNumber: activeCustomer().number, externalDocumentNumber: 'X'.repeat(36) },
          400,
          'Application_StringExceededLength',
        ],
        [
          { customerNumber: activeCustomer().number, totalAmountIncludingTax: 5 },
          400,
          'BadRequest_InvalidOperation',
        ],
        [
          {
            customerNumber: activeCustomer().number,
            salesOrderLines: [
              { lineObjectNumber: item.sku, quantity: 1, unitOfMeasureCode: 'NOPE' },
            ],
          },
          400,
          'Internal_InvalidTableRelation',
        ],
      ];
      const ordersBefore = sandbox.store.tables.salesOrders.size;
      for (const [body, status, code] of cases) {
        const response = await createOrder(body);
        const error = (await response.json()) as BcErrorBody;
        expect({ body, status: response.status, code: error.error.code }).toEqual({
          body,
          status,
          code,
        });
      }
      expect(sandbox.store.tables.salesOrders.size).toBe(ordersBefore);
    });

    it('requires a matching If-Match to change an order (412 Request_EntityChanged otherwise)', async () => {
      const created = await createOrder({
        externalDocumentNumber: 'HUB-ORDER-PATCH',
        customerNumber: activeCustomer().number,
        salesOrderLines: [{ itemId: stockItem().id, quantity: 1 }],
      });
      const order = (await created.json()) as Record<string, string>;
      const url = `${companyPath()}/salesOrders(${order.id})`;
      const patch = (ifMatch?: string): Promise<Response> =>
        api(url, {
          method: 'PATCH',
          headers: {
            'content-type': 'application/json',
            ...(ifMatch ? { 'if-match': ifMatch } : {}),
          },
          body: JSON.stringify({ shipToContact: 'Dock 4' }),
        });
      const missing = await patch();
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as BcErrorBody).error.code).toBe('BadRequest_InvalidToken');
      const ok = await patch(order['@odata.etag']);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as Record<string, string>).shipToContact).toBe('Dock 4');
      const stale = await patch(order['@odata.etag']);
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as BcErrorBody).error.code).toBe('Request_EntityChanged');
    });

    it("changes a customer's contact properties with If-Match, 412 Request_EntityChanged on a stale ETag", async () => {
      const url = `${companyPath()}/customers(${activeCustomer().id})`;
      const before = (await (await api(url)).json()) as Record<string, string>;
      const patch = (ifMatch: string, body: unknown): Promise<Response> =>
        api(url, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'if-match': ifMatch },
          body: JSON.stringify(body),
        });
      const ok = await patch(before['@odata.etag'], { email: 'ap@example.com' });
      expect(ok.status).toBe(200);
      const after = (await ok.json()) as Record<string, string>;
      expect(after.email).toBe('ap@example.com');
      expect(after['@odata.etag']).not.toBe(before['@odata.etag']);
      const stale = await patch(before['@odata.etag'], { phoneNumber: '+1 555 0100' });
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as BcErrorBody).error.code).toBe('Request_EntityChanged');
      const readOnly = await patch('*', { creditLimit: 5 });
      expect(readOnly.status).toBe(400);
      expect(((await readOnly.json()) as BcErrorBody).error.code).toBe(
        'BadRequest_InvalidOperation',
      );
    });

    it('creates a ship-to address on the custom page once per code, and changes it with If-Match', async () => {
      const customer = activeCustomer();
      const post = (): Promise<Response> =>
        api(`${customPath()}/shipToAddresses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            customerId: customer.id,
            code: 'WB-1',
            name: 'Write-back dock',
            addressLine1: '7 Harbor Road',
            city: 'Toledo',
            country: 'US',
          }),
        });
      const created = await post();
      expect(created.status).toBe(201);
      const row = (await created.json()) as Record<string, string>;
      expect(row).toMatchObject({ customerNumber: customer.number, code: 'WB-1', city: 'Toledo' });
      const again = await post();
      expect(again.status).toBe(400);
      expect(((await again.json()) as BcErrorBody).error.code).toBe(
        'Internal_EntityWithSameKeyExists',
      );
      const changed = await api(`${customPath()}/shipToAddresses(${row.id})`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': row['@odata.etag'] },
        body: JSON.stringify({ city: 'Dayton' }),
      });
      expect(changed.status).toBe(200);
      expect(((await changed.json()) as Record<string, string>).city).toBe('Dayton');
    });
  });

  describe('standard-BC strictness', () => {
    afterEach(() => {
      sandbox.faults.reset();
    });

    it('answers the custom API pages 404 like a tenant without the extension', async () => {
      sandbox.faults.set({ customPages: false });
      const missing = await api(`${customPath()}/inventoryBalances`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as BcErrorBody).error.code).toBe(
        'BadRequest_ResourceNotFound',
      );
      expect((await api(`${companyPath()}/items`)).status).toBe(200);
    });

    it('leaves optional properties out of some rows, and Retry-After out of 429s by fraction', async () => {
      sandbox.faults.set({ omitFields: { items: ['gtin'] } });
      const { entities } = await readAll(`${companyPath()}/items`);
      expect(entities.some((i) => !('gtin' in i))).toBe(true);
      expect(entities.some((i) => 'gtin' in i)).toBe(true);

      sandbox.faults.set({
        rateLimit: { requests: 1, windowSeconds: 300 },
        retryAfterFraction: 0,
      });
      await (await api(`${companyPath()}/locations`)).arrayBuffer();
      const throttled = await api(`${companyPath()}/locations`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBeNull();
    });
  });

  describe('limits and fault injection', () => {
    it('answers 429 with Retry-After past the request window', async () => {
      sandbox.faults.set({ rateLimit: { requests: 5, windowSeconds: 30 } });
      const statuses: number[] = [];
      let throttled: Response | undefined;
      for (let i = 0; i < 7; i++) {
        const response = await api(`${companyPath()}/locations`);
        statuses.push(response.status);
        if (response.status === 429) throttled = response;
        else await response.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const retryAfter = Number(throttled!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(((await throttled!.json()) as BcErrorBody).error.code).toBe(
        'Application_TooManyRequests',
      );

      clockOffsetMs = 31_000;
      expect((await api(`${companyPath()}/locations`)).status).toBe(200);
    });

    it('queues requests past maxConcurrent, answers 429 when the queue is full, and counts peak concurrency', async () => {
      sandbox.faults.set({ latencyMs: 150, rateLimit: { maxConcurrent: 2, maxQueued: 1 } });
      sandbox.stats.reset();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => api(`${companyPath()}/locations`)),
      );
      const statuses = responses.map((r) => r.status).sort();
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(sandbox.stats.maxConcurrent).toBeGreaterThanOrEqual(3);
      expect(sandbox.stats.throttled).toBe(2);
    });

    it('injects about the configured share of 5xx answers, deterministically', async () => {
      const admin = await fetch(`${sandbox.url}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate5xx: 0.3 }),
      });
      expect(((await admin.json()) as { errorRate5xx: number }).errorRate5xx).toBe(0.3);
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const response = await api(`${companyPath()}/paymentTerms`);
        statuses.push(response.status);
        if (response.status >= 500) {
          expect(((await response.json()) as BcErrorBody).error.code).toMatch(/^Internal_/);
        } else {
          await response.arrayBuffer();
        }
      }
      const failures = statuses.filter((s) => s >= 500);
      expect(failures.length).toBeGreaterThanOrEqual(40);
      expect(failures.length).toBeLessThanOrEqual(80);
      expect(new Set(failures)).toEqual(new Set([500, 503, 504]));
      const stats = (await (await fetch(`${sandbox.url}/admin/stats`)).json()) as {
        errors5xx: number;
      };
      expect(stats.errors5xx).toBeGreaterThanOrEqual(failures.length);
    });

    it('holds timed-out requests past the client timeout, then closes the socket', async () => {
      sandbox.faults.set({ timeoutRate: 1, timeoutHoldMs: 2000 });
      // The client gives up first (its own timeout), while the sandbox still holds the request.
      await expect(
        api(`${companyPath()}/locations`, { signal: AbortSignal.timeout(200) }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      sandbox.faults.set({ timeoutHoldMs: 100 });
      await expect(api(`${companyPath()}/locations`)).rejects.toThrow(/fetch failed/);
      expect(sandbox.stats.timeouts).toBeGreaterThanOrEqual(2);
    });

    it('commits an order then drops the response; a later look-up by externalDocumentNumber finds it', async () => {
      sandbox.faults.set({ commitThenDropRate: 1 });
      await expect(
        createOrder({
          externalDocumentNumber: 'HUB-ORDER-DROPPED',
          customerNumber: activeCustomer().number,
          salesOrderLines: [{ itemId: stockItem().id, quantity: 4 }],
        }),
      ).rejects.toThrow(/fetch failed/);
      // Reads are never dropped by commit-then-drop.
      const found = await getJson<Collection>(
        `${companyPath()}/salesOrders?$filter=externalDocumentNumber eq 'HUB-ORDER-DROPPED'`,
      );
      expect(found.value).toHaveLength(1);
      expect(found.value[0]).toMatchObject({ externalDocumentNumber: 'HUB-ORDER-DROPPED' });
      expect(sandbox.stats.commitThenDrop).toBe(1);
    });
  });
});
