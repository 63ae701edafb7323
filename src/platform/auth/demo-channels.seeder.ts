import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from '../logging/index.js';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/index.js';
import {
  ALL_CUSTOMERS,
  type ChannelKind,
  type CustomerScope,
  type Scope,
  SCOPES,
} from './auth.types.js';
import { ChannelsService } from './channels.service.js';

export const DEMO_KEYS_FILE = 'demo-api-keys.json';

const listed = (...accounts: string[]): CustomerScope => ({ kind: 'LISTED', accounts });

export interface DemoChannel {
  name: string;
  kind: ChannelKind;
  scopes: Scope[];
  customerScope: CustomerScope;
}

/**
 * One demo channel per kind, with the scopes and customers such a channel would normally be
 * given. Customer numbers are the demo dataset's (seed 20250106): the web shop has C10001 (the
 * README's order), C10002 and the account C10003 with its children C10004-C10005; the
 * marketplace and EDI partner have accounts of their own, so that demo shows the 404 of another
 * channel's customer. Inside sales (CRM) and operations work the whole book. The WMS and the
 * drop-ship supplier act for no customer.
 */
export const DEMO_CHANNELS: readonly DemoChannel[] = [
  {
    name: 'demo-ecommerce',
    kind: 'ecommerce',
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read', 'master-data:read'],
    customerScope: listed('C10001', 'C10002', 'C10003', 'C10006', 'C10007', 'C10008'),
  },
  {
    name: 'demo-marketplace',
    kind: 'marketplace',
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read'],
    customerScope: listed('C10016', 'C10017', 'C10018'),
  },
  {
    name: 'demo-edi',
    kind: 'edi',
    scopes: ['orders:write', 'orders:read', 'pricing:read', 'inventory:read', 'master-data:read'],
    customerScope: listed('C10009', 'C10028', 'C10029'),
  },
  {
    name: 'demo-crm',
    kind: 'crm',
    // Inside sales places orders through the CRM.
    scopes: [
      'orders:write',
      'orders:read',
      'pricing:read',
      'master-data:read',
      'master-data:write',
    ],
    customerScope: ALL_CUSTOMERS,
  },
  {
    name: 'demo-wms',
    kind: 'wms',
    scopes: [
      'orders:read',
      'inventory:read',
      'inventory:write',
      'master-data:read',
      'fulfillment:write',
    ],
    customerScope: listed(),
  },
  {
    name: 'demo-supplier',
    kind: 'supplier',
    scopes: ['orders:read', 'inventory:read', 'inventory:write', 'fulfillment:write'],
    customerScope: listed(),
  },
  {
    name: 'demo-operations',
    kind: 'operations',
    scopes: [...SCOPES],
    customerScope: ALL_CUSTOMERS,
  },
];

interface DemoKeysFile {
  note: string;
  keys: Record<string, string>;
}

/**
 * Demo only (config.demoSeed: embedded database, DEMO_SEED not false). Keys are stored hashed, so
 * the plaintext demo keys are kept in `<dataDir>/demo-api-keys.json` (mode 0600) and a restart
 * prints the same keys. A key that no longer works (file lost, key revoked, scopes changed) is
 * replaced: the channel's old keys are revoked and a new one is issued.
 */
@Injectable()
export class DemoChannelsSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly channels: ChannelsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(DemoChannelsSeeder.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoSeed || !this.config.database.connect) return;
    await this.seed(this.config.database.dataDir);
  }

  /** Ensures the demo channels and their keys; returns the plaintext key per channel name. */
  async seed(dataDir: string): Promise<Record<string, string>> {
    const file = join(dataDir, DEMO_KEYS_FILE);
    const stored = await this.readKeys(file);
    const keys: Record<string, string> = {};
    for (const demo of DEMO_CHANNELS) {
      keys[demo.name] = await this.ensure(demo, stored[demo.name]);
    }
    await writeKeys(dataDir, file, keys);
    for (const demo of DEMO_CHANNELS) {
      this.logger.info(
        {
          channel: demo.name,
          kind: demo.kind,
          scopes: demo.scopes,
          customers: demo.customerScope.kind === 'ALL' ? 'ALL' : demo.customerScope.accounts,
          demoApiKey: keys[demo.name],
        },
        'demo API key',
      );
    }
    return keys;
  }

  private async ensure(demo: DemoChannel, storedKey: string | undefined): Promise<string> {
    const channel = await this.channels.findChannelByName(demo.name);
    if (!channel) {
      const created = await this.channels.createChannel(demo);
      return created.apiKey;
    }
    if (channel.status !== 'active') await this.channels.setChannelStatus(channel.id, 'active');
    if (!sameCustomerScope(channel.customerScope, demo.customerScope)) {
      await this.channels.setCustomerScope(channel.id, demo.customerScope);
    }
    const current = storedKey ? await this.channels.verifyKey(storedKey) : undefined;
    if (
      storedKey &&
      current?.channel.channelId === channel.id &&
      sameScopes(current.channel.scopes, demo.scopes)
    ) {
      return storedKey;
    }
    await this.channels.revokeAllKeys(channel.id);
    return (await this.channels.issueKey(channel.id, demo.scopes)).apiKey;
  }

  private async readKeys(file: string): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<DemoKeysFile>;
      return parsed.keys && typeof parsed.keys === 'object' ? parsed.keys : {};
    } catch (error) {
      // A damaged file only costs new demo keys: every stored key is re-checked anyway.
      this.logger.warn({ err: error, file }, 'demo API key file unreadable, issuing new demo keys');
      return {};
    }
  }
}

function sameCustomerScope(a: CustomerScope, b: CustomerScope): boolean {
  if (a.kind === 'ALL' || b.kind === 'ALL') return a.kind === b.kind;
  return [...a.accounts].sort().join(',') === [...b.accounts].sort().join(',');
}

function sameScopes(a: readonly Scope[], b: readonly Scope[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}

/** Written to a temporary file then renamed, so a crash never leaves half a file behind. */
async function writeKeys(
  dataDir: string,
  file: string,
  keys: Record<string, string>,
): Promise<void> {
  const content: DemoKeysFile = {
    note: 'Crossdock demo API keys (embedded database only). Never use these outside a demo.',
    keys,
  };
  await fs.mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(temporary, 0o600);
  await fs.rename(temporary, file);
}
