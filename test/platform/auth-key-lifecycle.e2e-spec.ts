import { type IncomingHttpHeaders, request } from 'node:http';
import { DataSource } from 'typeorm';
import {
  ChannelsService,
  KeyCacheListener,
  type KeyCacheInvalidation,
} from '../../src/platform/auth/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  correlationId: string;
  instance?: string;
}

interface KeyBody {
  id: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

const QUIET: Record<string, string> = {
  JOBS_ENABLED: 'false',
  MASTER_DATA_SYNC_CRON: 'off',
  PRICING_SYNC_CRON: 'off',
  PRICING_FULL_SYNC_CRON: 'off',
  INVENTORY_SYNC_CRON: 'off',
};

/** Polls `condition` until it holds (no fixed sleeps); fails after `ms`. */
async function waitFor(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  json(): unknown;
}

const comparable = ({ correlationId: _c, instance: _i, ...rest }: Problem) => rest;

describe('API key lifecycle over HTTP (ops:admin)', () => {
  let hub: TestApp;
  let ops: Record<string, string>;

  beforeAll(async () => {
    hub = await startTestApp(QUIET);
    ops = bearer(
      (await createTestChannel(hub.app, { kind: 'operations', scopes: ['ops:admin'] })).apiKey,
    );
  });
  afterAll(async () => {
    await hub?.close();
  });

  const call = (
    method: string,
    path: string,
    auth: Record<string, string>,
    body?: unknown,
  ): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const me = (apiKey: string): Promise<Response> => call('GET', '/v1/channels/me', bearer(apiKey));

  it('rotates a key with a grace period: the new key is shown once and both work until it ends', async () => {
    const { channel, apiKey: oldKey } = await createTestChannel(hub.app, {
      scopes: ['orders:read', 'pricing:read'],
    });

    const res = await call('POST', `/v1/admin/channels/${channel.id}/keys`, ops, {
      graceSeconds: 3600,
    });

    expect(res.status).toBe(201);
    const body = (await res.json()) as { key: KeyBody; apiKey: string; retired: KeyBody[] };
    expect(body.apiKey.startsWith(`cdk_${body.key.prefix}_`)).toBe(true);
    expect(body.key.scopes).toEqual(['orders:read', 'pricing:read']);
    expect(body.retired).toHaveLength(1);
    expect(body.retired[0]).toMatchObject({ id: channel.keys[0].id, revokedAt: null });
    expect(Date.parse(body.retired[0].expiresAt!)).toBeGreaterThan(Date.now() + 3_000_000);
    expect((await me(oldKey)).status).toBe(200);
    expect((await me(body.apiKey)).status).toBe(200);

    const list = (await (
      await call('GET', `/v1/admin/channels/${channel.id}/keys`, ops)
    ).json()) as { items: KeyBody[] };
    expect(list.items.map((k) => k.prefix)).toEqual([channel.keys[0].prefix, body.key.prefix]);
    expect(JSON.stringify(list)).not.toMatch(/hash|cdk_/i);
  });

  it('refuses a rotated-out key at once when there is no grace period', async () => {
    const { channel, apiKey: oldKey } = await createTestChannel(hub.app);
    expect((await me(oldKey)).status).toBe(200);

    const res = await call('POST', `/v1/admin/channels/${channel.id}/keys`, ops, {});
    const body = (await res.json()) as { apiKey: string; retired: KeyBody[] };

    expect(body.retired[0].revokedAt).not.toBeNull();
    expect((await me(oldKey)).status).toBe(401);
    expect((await me(body.apiKey)).status).toBe(200);
  });

  it('answers a key whose grace period ended exactly as an unknown key', async () => {
    const { channel, apiKey: oldKey } = await createTestChannel(hub.app);
    await call('POST', `/v1/admin/channels/${channel.id}/keys`, ops, { graceSeconds: 600 });
    // The grace period ends (moved into the past rather than waited for).
    await hub.app
      .get(DataSource)
      .query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        channel.keys[0].id,
      ]);
    hub.app.get(ChannelsService).applyInvalidation({ keyId: channel.keys[0].id });

    const expired = await me(oldKey);
    const unknown = await me(`cdk_aaaaaaaa_${'A'.repeat(43)}`);

    expect(expired.status).toBe(401);
    expect(comparable((await expired.json()) as Problem)).toEqual(
      comparable((await unknown.json()) as Problem),
    );
  });

