import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from '../logging/index.js';
import pg from 'pg';
import { AppConfig } from '../../config/index.js';
import {
  AUTH_INVALIDATION_CHANNEL,
  ChannelsService,
  type KeyCacheInvalidation,
} from './channels.service.js';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * Listens (PostgreSQL LISTEN, one dedicated connection outside the pool) for the key-cache
 * invalidations every ChannelsService sends with its changes — from any hub instance or CLI — so a
 * revoked key, a suspended channel or a narrowed customer scope bites on this instance at its next
 * request. On a lost connection it reconnects with backoff and then clears the whole cache, since
 * notifications sent while it was away are gone; the cache TTL bounds staleness meanwhile.
 */
@Injectable()
export class KeyCacheListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly channels: ChannelsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(KeyCacheListener.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.database.connect || !this.config.database.url) return;
    // The first subscription is awaited: an instance serves no request before it listens.
    await this.connect().catch((error: unknown) => this.scheduleReconnect(error));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The PostgreSQL backend pid of the listening connection; undefined while reconnecting. */
  backendPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.database.url,
      application_name: 'crossdock-auth-listener',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== AUTH_INVALIDATION_CHANNEL) return;
      this.channels.applyInvalidation(parseInvalidation(message.payload));
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_INVALIDATION_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.attempts > 0) {
      // Anything may have changed while nobody listened.
      this.channels.applyInvalidation({ all: true });
      this.logger.info({ attempts: this.attempts }, 'key cache listener reconnected');
    }
    this.attempts = 0;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.stopped) return;
    this.attempts += 1;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(this.attempts, 6));
    this.logger.warn(
      { err: error, attempts: this.attempts, retryInMs: delay },
      'key cache listener lost its connection; cached keys expire by TTL until it is back',
    );
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((next: unknown) => this.scheduleReconnect(next));
    }, delay);
    this.reconnectTimer.unref();
  }
}

/** A payload we cannot read clears everything: safe, and only ever a cache miss more. */
function parseInvalidation(payload: string | undefined): KeyCacheInvalidation {
  try {
    const parsed = JSON.parse(payload ?? '') as Record<string, unknown>;
    const text = (key: string): string | undefined =>
      typeof parsed[key] === 'string' ? parsed[key] : undefined;
    const invalidation: KeyCacheInvalidation = {
      channelId: text('channelId'),
      keyId: text('keyId'),
      prefix: text('prefix'),
      all: parsed.all === true,
    };
    return invalidation.channelId || invalidation.keyId || invalidation.prefix || invalidation.all
      ? invalidation
      : { all: true };
  } catch {
    return { all: true };
  }
}
