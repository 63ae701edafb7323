import { EventBus } from '@nestjs/cqrs';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Customer,
  CustomerChanged,
  ERP_WRITE_BACK_EXCEPTION,
  ItemChanged,
} from '../../src/modules/master-data/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import { InMemoryMasterDataWriter } from '../support/in-memory-master-data-writer.js';
import { testDatabaseUrl, type TestApp } from '../support/test-app.js';
import { aCustomer, anItem, at, aShipTo } from './master-data.fixtures.js';
import { startMasterDataTestApp } from './master-data-test-app.js';

interface Outcome {
  field: string;
  result: string;
  code?: string;
  owner?: string;
  proposalId?: string;
  storedSourceUpdatedAt?: string;
}
interface ChangeBody {
  fields: Outcome[];
  proposalId: string | null;
  customer: {
    id: string;
    phone: string | null;
    creditLimit: string | null;
    shipTos: { code: string; city: string }[];
  };
}
interface Problem {
  code: string;
  violations: { code: string; field: string; message: string }[];
}
interface HistoryBody {
  items: {
    field: string;
    oldValue: unknown;
    newValue: unknown;
    sourceSystem: string;
    path: string;
    channelId: string | null;
    proposalId: string | null;
    correlationId: string | null;
  }[];
  nextCursor: string | null;
}

/**
 * Source timestamps that only move forward: the hub's sync watermark outlives feed.reset(). (The
 * feed has its own name, so a watermark other suites left behind means nothing to it.)
 */
let minute = 0;
const later = (): string => at(++minute);