  it("never lengthens an old key's grace period by rotating again", async () => {
    const { channel } = await createTestChannel(hub.app);
    const path = `/v1/admin/channels/${channel.id}/keys`;
    const first = (await (await call('POST', path, ops, { graceSeconds: 600 })).json()) as {
      key: KeyBody;
      retired: KeyBody[];
    };

    const second = (await (await call('POST', path, ops, { graceSeconds: 86_400 })).json()) as {
      retired: KeyBody[];
    };

    const original = second.retired.find((k) => k.id === channel.keys[0].id);
    const firstRotation = second.retired.find((k) => k.id === first.key.id);
    expect(original?.expiresAt).toBe(first.retired[0].expiresAt);
    expect(Date.parse(firstRotation!.expiresAt!)).toBeGreaterThan(
      Date.parse(first.retired[0].expiresAt!),
    );
  });

  it('adds a key without retiring the others when rotate is false', async () => {
    const { channel, apiKey: first } = await createTestChannel(hub.app);

    const res = await call('POST', `/v1/admin/channels/${channel.id}/keys`, ops, {
      rotate: false,
      scopes: ['inventory:read'],
    });

    const body = (await res.json()) as { apiKey: string; key: KeyBody; retired: KeyBody[] };
    expect(body).toMatchObject({ retired: [], key: { scopes: ['inventory:read'] } });
    expect((await me(first)).status).toBe(200);
    expect((await me(body.apiKey)).status).toBe(200);
  });

  it('revokes a key by prefix or id: refused from the next request on', async () => {
    const a = await createTestChannel(hub.app);
    const b = await createTestChannel(hub.app);
    expect((await me(a.apiKey)).status).toBe(200);
    expect((await me(b.apiKey)).status).toBe(200);

    const byPrefix = await call(
      'DELETE',
      `/v1/admin/channels/${a.channel.id}/keys/${a.channel.keys[0].prefix}`,
      ops,
    );
    const byId = await call(
      'DELETE',
      `/v1/admin/channels/${b.channel.id}/keys/${b.channel.keys[0].id}`,
      ops,
    );

    expect(byPrefix.status).toBe(200);
    expect(((await byPrefix.json()) as KeyBody).revokedAt).not.toBeNull();
    expect(byId.status).toBe(200);
    expect((await me(a.apiKey)).status).toBe(401);
    expect((await me(b.apiKey)).status).toBe(401);
  });

  it("answers 404 API_KEY_NOT_FOUND for another channel's key, leaving it working", async () => {
    const a = await createTestChannel(hub.app);
    const b = await createTestChannel(hub.app);

    const res = await call(
      'DELETE',
      `/v1/admin/channels/${a.channel.id}/keys/${b.channel.keys[0].prefix}`,
      ops,
    );

    expect(res.status).toBe(404);
    expect(((await res.json()) as Problem).code).toBe('API_KEY_NOT_FOUND');
    expect((await me(b.apiKey)).status).toBe(200);
  });

  it('refuses a grace period beyond 30 days and unknown scopes with 400', async () => {
    const { channel } = await createTestChannel(hub.app);
    const path = `/v1/admin/channels/${channel.id}/keys`;

    expect((await call('POST', path, ops, { graceSeconds: 40 * 86_400 })).status).toBe(400);
    expect((await call('POST', path, ops, { scopes: ['orders:delete'] })).status).toBe(400);
  });
});

