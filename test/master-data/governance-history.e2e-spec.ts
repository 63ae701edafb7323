import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Customer } from '../../src/modules/master-data/index.js';
import {
  canonical,
  customerState,
  replayChanges,
} from '../../src/modules/master-data/domain/field-state.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { InMemoryMasterDataFeed } from '../support/in-memory-master-data-feed.js';
import type { TestApp } from '../support/test-app.js';
import { aCustomer, aShipTo, at } from './master-data.fixtures.js';
import { startMasterDataTestApp } from './master-data-test-app.js';

/** One step of a random life of a customer, through every write path into master data. */
type Step =
  | {
      kind: 'erp';
      creditLimit: string | null;
      phone: string;
      name: string;
      shipTos: string[];
      city: string;
    }
  | { kind: 'crm'; phone?: string; email?: string | null; creditLimit?: string; minutesAgo: number }
  | { kind: 'ship-to'; code: string; city: string; approve: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('erp' as const),
    creditLimit: fc.option(fc.integer({ min: 0, max: 99_999 }).map((n) => `${n}.50`)),
    phone: fc.constantFrom('+1 100', '+1 200', '+1 300'),
    name: fc.constantFrom('Acme Hardware Inc.', 'Acme Hardware LLC'),
    shipTos: fc.subarray(['MAIN', 'NORTH', 'SOUTH']),
    city: fc.constantFrom('Columbus', 'Akron'),
  }),
  fc.record(
    {
      kind: fc.constant('crm' as const),
      phone: fc.constantFrom('+1 614 1', '+1 614 2', '+1 614 3'),
      email: fc.option(fc.constantFrom('a@acme.example', 'b@acme.example')),
      creditLimit: fc.constant('1.00'),
      minutesAgo: fc.integer({ min: -5, max: 5 }),
    },
    { requiredKeys: ['kind', 'minutesAgo'] },
  ),
  fc.record({
    kind: fc.constant('ship-to' as const),
    code: fc.constantFrom('MAIN', 'DOCK', 'YARD'),
    city: fc.constantFrom('Toledo', 'Dayton'),
    approve: fc.boolean(),
  }),
);

describe('master-data history', () => {
  const feed = new InMemoryMasterDataFeed('governance-history-erp');
  let hub: TestApp;
  let admin: Record<string, string>;
  let crm: Record<string, string>;
  let minute = 10_000;

  beforeAll(async () => {
    hub = await startMasterDataTestApp(feed, { JOBS_ENABLED: 'true' });
    admin = bearer((await createTestChannel(hub.app, { scopes: ['ops:admin'] })).apiKey);
    crm = bearer(
      (
        await createTestChannel(hub.app, {
          kind: 'crm',
          scopes: ['master-data:read', 'master-data:write'],
        })
      ).apiKey,
    );
  });
  afterAll(() => hub.close());

  const call = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const sync = async (): Promise<void> => {
    const res = await call('POST', '/v1/admin/sync/master-data?wait=true', admin);
    expect(((await res.json()) as { status: string }).status).toBe('succeeded');
  };

  const run = async (erpId: string, steps: Step[]): Promise<void> => {
    for (const s of steps) {
      if (s.kind === 'erp') {
        minute += 1;
        feed.put(
          'customers',
          `src-${erpId}`,
          at(minute),
          aCustomer({
            erpId,
            name: s.name,
            creditLimit: s.creditLimit,
            phone: s.phone,
            shipTos: s.shipTos.map((code) => aShipTo({ code, city: s.city })),
          }),
        );
        await sync();
      } else if (s.kind === 'crm') {
        const { kind: _kind, minutesAgo, ...fields } = s;
        const res = await call('PATCH', `/v1/customers/${erpId}`, crm, {
          ...fields,
          sourceUpdatedAt: at(minute - minutesAgo),
        });
        // 400: nothing sent (NO_FIELDS); 422: every field refused.
        expect([200, 202, 400, 422]).toContain(res.status);
      } else {
        const res = await call('POST', `/v1/customers/${erpId}/ship-tos`, crm, {
          code: s.code,
          name: `Ship-to ${s.code}`,
          addressLines: ['1 Main St'],
          city: s.city,
          country: 'US',
        });
        expect(res.status).toBe(202);
        const { proposalId } = (await res.json()) as { proposalId: string };
        const decision = await call(
          'POST',
          `/v1/admin/stewardship/${proposalId}/${s.approve ? 'approve' : 'reject'}`,
          admin,
          { reason: 'property test' },
        );
        expect(decision.status).toBe(200);
      }
    }
  };

  const current = async (erpId: string): Promise<Customer> => {
    const res = await call('GET', `/v1/customers/${erpId}`, crm);
    expect(res.status).toBe(200);
    const {
      id,
      parentId,
      sourceModifiedAt: _m,
      syncedAt: _s,
      ...rest
    } = (await res.json()) as Record<string, unknown>;
    return { ...rest, erpId: id, parentErpId: parentId } as Customer;
  };

  const history = async (erpId: string): Promise<{ field: string; newValue: never }[]> => {
    const entries: { field: string; newValue: never }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await call('GET', `/v1/customers/${erpId}/history?limit=7${query}`, crm);
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        items: { field: string; newValue: never }[];
        nextCursor: string | null;
      };
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return entries;
  };

  it('rebuilds the current customer exactly by replaying its history, whatever the sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const erpId = `C-${randomUUID().slice(0, 8)}`;
        // The ERP creates the customer; then anything may happen.
        await run(erpId, [
          {
            kind: 'erp',
            creditLimit: '100.00',
            phone: '+1 100',
            name: 'Acme',
            shipTos: ['MAIN'],
            city: 'Columbus',
          },
          ...steps,
        ]);
        const replayed = replayChanges(await history(erpId));
        expect(canonical(replayed)).toBe(canonical(customerState(await current(erpId))));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
