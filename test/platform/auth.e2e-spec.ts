import { DataSource } from 'typeorm';
import { ChannelsService } from '../../src/platform/auth/index.js';
import { bearer, createTestChannel } from '../support/channels.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  correlationId: string;
  missingScopes?: string[];
}

describe('channel API keys', () => {
  let hub: TestApp;
  let channels: ChannelsService;

  beforeAll(async () => {
    hub = await startTestApp();
    channels = hub.app.get(ChannelsService);
  });
  afterAll(async () => {
    await hub.close();
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${hub.baseUrl}${path}`, { headers });

  /** Asserts a problem+json answer whose correlationId is the response's, and returns it. */
  async function problem(res: Response, status: number, code: string): Promise<Problem> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Problem;
    expect(body).toMatchObject({ status, code });
    expect(body.correlationId).toBeTruthy();
    expect(body.correlationId).toBe(res.headers.get('x-correlation-id'));
    return body;
  }

  async function expectUnauthenticated(res: Response): Promise<Problem> {
    const body = await problem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    return body;
  }

  describe('refuses with 401 UNAUTHENTICATED', () => {
    it('a request without a key', async () => {
      const body = await expectUnauthenticated(await get('/v1/channels/me'));
      expect(body.detail).toMatch(/Authorization: Bearer/);
    });

    it.each([
      ['an Authorization header of another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['a bearer token that is not a Crossdock key', { authorization: 'Bearer not-a-key' }],
      ['an X-Api-Key that is not a Crossdock key', { 'x-api-key': 'cdk_short' }],
      ['an empty bearer token', { authorization: 'Bearer ' }],
    ])('%s', async (_label, headers) => {
      await expectUnauthenticated(await get('/v1/channels/me', headers));
    });

    it('a well-formed key that was never issued', async () => {
      const unknown = `cdk_aaaaaaaa_${'A'.repeat(43)}`;
      await expectUnauthenticated(await get('/v1/channels/me', bearer(unknown)));
      await expectUnauthenticated(await get('/v1/channels/me', { 'x-api-key': unknown }));
    });

    it('a known prefix with the wrong secret', async () => {
      const { apiKey } = await createTestChannel(hub.app);
      const forged = `${apiKey.slice(0, 13)}${'B'.repeat(43)}`;
      const body = await expectUnauthenticated(await get('/v1/channels/me', bearer(forged)));
      expect(body.detail).toBe('The API key is not valid.');
    });

    it('two different keys in Authorization and X-Api-Key', async () => {
      const a = await createTestChannel(hub.app);
      const b = await createTestChannel(hub.app);
      await expectUnauthenticated(
        await get('/v1/channels/me', { ...bearer(a.apiKey), 'x-api-key': b.apiKey }),
      );
    });

    it('a revoked key, at once, through either header', async () => {
      const { channel, apiKey } = await createTestChannel(hub.app);
      // A first successful call leaves the key in the look-up cache: revocation must still win.
      expect((await get('/v1/channels/me', bearer(apiKey))).status).toBe(200);

      await channels.revokeKey(channel.keys[0].id);

      await expectUnauthenticated(await get('/v1/channels/me', bearer(apiKey)));
      await expectUnauthenticated(await get('/v1/channels/me', { 'x-api-key': apiKey }));
    });

    it('answers a revoked key exactly as a key that never existed (same status, code, body)', async () => {
      const { channel, apiKey } = await createTestChannel(hub.app);
      await channels.revokeKey(channel.keys[0].id);
      const unknown = `cdk_aaaaaaaa_${'A'.repeat(43)}`;

      const revokedRes = await get('/v1/channels/me', bearer(apiKey));
      const unknownRes = await get('/v1/channels/me', bearer(unknown));
      const revoked = await expectUnauthenticated(revokedRes);
      const never = await expectUnauthenticated(unknownRes);

      const comparable = ({
        correlationId: _c,
        ...rest
      }: Problem): Omit<Problem, 'correlationId'> => rest;
      expect(comparable(revoked)).toEqual(comparable(never));
      expect(revoked.detail).toBe('The API key is not valid.');
      expect(revokedRes.headers.get('www-authenticate')).toBe(
        unknownRes.headers.get('www-authenticate'),
      );
    });

    it('every key of a suspended channel, at once', async () => {
      const { channel, apiKey } = await createTestChannel(hub.app);
      expect((await get('/v1/channels/me', { 'x-api-key': apiKey })).status).toBe(200);

      await channels.setChannelStatus(channel.id, 'suspended');

      const body = await expectUnauthenticated(await get('/v1/channels/me', bearer(apiKey)));
      expect(body.detail).toBe('The API key is not valid.');
      await channels.setChannelStatus(channel.id, 'active');
      expect((await get('/v1/channels/me', bearer(apiKey))).status).toBe(200);
    });
  });

  it('refuses a key without the route scope with 403 FORBIDDEN naming the scope', async () => {
    const { apiKey } = await createTestChannel(hub.app, { scopes: ['orders:read'] });

    const res = await get('/v1/admin/channels', bearer(apiKey));

    const body = await problem(res, 403, 'FORBIDDEN');
    expect(body.detail).toContain('ops:admin');
    expect(body.missingScopes).toEqual(['ops:admin']);
  });

  it('lets any valid key, whatever its scopes, read who it is', async () => {
    const { channel, apiKey } = await createTestChannel(hub.app, { kind: 'edi', scopes: [] });

    const res = await get('/v1/channels/me', bearer(apiKey));

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: channel.id,
      name: channel.name,
      kind: 'edi',
      scopes: [],
      keyPrefix: channel.keys[0].prefix,
      customerScope: 'ALL',
      customers: [],
    });
  });

  it.each([
    ['Authorization: Bearer', (key: string) => bearer(key)],
    ['X-Api-Key', (key: string) => ({ 'x-api-key': key })],
  ])('serves a key with the route scope sent as %s', async (_label, header) => {
    const admin = await createTestChannel(hub.app, { kind: 'operations', scopes: ['ops:admin'] });

    const res = await get('/v1/admin/channels?limit=500', header(admin.apiKey));

    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe(String(hub.config.http.rateLimitPerMinute));
    expect(Number(res.headers.get('ratelimit-remaining'))).toBeLessThan(
      hub.config.http.rateLimitPerMinute,
    );
    const body = (await res.json()) as { items: { name: string; keys: object[] }[] };
    const listed = body.items.find((c) => c.name === admin.channel.name);
    expect(listed?.keys).toEqual([
      {
        id: admin.channel.keys[0].id,
        prefix: admin.channel.keys[0].prefix,
        scopes: ['ops:admin'],
        createdAt: admin.channel.keys[0].createdAt.toISOString(),
        lastUsedAt: expect.any(String),
        revokedAt: null,
        expiresAt: null,
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/hash|cdk_/i);
  });

  it('pages the admin channel list with a cursor', async () => {
    const admin = await createTestChannel(hub.app, { kind: 'operations', scopes: ['ops:admin'] });
    await createTestChannel(hub.app);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await get(`/v1/admin/channels?limit=1${query}`, bearer(admin.apiKey));
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { name: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);

    const all = (await channels.listChannels()).map((c) => c.name);
    expect(seen).toEqual(all);
    await problem(
      await get('/v1/admin/channels?cursor=%21%21', bearer(admin.apiKey)),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers 429 with Retry-After once a channel exceeds its own limit, other channels unaffected', async () => {
    const limited = await createTestChannel(hub.app, { rateLimitPerMinute: 2 });
    const other = await createTestChannel(hub.app);

    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await get('/v1/channels/me', bearer(limited.apiKey));
      statuses.push(res.status);
      expect(res.headers.get('ratelimit-limit')).toBe('2');
    }
    const refused = await get('/v1/channels/me', bearer(limited.apiKey));

    expect(statuses).toEqual([200, 200]);
    const body = await problem(refused, 429, 'RATE_LIMITED');
    expect(body.detail).toMatch(/2 per minute/);
    const retryAfter = refused.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(30);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect((await get('/v1/channels/me', bearer(other.apiKey))).status).toBe(200);
  });

  it('records when a key was last used, without a write per request', async () => {
    const { channel, apiKey } = await createTestChannel(hub.app);
    expect(channel.keys[0].lastUsedAt).toBeNull();

    expect((await get('/v1/channels/me', bearer(apiKey))).status).toBe(200);
    const first = (await channels.findChannelByName(channel.name))?.keys[0].lastUsedAt;
    expect(first).toBeInstanceOf(Date);

    expect((await get('/v1/channels/me', bearer(apiKey))).status).toBe(200);
    const second = (await channels.findChannelByName(channel.name))?.keys[0].lastUsedAt;
    expect(second?.getTime()).toBe(first?.getTime());
  });

  it('never logs the key a caller sent', async () => {
    const { apiKey } = await createTestChannel(hub.app);
    await get('/v1/channels/me', bearer(apiKey));
    await get('/v1/channels/me', { 'x-api-key': apiKey });

    expect(JSON.stringify(hub.logs)).not.toContain(apiKey.slice(13));
  });

  it('documents the channel routes with both key schemes and their problems', async () => {
    const doc = (await (await get('/docs-json')).json()) as {
      paths: Record<string, Record<string, { security?: object[]; responses: object }>>;
    };
    for (const path of ['/v1/channels/me', '/v1/admin/channels']) {
      const operation = doc.paths[path].get;
      expect(operation.security).toEqual(expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]));
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403', '429']),
      );
    }
  });

  it('keeps unknown routes 404 even without a key', async () => {
    await problem(await get('/v1/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe(ChannelsService.name, () => {
  let hub: TestApp;
  let sut: ChannelsService;

  beforeAll(async () => {
    hub = await startTestApp();
    sut = hub.app.get(ChannelsService);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('returns the plaintext key once and stores only its hash', async () => {
    const { channel, apiKey } = await createTestChannel(hub.app, { scopes: ['pricing:read'] });

    const rows = (await hub.app
      .get(DataSource)
      .query('SELECT prefix, key_hash FROM api_key WHERE channel_id = $1', [channel.id])) as {
      prefix: string;
      key_hash: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(apiKey).toMatch(new RegExp(`^cdk_${rows[0].prefix}_`));
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(apiKey.slice(13));
  });

  it('rejects an unknown kind and unknown scopes, listing every problem', async () => {
    await expect(
      sut.createChannel({
        name: 'bad channel',
        kind: 'fax',
        scopes: ['orders:read', 'x:y'],
        customerScope: { kind: 'ALL' },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      kind: 'validation',
      violations: [
        expect.objectContaining({ code: 'UNKNOWN_KIND', field: 'kind' }),
        expect.objectContaining({ code: 'UNKNOWN_SCOPE', field: 'scopes[1]' }),
      ],
    });
  });

  it('refuses a second channel with the same name', async () => {
    const { channel } = await createTestChannel(hub.app);

    await expect(
      sut.createChannel({
        name: channel.name,
        kind: 'crm',
        scopes: [],
        customerScope: { kind: 'ALL' },
      }),
    ).rejects.toMatchObject({ code: 'CHANNEL_NAME_TAKEN', kind: 'conflict' });
  });

  it('issues a further key for rotation, both working until the old one is revoked', async () => {
    const { channel, apiKey: oldKey } = await createTestChannel(hub.app);

    const issued = await sut.issueKey(channel.id, ['orders:read']);

    expect((await sut.verifyKey(oldKey))?.channel.channelId).toBe(channel.id);
    expect((await sut.verifyKey(issued.apiKey))?.channel.scopes).toEqual(['orders:read']);
    await sut.revokeKey(channel.keys[0].id);
    expect(await sut.verifyKey(oldKey)).toBeUndefined();
    expect(await sut.verifyKey(issued.apiKey)).toBeDefined();
  });

  it('answers not-found for an unknown channel or key', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(sut.issueKey(missing, [])).rejects.toMatchObject({ code: 'CHANNEL_NOT_FOUND' });
    await expect(sut.revokeKey(missing)).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND' });
  });
});