describe('master-data governance', () => {
  const feed = new InMemoryMasterDataFeed('governance-erp');
  // The ERP's write side: approved write-backs land in the records the feed serves.
  const writer = new InMemoryMasterDataWriter(feed, () => later());
  let hub: TestApp;
  let admin: Record<string, string>;
  let crm: Record<string, string>;
  let crmChannelId: string;
  let shop: Record<string, string>;

  beforeAll(async () => {
    // Jobs on: ERP write-backs and event publishing are jobs.
    hub = await startMasterDataTestApp(feed, { JOBS_ENABLED: 'true' }, writer);
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    const crmChannel = await createTestChannel(hub.app, {
      kind: 'crm',
      scopes: ['master-data:read', 'master-data:write'],
    });
    crm = bearer(crmChannel.apiKey);
    crmChannelId = crmChannel.channel.id;
    shop = bearer(
      (await createTestChannel(hub.app, { scopes: ['master-data:read', 'master-data:write'] }))
        .apiKey,
    );
  });
  afterAll(async () => {
    feed.resume();
    await hub.close();
  });
  beforeEach(() => feed.reset());

  /** A customer only this test uses (the audit trail is append-only: keys are never reused). */
  const seedCustomer = async (overrides: Parameters<typeof aCustomer>[0] = {}): Promise<string> => {
    const erpId = `C-${randomUUID().slice(0, 8)}`;
    feed.put('customers', `src-${erpId}`, later(), aCustomer({ erpId, ...overrides }));
    await sync();
    return erpId;
  };
  const sync = async (): Promise<void> => {
    const res = await fetch(`${hub.baseUrl}/v1/admin/sync/master-data?wait=true`, {
      method: 'POST',
      headers: admin,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('succeeded');
  };
  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
  const patch = (erpId: string, body: unknown, headers = crm): Promise<Response> =>
    send('PATCH', `/v1/customers/${erpId}`, headers, body);
  const getJson = async <T>(path: string, headers = admin): Promise<T> => {
    const res = await fetch(`${hub.baseUrl}${path}`, { headers });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const customer = (erpId: string): Promise<ChangeBody['customer']> =>
    getJson(`/v1/customers/${erpId}`, crm);
  const outcome = (body: ChangeBody, field: string): Outcome | undefined =>
    body.fields.find((f) => f.field === field);

  it('serves the system-of-record matrix in effect to operations', async () => {
    const body = await getJson<{
      version: number;
      entities: Record<string, Record<string, { owner: string; updaters: string[]; rule: string }>>;
    }>('/v1/admin/ownership');
    expect(body.version).toBe(1);
    expect(body.entities.customer.creditLimit).toMatchObject({ owner: 'erp', rule: 'reject' });
    expect(body.entities.customer.phone).toMatchObject({ owner: 'crm', rule: 'accept-latest' });
    expect(body.entities['ship-to'].city).toMatchObject({
      owner: 'erp',
      updaters: ['crm'],
      rule: 'steward',
    });
    expect(body.entities.inventory.onHand).toMatchObject({ owner: 'wms' });
    const forbidden = await fetch(`${hub.baseUrl}/v1/admin/ownership`, { headers: crm });
    expect(forbidden.status).toBe(403);
  });

  describe('rule reject', () => {
    it('refuses a CRM change to an ERP-owned field with FIELD_NOT_OWNED naming the owner', async () => {
      const erpId = await seedCustomer();
      const res = await patch(erpId, { creditLimit: '99999.00' });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.code).toBe('FIELD_NOT_OWNED');
      expect(problem.violations).toEqual([
        expect.objectContaining({ code: 'FIELD_NOT_OWNED', field: 'creditLimit' }),
      ]);
      expect(problem.violations[0].message).toContain('owned by erp');
      expect((await customer(erpId)).creditLimit).toBe('25000.0000');
    });

    it("refuses a CRM change to the ERP's tax liability, website and customer address", async () => {
      const erpId = await seedCustomer();
      const res = await patch(erpId, {
        taxLiable: false,
        website: 'https://crm.example',
        address: { addressLines: ['1 Elsewhere'], city: 'Reno', country: 'US' },
      });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.violations.map((v) => [v.field, v.code]).sort()).toEqual([
        ['address', 'FIELD_NOT_OWNED'],
        ['taxLiable', 'FIELD_NOT_OWNED'],
        ['website', 'FIELD_NOT_OWNED'],
      ]);
      expect(await customer(erpId)).toMatchObject({
        taxLiable: true,
        website: 'https://www.acme.example',
        address: { addressLines: ['4410 Commerce Dr', 'Suite 300'], city: 'Columbus' },
      });
    });

    it('refuses every master-data change from a sales channel: channels own nothing', async () => {
      const erpId = await seedCustomer();
      const res = await patch(erpId, { phone: '+1 555 0000', name: 'Renamed' }, shop);
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.violations.map((v) => v.field).sort()).toEqual(['name', 'phone']);
      expect(problem.violations.find((v) => v.field === 'phone')?.message).toContain(
        'owned by crm',
      );
    });
  });

  it('handles a mixed request field by field: owned fields applied, the rest rejected', async () => {
    const erpId = await seedCustomer();
    const res = await patch(erpId, {
      phone: '+1 614 555 0199',
      email: 'orders@acme.example',
      creditLimit: '50000.00',
      status: 'BLOCKED',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ChangeBody;
    expect(outcome(body, 'phone')).toEqual({ field: 'phone', result: 'applied' });
    expect(outcome(body, 'email')).toEqual({ field: 'email', result: 'applied' });
    expect(outcome(body, 'creditLimit')).toMatchObject({
      result: 'rejected',
      code: 'FIELD_NOT_OWNED',
      owner: 'erp',
    });
    expect(outcome(body, 'status')).toMatchObject({ result: 'rejected', owner: 'erp' });
    expect(body.proposalId).toBeNull();
    const stored = await customer(erpId);
    expect(stored.phone).toBe('+1 614 555 0199');
    expect(stored.creditLimit).toBe('25000.0000');

    const history = await getJson<HistoryBody>(`/v1/customers/${erpId}/history`, crm);
    const phone = history.items.filter((i) => i.field === 'phone');
    expect(phone.at(-1)).toMatchObject({
      oldValue: '+1 614 555 0100',
      newValue: '+1 614 555 0199',
      sourceSystem: 'crm',
      path: 'channel-update',
      channelId: crmChannelId,
    });
    expect(phone.at(-1)?.correlationId).toEqual(expect.any(String));
    expect(phone[0]).toMatchObject({
      sourceSystem: 'erp',
      path: 'erp-sync',
      newValue: '+1 614 555 0100',
    });
  });

  describe('rule accept-latest', () => {
    it('applies a newer CRM change and ignores a stale one (older source timestamp)', async () => {
      const erpId = await seedCustomer();
      const newer = await patch(erpId, {
        phone: '+1 614 555 0002',
        sourceUpdatedAt: '2026-06-01T10:00:00.000Z',
      });
      expect(newer.status).toBe(200);
      expect(outcome((await newer.json()) as ChangeBody, 'phone')?.result).toBe('applied');

      const stale = await patch(erpId, {
        phone: '+1 614 555 0001',
        email: 'late@acme.example',
        sourceUpdatedAt: '2026-06-01T09:59:59.000Z',
      });
      expect(stale.status).toBe(200);
      const body = (await stale.json()) as ChangeBody;
      expect(outcome(body, 'phone')).toMatchObject({
        result: 'ignored',
        code: 'STALE_UPDATE',
        storedSourceUpdatedAt: '2026-06-01T10:00:00.000Z',
      });
      // email had no timestamp yet: the first one wins.
      expect(outcome(body, 'email')?.result).toBe('applied');
      expect((await customer(erpId)).phone).toBe('+1 614 555 0002');
    });
  });

  describe('rule steward', () => {
    it('queues a CRM ship-to for a steward (202), who approves it into the hub and the ERP', async () => {
      const erpId = await seedCustomer();
      const res = await send('POST', `/v1/customers/${erpId}/ship-tos`, crm, {
        code: 'DOCK-7',
        name: 'Acme Hardware, Dock 7',
        addressLines: ['77 Harbor Rd'],
        city: 'Toledo',
        region: 'OH',
        postalCode: '43604',
        country: 'US',
        taxAreaCode: 'OH-LUCAS',
      });
      expect(res.status).toBe(202);
      const body = (await res.json()) as ChangeBody;
      expect(body.proposalId).toEqual(expect.any(String));
      expect(outcome(body, 'city')).toEqual({
        field: 'city',
        result: 'queued',
        proposalId: body.proposalId,
      });
      // Tax attributes stay with the ERP: rejected in the same request.
      expect(outcome(body, 'taxAreaCode')).toMatchObject({ result: 'rejected', owner: 'erp' });
      expect(body.customer.shipTos.map((s) => s.code)).toEqual(['MAIN']);

      const queue = await getJson<{
        items: { id: string; status: string; changes: Record<string, unknown> }[];
      }>('/v1/admin/stewardship?status=pending&entity=ship-to&limit=200');
      const proposal = queue.items.find((p) => p.id === body.proposalId);
      expect(proposal?.changes).toMatchObject({ city: 'Toledo', country: 'US' });
      expect(proposal?.changes).not.toHaveProperty('taxAreaCode');

      const noReason = await send(
        'POST',
        `/v1/admin/stewardship/${body.proposalId}/approve`,
        admin,
        {},
      );
      expect(noReason.status).toBe(400);
      const approved = await send(
        'POST',
        `/v1/admin/stewardship/${body.proposalId}/approve`,
        admin,
        {
          reason: 'Verified with the customer',
        },
      );
      expect(approved.status).toBe(200);
      expect(await approved.json()).toMatchObject({
        status: 'approved',
        reason: 'Verified with the customer',
      });
      const stored = await customer(erpId);
      expect(stored.shipTos.find((s) => s.code === 'DOCK-7')?.city).toBe('Toledo');

      const history = await getJson<HistoryBody>(`/v1/customers/${erpId}/history`, crm);
      expect(history.items.at(-1)).toMatchObject({
        field: 'shipTos[DOCK-7]',
        oldValue: null,
        path: 'steward-approval',
        sourceSystem: 'crm',
        proposalId: body.proposalId,
      });

      const again = await send('POST', `/v1/admin/stewardship/${body.proposalId}/reject`, admin, {
        reason: 'too late',
      });
      expect(again.status).toBe(409);

      // The write-back job takes the approved ship-to to the ERP: the ERP now holds it, and the
      // next sync reads it back without a change or an exception.
      const inErp = await waitFor(async () => {
        const entry = feed.find('customers', (r) => (r as Customer).erpId === erpId);
        return (entry?.record as Customer | undefined)?.shipTos.find((s) => s.code === 'DOCK-7');
      });
      expect(inErp).toMatchObject({ name: 'Acme Hardware, Dock 7', city: 'Toledo', country: 'US' });
      expect(writer.applied.filter((w) => w.customerErpId === erpId)).toHaveLength(1);
      const failures = await getJson<{ items: { reference: string }[] }>(
        `/v1/ops/exceptions?type=${ERP_WRITE_BACK_EXCEPTION}&limit=100`,
      );
      expect(failures.items.filter((e) => e.reference.startsWith(`${erpId}/`))).toEqual([]);
      await sync();
      expect((await customer(erpId)).shipTos.find((s) => s.code === 'DOCK-7')?.city).toBe('Toledo');
    });

    it('leaves the customer as it was when a steward rejects the proposal', async () => {
      const erpId = await seedCustomer();
      const res = await send('POST', `/v1/customers/${erpId}/ship-tos`, crm, {
        code: 'POPUP',
        name: 'Pop-up store',
        addressLines: ['1 Fair Ground'],
        city: 'Dayton',
        country: 'US',
      });
      expect(res.status).toBe(202);
      const { proposalId } = (await res.json()) as ChangeBody;
      const rejected = await send('POST', `/v1/admin/stewardship/${proposalId}/reject`, admin, {
        reason: 'Not a delivery address',
      });
      expect(rejected.status).toBe(200);
      expect(await rejected.json()).toMatchObject({
        status: 'rejected',
        reason: 'Not a delivery address',
      });
      expect((await customer(erpId)).shipTos.map((s) => s.code)).toEqual(['MAIN']);
    });
  });

  it('lets an ERP sync racing a CRM update on other fields lose neither change', async () => {
    const erpId = await seedCustomer();
    // The ERP raises the credit limit; its copy of the phone is still the old one.
    feed.put('customers', `src-${erpId}`, later(), aCustomer({ erpId, creditLimit: '30000.00' }));
    let crmStatus = 0;
    feed.beforePage = async (kind) => {
      if (kind !== 'customers' || crmStatus !== 0) return;
      // While the sync is in flight, before its page is read and written, the CRM changes the phone.
      const res = await patch(erpId, { phone: '+1 614 555 0777' });
      crmStatus = res.status;
    };
    await sync();
    expect(crmStatus).toBe(200);
    const stored = await customer(erpId);
    expect(stored.creditLimit).toBe('30000.0000');
    expect(stored.phone).toBe('+1 614 555 0777');

    // A later ERP edit of the CRM-owned phone does not overwrite it either.
    feed.beforePage = undefined;
    feed.put(
      'customers',
      `src-${erpId}`,
      later(),
      aCustomer({ erpId, creditLimit: '30000.00', phone: '+1 000' }),
    );
    await sync();
    expect((await customer(erpId)).phone).toBe('+1 614 555 0777');
  });

  it('publishes accepted changes as CustomerChanged events', async () => {
    const erpId = await seedCustomer();
    const seen: CustomerChanged[] = [];
    const subscription = hub.app.get(EventBus).subscribe((event: unknown) => {
      if (event instanceof CustomerChanged && event.erpId === erpId) seen.push(event);
    });
    try {
      const res = await patch(erpId, { email: 'events@acme.example' });
      expect(res.status).toBe(200);
      const event = await waitFor(() =>
        Promise.resolve(seen.find((e) => e.change.sourceSystem === 'crm')),
      );
      expect(event.change.changes).toEqual([
        { field: 'email', oldValue: 'purchasing@acme.example', newValue: 'events@acme.example' },
      ]);
      expect(event.change.channelId).toBe(crmChannelId);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('records the history of items written by the ERP sync and publishes ItemChanged', async () => {
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    const published: ItemChanged[] = [];
    const subscription = hub.app.get(EventBus).subscribe((event: unknown) => {
      if (event instanceof ItemChanged && event.sku === sku) published.push(event);
    });
    feed.put('items', `src-${sku}`, later(), anItem({ sku }));
    await sync();
    feed.put('items', `src-${sku}`, later(), anItem({ sku, description: 'Hex bolt M8x40, zinc' }));
    await sync();
    try {
      const changed = await waitFor(() =>
        Promise.resolve(
          published.find((e) =>
            e.change.changes.some((c) => c.field === 'description' && c.oldValue !== null),
          ),
        ),
      );
      expect(changed.change).toMatchObject({ sourceSystem: 'erp', path: 'erp-sync' });
    } finally {
      subscription.unsubscribe();
    }
    const history = await getJson<HistoryBody>(`/v1/items/${sku}/history?limit=100`, crm);
    expect(history.items.at(-1)).toMatchObject({
      field: 'description',
      oldValue: 'Hex bolt M8x40, black oxide',
      newValue: 'Hex bolt M8x40, zinc',
      sourceSystem: 'erp',
      path: 'erp-sync',
    });
    const missing = await fetch(`${hub.baseUrl}/v1/items/NOPE-${randomUUID()}/history`, {
      headers: crm,
    });
    expect(missing.status).toBe(404);
  });

  it('pages a history with a cursor', async () => {
    const erpId = await seedCustomer({ shipTos: [aShipTo()] });
    const first = await getJson<HistoryBody>(`/v1/customers/${erpId}/history?limit=5`, crm);
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await getJson<HistoryBody>(
      `/v1/customers/${erpId}/history?limit=100&cursor=${first.nextCursor}`,
      crm,
    );
    const fields = [...first.items, ...second.items].map((i) => i.field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields).toContain('shipTos[MAIN]');
    expect(second.nextCursor).toBeNull();
  });
});

/**
 * Start-up with a bad matrix, as `npm start` runs it: the compiled hub in its own process (a
 * failed in-process boot would leave TypeORM connecting in the background).
 */
describe('system-of-record matrix file', () => {
  const root = process.cwd();
  const matrix = readFileSync(join(root, 'config', 'system-of-record.yaml'), 'utf8');
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'pipe' });
  });

  const boot = (file: string): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: testDatabaseUrl(),
          PORT: '0',
          JOBS_ENABLED: 'false',
          SYSTEM_OF_RECORD_FILE: file,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => resolve({ code, output }));
    });
  const writeMatrix = (text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'sor-')), 'system-of-record.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('stops start-up with an error naming the bad entry', async () => {
    const file = writeMatrix(
      matrix.replace(
        'phone: { owner: crm, rule: accept-latest, erpWriteBack: true }',
        'phone: { owner: crm, rule: maybe }',
      ),
    );
    const { code, output } = await boot(file);
    expect(code).toBe(1);
    expect(output).toContain(`Invalid system-of-record matrix ${file}`);
    expect(output).toContain(
      'entities.customer.phone.rule: must be one of reject, steward, accept-latest (got "maybe")',
    );
  }, 60_000);

  it('stops start-up when a hub field has no owner or names an unknown system', async () => {
    const file = writeMatrix(
      matrix
        .replace(/^ {4}creditLimit: .*$/m, '')
        .replace('onHand: { owner: wms, rule: reject }', 'onHand: { owner: sap, rule: reject }'),
    );
    const { code, output } = await boot(file);
    expect(code).toBe(1);
    expect(output).toContain('entities.customer.creditLimit: not declared');
    expect(output).toContain('entities.inventory.onHand.owner: must be one of');
  }, 60_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}