describe('failed authentication throttle', () => {
  let hub: TestApp;

  beforeAll(async () => {
    hub = await startTestApp({ ...QUIET, AUTH_FAILURES_PER_MINUTE: '10' });
  });
  afterAll(async () => {
    await hub?.close();
  });

  /** GET /v1/channels/me from a given loopback source address (127.0.0.0/8 all reach the hub). */
  const inject = (apiKey: string, localAddress: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const url = new URL('/v1/channels/me', hub.baseUrl);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          localAddress,
          headers: bearer(apiKey),
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({
              statusCode: res.statusCode ?? 0,
              headers: res.headers,
              json: () => JSON.parse(text) as unknown,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers 429 with Retry-After after a burst of wrong keys from one address; a valid key from another address is unaffected', async () => {
    const { apiKey } = await createTestChannel(hub.app);
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof inject>> | undefined;
    for (let i = 0; i < 50; i++) {
      const wrong = `cdk_${'abcdefgh'}_${String(i).padStart(43, 'A')}`;
      const res = await inject(wrong, '127.0.0.7');
      statuses.push(res.statusCode);
      if (res.statusCode === 429) throttled = res;
    }

    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(throttled?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(throttled?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(throttled?.json()).toMatchObject({ status: 429, code: 'AUTH_THROTTLED' });

    const other = await inject(apiKey, '127.0.0.9');
    expect(other.statusCode).toBe(200);
  });

  it('keeps refusing a throttled address even with a valid key, so guessing learns nothing', async () => {
    const { apiKey } = await createTestChannel(hub.app);
    for (let i = 0; i < 10; i++) await inject(`cdk_bbbbbbbb_${'B'.repeat(43)}`, '127.0.0.8');

    expect((await inject(apiKey, '127.0.0.8')).statusCode).toBe(429);
  });

  it('never counts successful requests against an address', async () => {
    const { apiKey } = await createTestChannel(hub.app, { rateLimitPerMinute: 1000 });
    for (let i = 0; i < 30; i++) {
      expect((await inject(apiKey, '127.0.0.10')).statusCode).toBe(200);
    }
  });
});

describe('revocation across two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  let ops: Record<string, string>;
  const seenByB: KeyCacheInvalidation[] = [];

  beforeAll(async () => {
    a = await startTestApp(QUIET);
    b = await startTestApp(QUIET);
    const channelsB = b.app.get(ChannelsService);
    const apply = channelsB.applyInvalidation.bind(channelsB);
    channelsB.applyInvalidation = (invalidation: KeyCacheInvalidation): void => {
      apply(invalidation);
      seenByB.push(invalidation);
    };
    ops = bearer(
      (await createTestChannel(a.app, { kind: 'operations', scopes: ['ops:admin'] })).apiKey,
    );
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const meOn = (hub: TestApp, apiKey: string): Promise<Response> =>
    fetch(`${hub.baseUrl}/v1/channels/me`, { headers: bearer(apiKey) });

  it('refuses on B, at its next request, a key revoked on A (no waiting for the cache TTL)', async () => {
    const { channel, apiKey } = await createTestChannel(a.app);
    // B has the key in its look-up cache.
    expect((await meOn(b, apiKey)).status).toBe(200);

    const revoked = await fetch(
      `${a.baseUrl}/v1/admin/channels/${channel.id}/keys/${channel.keys[0].prefix}`,
      { method: 'DELETE', headers: ops },
    );
    expect(revoked.status).toBe(200);
    await waitFor(() => seenByB.some((i) => i.keyId === channel.keys[0].id));

    expect((await meOn(b, apiKey)).status).toBe(401);
  });

  it("applies on B, at its next request, a channel's customers narrowed on A", async () => {
    const { channel, apiKey } = await createTestChannel(a.app);
    const before = (await (await meOn(b, apiKey)).json()) as { customerScope: string };
    expect(before.customerScope).toBe('ALL');

    await fetch(`${a.baseUrl}/v1/admin/channels/${channel.id}/customers`, {
      method: 'PUT',
      headers: { ...ops, 'content-type': 'application/json' },
      body: JSON.stringify({ customerScope: 'LISTED', customers: ['C10001'] }),
    });
    await waitFor(() => seenByB.some((i) => i.channelId === channel.id));

    const after = (await (await meOn(b, apiKey)).json()) as { customers: string[] };
    expect(after.customers).toEqual(['C10001']);
  });

  it('re-subscribes after losing its listener connection, and revocations bite again', async () => {
    const listener = b.app.get(KeyCacheListener);
    const lostPid = listener.backendPid();
    expect(lostPid).toBeDefined();

    await a.app.get(DataSource).query('SELECT pg_terminate_backend($1)', [lostPid]);
    await waitFor(() => {
      const pid = listener.backendPid();
      return pid !== undefined && pid !== lostPid;
    });
    const { channel, apiKey } = await createTestChannel(a.app);
    expect((await meOn(b, apiKey)).status).toBe(200);
    await a.app.get(ChannelsService).revokeKey(channel.keys[0].id);
    await waitFor(() => seenByB.some((i) => i.keyId === channel.keys[0].id));

    expect((await meOn(b, apiKey)).status).toBe(401);
  });
});
