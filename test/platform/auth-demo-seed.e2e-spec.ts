import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, promises as fs, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/index.js';
import { ChannelsService, SCOPES } from '../../src/platform/auth/index.js';
import { CustomerScopeAudit } from '../../src/platform/auth/customer-scope.audit.js';
import {
  DEMO_CHANNELS,
  DEMO_KEYS_FILE,
  DemoChannelsSeeder,
} from '../../src/platform/auth/demo-channels.seeder.js';
import { createApp } from '../../src/platform/http/create-app.js';
import { testDatabaseUrl } from '../support/test-app.js';

/**
 * The demo seed runs only with the embedded database (config.demoSeed); here the app is built
 * with demoSeed forced on against the suite's database, so the real bootstrap hook runs.
 */
describe('demo channels seed', () => {
  let app: NestFastifyApplication;
  let dataDir: string;
  let channels: ChannelsService;
  let seeder: DemoChannelsSeeder;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crossdock-demo-seed-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: dataDir,
      JOBS_ENABLED: 'false',
    });
    config.demoSeed = true;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    app = await createApp(AppModule.forRoot(config, { logDestination: sink }), config, {
      swaggerUi: false,
    });
    await app.init();
    channels = app.get(ChannelsService);
    seeder = app.get(DemoChannelsSeeder);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const keysFile = (): string => join(dataDir, DEMO_KEYS_FILE);
  const storedKeys = async (): Promise<Record<string, string>> =>
    (JSON.parse(await fs.readFile(keysFile(), 'utf8')) as { keys: Record<string, string> }).keys;

  it('creates one channel per kind at bootstrap and logs each key once', async () => {
    const lines = logs.filter((l) => l.msg === 'demo API key');
    expect(lines.map((l) => l.channel)).toEqual(DEMO_CHANNELS.map((d) => d.name));
    const keys = await storedKeys();
    for (const line of lines) expect(line.demoApiKey).toBe(keys[line.channel as string]);

    for (const demo of DEMO_CHANNELS) {
      const verified = await channels.verifyKey(keys[demo.name]);
      expect(verified?.channel).toMatchObject({ channelName: demo.name, kind: demo.kind });
      expect([...(verified?.channel.scopes ?? [])].sort()).toEqual([...demo.scopes].sort());
    }
    const operations = await channels.verifyKey(keys['demo-operations']);
    expect([...(operations?.channel.scopes ?? [])].sort()).toEqual([...SCOPES].sort());
  });

  it('keeps the plaintext keys in a file only its owner can read', () => {
    expect(statSync(keysFile()).mode & 0o777).toBe(0o600);
  });

  it('prints the same keys on the next start', async () => {
    const before = await storedKeys();

    const again = await seeder.seed(dataDir);

    expect(again).toEqual(before);
    for (const demo of DEMO_CHANNELS) {
      const channel = await channels.findChannelByName(demo.name);
      expect(channel?.keys.filter((k) => k.revokedAt === null)).toHaveLength(1);
    }
  });

  it('issues new keys and revokes the old ones when the key file is gone', async () => {
    const before = await storedKeys();
    await fs.rm(keysFile());

    const after = await seeder.seed(dataDir);

    for (const demo of DEMO_CHANNELS) {
      expect(after[demo.name]).not.toBe(before[demo.name]);
      expect(await channels.verifyKey(before[demo.name])).toBeUndefined();
      expect(await channels.verifyKey(after[demo.name])).toBeDefined();
    }
    expect(await storedKeys()).toEqual(after);
    expect(statSync(keysFile()).mode & 0o777).toBe(0o600);
  });

  it('replaces a demo key that was revoked meanwhile, keeping the others', async () => {
    const before = await storedKeys();
    const crm = await channels.findChannelByName('demo-crm');
    for (const key of crm?.keys ?? []) await channels.revokeKey(key.id);

    const after = await seeder.seed(dataDir);

    expect(after['demo-crm']).not.toBe(before['demo-crm']);
    expect(await channels.verifyKey(after['demo-crm'])).toBeDefined();
    expect(after['demo-wms']).toBe(before['demo-wms']);
  });

  it('binds web shop, marketplace and EDI to listed demo customers, CRM and operations to all', async () => {
    const keys = await storedKeys();
    const scopeOf = async (name: string) =>
      (await channels.verifyKey(keys[name]))?.channel.customerScope;

    expect(await scopeOf('demo-ecommerce')).toEqual({
      kind: 'LISTED',
      accounts: ['C10001', 'C10002', 'C10003', 'C10006', 'C10007', 'C10008'],
    });
    expect((await scopeOf('demo-marketplace'))?.kind).toBe('LISTED');
    expect((await scopeOf('demo-edi'))?.kind).toBe('LISTED');
    expect(await scopeOf('demo-crm')).toEqual({ kind: 'ALL' });
    expect(await scopeOf('demo-operations')).toEqual({ kind: 'ALL' });
  });

  it('lets the demo CRM channel place orders (inside sales)', async () => {
    const crm = await channels.verifyKey((await storedKeys())['demo-crm']);
    expect(crm?.channel.scopes).toContain('orders:write');
  });

  it("restores a demo channel's customers changed meanwhile, keeping its key", async () => {
    const before = await storedKeys();
    const shop = await channels.findChannelByName('demo-ecommerce');
    await channels.setCustomerScope(shop!.id, { kind: 'ALL' });

    const after = await seeder.seed(dataDir);

    expect(after['demo-ecommerce']).toBe(before['demo-ecommerce']);
    expect((await channels.getCustomerScope(shop!.id)).kind).toBe('LISTED');
  });

  it('warns at start-up about external channels that act for every customer', async () => {
    const broad = await channels.createChannel({
      name: `legacy-shop-${Date.now()}`,
      kind: 'ecommerce',
      scopes: ['orders:read'],
      customerScope: { kind: 'ALL' },
    });
    logs.length = 0;

    await app.get(CustomerScopeAudit).onApplicationBootstrap();

    const warning = logs.find((l) => String(l.msg).includes('may act for every customer'));
    const named = (warning?.channels as { name: string }[] | undefined)?.map((c) => c.name);
    expect(named).toContain(broad.channel.name);
    expect(named).not.toContain('demo-crm');
    expect(named).not.toContain('demo-operations');
  });
});
