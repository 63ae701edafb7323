import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, In, MoreThan, QueryFailedError } from 'typeorm';
import { ApplicationError, type Violation } from '../errors/index.js';
import { ApiKeyOrmEntity } from './api-key.orm-entity.js';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-key.js';
import { unauthenticated } from './auth.errors.js';
import {
  ALL_CUSTOMERS,
  type AuthenticatedChannel,
  CHANNEL_KINDS,
  type ChannelKind,
  type ChannelStatus,
  type CustomerScope,
  INTERNAL_CHANNEL_KINDS,
  isChannelKind,
  isScope,
  type Scope,
  SCOPES,
} from './auth.types.js';
import { ChannelCustomerOrmEntity } from './channel-customer.orm-entity.js';
import { ChannelOrmEntity } from './channel.orm-entity.js';

export interface ApiKeyView {
  id: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** A rotated-out key stops working at this instant; null: until revoked. */
  expiresAt: Date | null;
}

export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  status: ChannelStatus;
  /** Null: the hub-wide default applies. */
  rateLimitPerMinute: number | null;
  /** ALL, or LISTED with the accounts (sorted) whose customers, children included, it may act for. */
  customerScope: CustomerScope;
  createdAt: Date;
  keys: ApiKeyView[];
}

export interface CreateChannelInput {
  name: string;
  /** Validated against CHANNEL_KINDS (strings, so the CLI can pass its arguments through). */
  kind: string;
  /** Validated against SCOPES; duplicates are dropped. */
  scopes: readonly string[];
  rateLimitPerMinute?: number | null;
  /** Stated explicitly on every new channel: the whole customer book, or listed accounts. */
  customerScope: CustomerScope;
}

export interface CreatedChannel {
  channel: ChannelView;
  /** The plaintext key: returned this once, never stored, never retrievable again. */
  apiKey: string;
}

export interface IssuedApiKey {
  key: ApiKeyView;
  /** The plaintext key: returned this once, never stored, never retrievable again. */
  apiKey: string;
}

export interface RotateKeyInput {
  /** The channel's live keys keep working this long (0: revoked at once). */
  graceSeconds: number;
  /** false: an additional key, the live ones untouched. Default true. */
  retire?: boolean;
  /** Scopes of the new key; default: those of the channel's newest live key. */
  scopes?: readonly string[];
}

export interface RotatedApiKey extends IssuedApiKey {
  /** The keys rotated out, with their revokedAt / expiresAt. */
  retired: ApiKeyView[];
}

/** What a valid key resolves to. */
export interface AuthenticatedKey {
  channel: AuthenticatedChannel;
  keyPrefix: string;
  /** The channel's own limit; null means the hub-wide default. */
  rateLimitPerMinute: number | null;
}

export interface ListChannelsPage {
  limit: number;
  /** Channels are ordered by name; the page starts after this one. */
  afterName?: string;
}

/**
 * How long a key look-up is reused. Every change through this service (revocation, rotation,
 * suspension, customer scope) evicts the entry at once on this instance and, through PostgreSQL
 * NOTIFY on AUTH_INVALIDATION_CHANNEL, on every other instance that listens (KeyCacheListener).
 * The TTL is the fallback should a notification be lost (listener reconnecting).
 */
export const KEY_CACHE_TTL_MS = 15_000;
/** The PostgreSQL NOTIFY channel carrying key-cache invalidations between instances. */
export const AUTH_INVALIDATION_CHANNEL = 'crossdock_auth_invalidation';
/** Max grace period of a rotated-out key: 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;
const MAX_LISTED_CUSTOMERS = 10_000;
const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const KEY_CACHE_MAX_ENTRIES = 10_000;
/** last_used_at is a "seen recently" signal for operations: minute resolution, not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
/** Unique constraints of migration 1764400000000 (PostgreSQL's default names). */
const CHANNEL_NAME_CONSTRAINT = 'channel_name_key';
const API_KEY_PREFIX_CONSTRAINT = 'api_key_prefix_key';
/** A 40-bit prefix collides about once in a million draws at a thousand keys: retrying is enough. */
const PREFIX_ATTEMPTS = 3;

interface CachedKey {
  keyId: string;
  prefix: string;
  keyHash: string;
  scopes: Scope[];
  revoked: boolean;
  /** Epoch ms when a rotated-out key stops working; undefined: until revoked. */
  keyExpiresAt: number | undefined;
  lastUsedAt: number | undefined;
  channelId: string;
  channelName: string;
  kind: ChannelKind;
  channelStatus: ChannelStatus;
  rateLimitPerMinute: number | null;
  customerScope: CustomerScope;
  expiresAt: number;
}

/** A prefix no key has: cached too, so unknown and revoked keys take the same path. */
interface CachedMiss {
  miss: true;
  prefix: string;
  expiresAt: number;
}

/** What an invalidation notification names: every cached key matching any given field goes. */
export interface KeyCacheInvalidation {
  channelId?: string;
  keyId?: string;
  prefix?: string;
  /** Everything (a listener that reconnected may have missed notifications). */
  all?: boolean;
}

type Resolution =
  { ok: true; key: AuthenticatedKey; cached: CachedKey } | { ok: false; malformed: boolean };

/**
 * Every refused key answers alike: unknown, wrong secret, revoked, expired, or of a suspended
 * channel. Telling them apart would tell a holder of a leaked key whether it is still worth
 * trying, and a guesser which prefixes exist.
 */
export const INVALID_KEY_DETAIL = 'The API key is not valid.';
/** Compared against when a prefix has no key, so that a miss costs what a mismatch costs. */
const NO_KEY_HASH = hashApiKey(`cdk_aaaaaaaa_${'A'.repeat(43)}`);

/**
 * Channels and their API keys: creation (the plaintext key is shown once), key issue and
 * revocation, suspension, and the look-up behind the API-key guard. Works inside Nest and, built
 * with `new ChannelsService(dataSource)`, from the channel:create CLI.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);
  private readonly cache = new Map<string, CachedKey | CachedMiss>();
  /** Tells this instance's own notifications from others' (both are applied: eviction is idempotent). */
  readonly instanceId = randomUUID();
  /** Bumped on every eviction so that a look-up racing a revocation does not re-cache the old row. */
  private generation = 0;
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  async createChannel(input: CreateChannelInput): Promise<CreatedChannel> {
    const violations = validateChannelInput(input);
    if (violations.length > 0) throw invalid(violations);
    const name = input.name.trim();
    const scopes = uniqueScopes(input.scopes);
    const customerScope = normalizeScope(input.customerScope);
    try {
      return await withFreshPrefix(() =>
        this.dataSource.transaction(async (em) => {
          const channel = await em.getRepository(ChannelOrmEntity).save(
            em.getRepository(ChannelOrmEntity).create({
              name,
              kind: input.kind as ChannelKind,
              status: 'active',
              rateLimitPerMinute: input.rateLimitPerMinute ?? null,
              customerScope: customerScope.kind,
            }),
          );
          if (customerScope.kind === 'LISTED') {
            await insertCustomers(em, channel.id, customerScope.accounts);
          }
          const { key, apiKey } = await insertKey(em, channel.id, scopes);
          await this.notify(em, { prefix: key.prefix });
          return { channel: toChannelView(channel, [key], customerScope), apiKey };
        }),
      );
    } catch (error) {
      if (uniqueViolation(error) === CHANNEL_NAME_CONSTRAINT) {
        throw new ApplicationError(
          'CHANNEL_NAME_TAKEN',
          `A channel named "${name}" already exists.`,
          'conflict',
        );
      }
      throw error;
    }
  }

  /** A further key for a channel (e.g. to rotate: issue, deploy, then revoke the old one). */
  async issueKey(channelId: string, scopes: readonly string[]): Promise<IssuedApiKey> {
    const violations = validateScopes(scopes);
    if (violations.length > 0) throw invalid(violations);
    await this.requireChannel(channelId);
    const issued = await withFreshPrefix(() =>
      this.dataSource.transaction(async (em) => {
        const inserted = await insertKey(em, channelId, uniqueScopes(scopes));
        // A prefix probed before (a cached miss) must not stay refused on any instance.
        await this.notify(em, { prefix: inserted.key.prefix });
        return inserted;
      }),
    );
    this.evict((entry) => entry.prefix === issued.key.prefix);
    return { key: toKeyView(issued.key), apiKey: issued.apiKey };
  }

  /**
   * Rotation: a new key (shown once), and the channel's live keys retired — revoked at once with
   * no grace, else kept working until now + graceSeconds so the channel can deploy the new key.
   */
  async rotateKey(channelId: string, input: RotateKeyInput): Promise<RotatedApiKey> {
    const violations = [
      ...(input.scopes === undefined ? [] : validateScopes(input.scopes)),
      ...validateGrace(input.graceSeconds),
    ];
    if (violations.length > 0) throw invalid(violations);
    await this.requireChannel(channelId);
    const result = await withFreshPrefix(() =>
      this.dataSource.transaction(async (em) => {
        const repo = em.getRepository(ApiKeyOrmEntity);
        const live = await repo
          .createQueryBuilder('k')
          .setLock('pessimistic_write')
          .where('k.channel_id = :channelId AND k.revoked_at IS NULL', { channelId })
          .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
          .orderBy('k.created_at', 'DESC')
          .getMany();
        const scopes = uniqueScopes(input.scopes ?? live[0]?.scopes ?? []);
        const ids = input.retire === false ? [] : live.map((k) => k.id);
        if (ids.length > 0) {
          const update = repo.createQueryBuilder().update().whereInIds(ids);
          await (
            input.graceSeconds === 0
              ? update.set({ revokedAt: () => 'now()' })
              : update.set({
                  // A key already in a grace period keeps the earlier end: rotating never
                  // lengthens an old key's life.
                  expiresAt: () =>
                    `LEAST(COALESCE(expires_at, 'infinity'::timestamptz), ` +
                    `now() + make_interval(secs => ${Math.trunc(input.graceSeconds)}))`,
                })
          ).execute();
        }
        const inserted = await insertKey(em, channelId, scopes);
        await this.notify(em, { channelId, prefix: inserted.key.prefix });
        const retired = ids.length > 0 ? await repo.findBy({ id: In(ids) }) : [];
        return { inserted, retired };
      }),
    );
    this.evict(
      (entry) =>
        entry.prefix === result.inserted.key.prefix ||
        (!('miss' in entry) && entry.channelId === channelId),
    );
    return {
      key: toKeyView(result.inserted.key),
      apiKey: result.inserted.apiKey,
      retired: result.retired.map(toKeyView),
    };
  }

  /** The keys of one channel, oldest first (prefix, scopes, dates; never hashes). */
  async listKeys(channelId: string): Promise<ApiKeyView[]> {
    await this.requireChannel(channelId);
    const keys = await this.dataSource.getRepository(ApiKeyOrmEntity).find({
      where: { channelId },
      order: { createdAt: 'ASC', prefix: 'ASC' },
    });
    return keys.map(toKeyView);
  }

  /** Revokes a key of this channel, named by id or prefix; API_KEY_NOT_FOUND for another channel's. */
  async revokeChannelKey(channelId: string, keyIdOrPrefix: string): Promise<ApiKeyView> {
    await this.requireChannel(channelId);
    const repo = this.dataSource.getRepository(ApiKeyOrmEntity);
    const key = await repo.findOneBy(
      isUuid(keyIdOrPrefix)
        ? { id: keyIdOrPrefix, channelId }
        : { prefix: keyIdOrPrefix, channelId },
    );
    if (!key) {
      throw new ApplicationError(
        'API_KEY_NOT_FOUND',
        `Channel ${channelId} has no API key ${keyIdOrPrefix}.`,
        'not-found',
      );
    }
    return this.revokeKey(key.id);
  }

  /** Revokes a key; takes effect at once on this instance. Revoking a revoked key is a no-op. */
  async revokeKey(keyId: string): Promise<ApiKeyView> {
    const repo = this.dataSource.getRepository(ApiKeyOrmEntity);
    const key = isUuid(keyId) ? await repo.findOneBy({ id: keyId }) : null;
    if (!key) {
      throw new ApplicationError('API_KEY_NOT_FOUND', `No API key with id ${keyId}.`, 'not-found');
    }
    if (!key.revokedAt) {
      await this.dataSource.transaction(async (em) => {
        await em
          .getRepository(ApiKeyOrmEntity)
          .createQueryBuilder()
          .update()
          .set({ revokedAt: () => 'now()' })
          .where('id = :id AND revoked_at IS NULL', { id: keyId })
          .execute();
        await this.notify(em, { keyId, prefix: key.prefix });
      });
    }
    this.evict((entry) => entry.prefix === key.prefix);
    return toKeyView(await repo.findOneByOrFail({ id: keyId }));
  }

  /** Revokes every live key of a channel (the demo seed replaces keys it can no longer print). */
  async revokeAllKeys(channelId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em
        .getRepository(ApiKeyOrmEntity)
        .createQueryBuilder()
        .update()
        .set({ revokedAt: () => 'now()' })
        .where('channel_id = :channelId AND revoked_at IS NULL', { channelId })
        .execute();
      await this.notify(em, { channelId });
    });
    this.evict((entry) => !('miss' in entry) && entry.channelId === channelId);
  }

  /** Suspends or reactivates a channel; every key of a suspended channel is refused at once here. */
  async setChannelStatus(channelId: string, status: ChannelStatus): Promise<ChannelView> {
    const channel = await this.requireChannel(channelId);
    channel.status = status;
    await this.dataSource.transaction(async (em) => {
      await em.getRepository(ChannelOrmEntity).save(channel);
      await this.notify(em, { channelId });
    });
    this.evict((entry) => !('miss' in entry) && entry.channelId === channelId);
    return (await this.findChannel({ id: channelId })) as ChannelView;
  }

  /** Which customers a channel may act for. */
  async getCustomerScope(channelId: string): Promise<CustomerScope> {
    const channel = await this.requireChannel(channelId);
    return (await this.scopesOf([channel])).get(channel.id) ?? ALL_CUSTOMERS;
  }

  /** Replaces a channel's customer scope (ALL, or exactly the listed accounts). */
  async setCustomerScope(channelId: string, scope: CustomerScope): Promise<CustomerScope> {
    const normalized = normalizeScope(scope);
    return this.changeScope(channelId, async (em) => {
      await em.getRepository(ChannelCustomerOrmEntity).delete({ channelId });
      if (normalized.kind === 'LISTED') await insertCustomers(em, channelId, normalized.accounts);
      return normalized.kind;
    });
  }

  /** Adds accounts to a channel's list; a channel on ALL becomes LISTED with just these. */
  async addCustomers(channelId: string, customerIds: readonly string[]): Promise<CustomerScope> {
    const { accounts } = normalizeScope({ kind: 'LISTED', accounts: customerIds }) as {
      accounts: readonly string[];
    };
    return this.changeScope(channelId, async (em, channel) => {
      if (channel.customerScope === 'ALL') {
        await em.getRepository(ChannelCustomerOrmEntity).delete({ channelId });
      }
      await insertCustomers(em, channelId, accounts);
      await assertListSize(em, channelId);
      return 'LISTED';
    });
  }

  /** Removes accounts from a LISTED channel (unknown ones are ignored); CUSTOMER_SCOPE_IS_ALL on ALL. */
  async removeCustomers(channelId: string, customerIds: readonly string[]): Promise<CustomerScope> {
    const ids = customerIds.map((id) => id.trim());
    return this.changeScope(channelId, async (em, channel) => {
      if (channel.customerScope === 'ALL') {
        throw new ApplicationError(
          'CUSTOMER_SCOPE_IS_ALL',
          `Channel ${channel.name} acts for every customer: set a list of accounts instead of removing some.`,
          'conflict',
        );
      }
      if (ids.length > 0) {
        await em.getRepository(ChannelCustomerOrmEntity).delete({ channelId, customerId: In(ids) });
      }
      return 'LISTED';
    });
  }

  /** External channels (not crm/operations) that act for every customer: worth a warning. */
  async externalChannelsWithAllCustomers(): Promise<ChannelView[]> {
    const channels = await this.dataSource.getRepository(ChannelOrmEntity).find({
      where: { customerScope: 'ALL', status: 'active' },
      order: { name: 'ASC' },
    });
    return this.withKeys(channels.filter((c) => !INTERNAL_CHANNEL_KINDS.includes(c.kind)));
  }

  /**
   * Applies an invalidation another instance (or this one) announced. A listener that lost its
   * connection clears everything: notifications sent meanwhile are gone.
   */
  applyInvalidation(invalidation: KeyCacheInvalidation): void {
    if (invalidation.all) {
      this.evict(() => true);
      return;
    }
    this.evict(
      (entry) =>
        (invalidation.prefix !== undefined && entry.prefix === invalidation.prefix) ||
        (!('miss' in entry) &&
          ((invalidation.channelId !== undefined && entry.channelId === invalidation.channelId) ||
            (invalidation.keyId !== undefined && entry.keyId === invalidation.keyId))),
    );
  }

  private async changeScope(
    channelId: string,
    change: (em: EntityManager, channel: ChannelOrmEntity) => Promise<CustomerScope['kind']>,
  ): Promise<CustomerScope> {
    await this.requireChannel(channelId);
    await this.dataSource.transaction(async (em) => {
      // Row lock: two operators changing one channel's list apply one after the other.
      const channel = await em
        .getRepository(ChannelOrmEntity)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :channelId', { channelId })
        .getOneOrFail();
      const kind = await change(em, channel);
      await em.getRepository(ChannelOrmEntity).update({ id: channelId }, { customerScope: kind });
      await this.notify(em, { channelId });
    });
    this.evict((entry) => !('miss' in entry) && entry.channelId === channelId);
    return this.getCustomerScope(channelId);
  }

  /**
   * Announces an invalidation to every instance. Sent inside the change's transaction: PostgreSQL
   * delivers it only on commit, and never for a rolled-back change.
   */
  private async notify(em: EntityManager, invalidation: KeyCacheInvalidation): Promise<void> {
    await em.query('SELECT pg_notify($1, $2)', [
      AUTH_INVALIDATION_CHANNEL,
      JSON.stringify({ ...invalidation, origin: this.instanceId }),
    ]);
  }

  /** Every channel with its keys (prefix, scopes, dates; never hashes), ordered by name. */
  async listChannels(page?: ListChannelsPage): Promise<ChannelView[]> {
    const channels = await this.dataSource.getRepository(ChannelOrmEntity).find({
      where: page?.afterName !== undefined ? { name: MoreThan(page.afterName) } : {},
      order: { name: 'ASC' },
      ...(page ? { take: page.limit } : {}),
    });
    return this.withKeys(channels);
  }

  async findChannelByName(name: string): Promise<ChannelView | undefined> {
    return this.findChannel({ name });
  }

  /** The key a channel is calling with, for GET /v1/channels/me. */
  async getKey(keyId: string): Promise<ApiKeyView> {
    const key = isUuid(keyId)
      ? await this.dataSource.getRepository(ApiKeyOrmEntity).findOneBy({ id: keyId })
      : null;
    if (!key) {
      throw new ApplicationError('API_KEY_NOT_FOUND', `No API key with id ${keyId}.`, 'not-found');
    }
    return toKeyView(key);
  }

  /**
   * Resolves a presented key to its channel, or throws UNAUTHENTICATED. Unknown, wrong, revoked
   * and expired keys and the keys of a suspended channel all get the same answer, by the same
   * path (a cached look-up and one constant-time hash comparison); only a string that is not a
   * Crossdock key at all is told so, which reveals nothing about any key.
   */
  async authenticate(presented: string): Promise<AuthenticatedKey> {
    const resolution = await this.resolve(presented);
    if (!resolution.ok) {
      throw unauthenticated(
        resolution.malformed
          ? 'The API key is malformed: expected cdk_<prefix>_<secret>.'
          : INVALID_KEY_DETAIL,
      );
    }
    await this.recordUse(resolution.cached);
    return resolution.key;
  }

  /** Like authenticate, without recording a use: undefined when the key would be refused. */
  async verifyKey(presented: string): Promise<AuthenticatedKey | undefined> {
    const resolution = await this.resolve(presented);
    return resolution.ok ? resolution.key : undefined;
  }

  private async resolve(presented: string): Promise<Resolution> {
    const prefix = apiKeyPrefix(presented);
    if (!prefix) return { ok: false, malformed: true };
    const cached = await this.lookup(prefix);
    const hit = 'miss' in cached ? undefined : cached;
    const matches = apiKeyMatches(presented, hit?.keyHash ?? NO_KEY_HASH);
    if (
      !hit ||
      !matches ||
      hit.revoked ||
      (hit.keyExpiresAt !== undefined && hit.keyExpiresAt <= Date.now()) ||
      hit.channelStatus !== 'active'
    ) {
      return { ok: false, malformed: false };
    }
    return {
      ok: true,
      cached: hit,
      key: {
        channel: {
          channelId: hit.channelId,
          channelName: hit.channelName,
          kind: hit.kind,
          apiKeyId: hit.keyId,
          scopes: hit.scopes,
          customerScope: hit.customerScope,
        },
        keyPrefix: hit.prefix,
        rateLimitPerMinute: hit.rateLimitPerMinute,
      },
    };
  }

  private async lookup(prefix: string): Promise<CachedKey | CachedMiss> {
    const now = Date.now();
    const hit = this.cache.get(prefix);
    if (hit && hit.expiresAt > now) return hit;
    const generation = this.generation;
    const row = await this.dataSource
      .getRepository(ApiKeyOrmEntity)
      .findOne({ where: { prefix }, relations: { channel: true } });
    let entry: CachedKey | CachedMiss;
    if (!row?.channel) {
      entry = { miss: true, prefix, expiresAt: now + KEY_CACHE_TTL_MS };
    } else {
      const scopes = await this.scopesOf([row.channel]);
      entry = {
        keyId: row.id,
        prefix: row.prefix,
        keyHash: row.keyHash,
        scopes: row.scopes.filter(isScope),
        revoked: row.revokedAt !== null,
        keyExpiresAt: row.expiresAt?.getTime(),
        lastUsedAt: row.lastUsedAt?.getTime(),
        channelId: row.channel.id,
        channelName: row.channel.name,
        kind: row.channel.kind,
        channelStatus: row.channel.status,
        rateLimitPerMinute: row.channel.rateLimitPerMinute,
        customerScope: scopes.get(row.channel.id) ?? ALL_CUSTOMERS,
        expiresAt: now + KEY_CACHE_TTL_MS,
      };
    }
    if (generation === this.generation) {
      // Map order is insertion order: dropping the first entry drops the oldest look-up.
      if (this.cache.size >= KEY_CACHE_MAX_ENTRIES)
        this.cache.delete(this.cache.keys().next().value!);
      this.cache.delete(prefix);
      this.cache.set(prefix, entry);
    }
    return entry;
  }

  private evict(matches: (entry: CachedKey | CachedMiss) => boolean): void {
    this.generation += 1;
    for (const [prefix, entry] of this.cache) if (matches(entry)) this.cache.delete(prefix);
  }

  /** At most one write per key and minute from this instance (and the WHERE bounds all instances). */
  private async recordUse(cached: CachedKey): Promise<void> {
    const now = Date.now();
    const last = this.lastUsedWrites.get(cached.keyId) ?? cached.lastUsedAt ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    if (this.lastUsedWrites.size >= KEY_CACHE_MAX_ENTRIES) this.lastUsedWrites.clear();
    this.lastUsedWrites.set(cached.keyId, now);
    try {
      await this.dataSource
        .getRepository(ApiKeyOrmEntity)
        .createQueryBuilder()
        .update()
        .set({ lastUsedAt: () => 'now()' })
        .where(
          `id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
          { id: cached.keyId },
        )
        .execute();
    } catch (error) {
      // last_used_at is advisory: a failed write must not turn a valid request into an error.
      this.logger.warn(
        { err: error, apiKeyId: cached.keyId },
        'could not record API key use (last_used_at)',
      );
    }
  }

  private async requireChannel(channelId: string): Promise<ChannelOrmEntity> {
    const channel = isUuid(channelId)
      ? await this.dataSource.getRepository(ChannelOrmEntity).findOneBy({ id: channelId })
      : null;
    if (!channel) {
      throw new ApplicationError(
        'CHANNEL_NOT_FOUND',
        `No channel with id ${channelId}.`,
        'not-found',
      );
    }
    return channel;
  }

  private async findChannel(
    where: { id: string } | { name: string },
  ): Promise<ChannelView | undefined> {
    const channel = await this.dataSource.getRepository(ChannelOrmEntity).findOneBy(where);
    return channel ? (await this.withKeys([channel]))[0] : undefined;
  }

  private async withKeys(channels: ChannelOrmEntity[]): Promise<ChannelView[]> {
    if (channels.length === 0) return [];
    const keys = await this.dataSource.getRepository(ApiKeyOrmEntity).find({
      where: { channelId: In(channels.map((c) => c.id)) },
      order: { createdAt: 'ASC', prefix: 'ASC' },
    });
    const scopes = await this.scopesOf(channels);
    return channels.map((channel) =>
      toChannelView(
        channel,
        keys.filter((k) => k.channelId === channel.id),
        scopes.get(channel.id) ?? ALL_CUSTOMERS,
      ),
    );
  }

  private async scopesOf(
    channels: ChannelOrmEntity[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, CustomerScope>> {
    const listed = channels.filter((c) => c.customerScope === 'LISTED').map((c) => c.id);
    const rows =
      listed.length === 0
        ? []
        : await manager.getRepository(ChannelCustomerOrmEntity).find({
            where: { channelId: In(listed) },
            order: { customerId: 'ASC' },
          });
    return new Map(
      channels.map((c): [string, CustomerScope] => [
        c.id,
        c.customerScope === 'LISTED'
          ? {
              kind: 'LISTED',
              accounts: rows.filter((r) => r.channelId === c.id).map((r) => r.customerId),
            }
          : ALL_CUSTOMERS,
      ]),
    );
  }
}

async function insertKey(
  em: EntityManager,
  channelId: string,
  scopes: Scope[],
): Promise<{ key: ApiKeyOrmEntity; apiKey: string }> {
  const generated = generateApiKey();
  const repo = em.getRepository(ApiKeyOrmEntity);
  const key = await repo.save(
    repo.create({
      channelId,
      prefix: generated.prefix,
      keyHash: generated.hash,
      scopes,
      lastUsedAt: null,
      revokedAt: null,
    }),
  );
  return { key, apiKey: generated.plaintext };
}

/** Runs `work` again (a fresh random prefix) when the previous prefix was already taken. */
async function withFreshPrefix<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= PREFIX_ATTEMPTS || uniqueViolation(error) !== API_KEY_PREFIX_CONSTRAINT) {
        throw error;
      }
    }
  }
}

/** Every problem with a create-channel request (also used by the CLI before it starts a database). */
export function validateChannelInput(input: CreateChannelInput): Violation[] {
  return [
    ...validateName(typeof input.name === 'string' ? input.name.trim() : ''),
    ...validateKind(input.kind),
    ...validateScopes(input.scopes),
    ...validateRateLimit(input.rateLimitPerMinute),
    ...validateCustomerScope(input.customerScope),
  ];
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? (driverError.constraint ?? '') : undefined;
}

function invalid(violations: Violation[]): ApplicationError {
  return new ApplicationError(
    'VALIDATION_FAILED',
    'The channel request is invalid.',
    'validation',
    {
      violations,
    },
  );
}

function validateName(name: string): Violation[] {
  return NAME_PATTERN.test(name)
    ? []
    : [
        {
          code: 'INVALID_NAME',
          field: 'name',
          message:
            'name must be 1-100 characters: letters, digits, space, dot, underscore or hyphen, starting with a letter or digit',
        },
      ];
}

function validateKind(kind: string): Violation[] {
  return typeof kind === 'string' && isChannelKind(kind)
    ? []
    : [
        {
          code: 'UNKNOWN_KIND',
          field: 'kind',
          message: `kind must be one of ${CHANNEL_KINDS.join(', ')} (got ${JSON.stringify(kind)})`,
        },
      ];
}

function validateScopes(scopes: readonly string[]): Violation[] {
  if (!Array.isArray(scopes)) {
    return [{ code: 'INVALID_SCOPES', field: 'scopes', message: 'scopes must be a list' }];
  }
  return scopes.flatMap((scope, index) =>
    typeof scope === 'string' && isScope(scope)
      ? []
      : [
          {
            code: 'UNKNOWN_SCOPE',
            field: `scopes[${index}]`,
            message: `unknown scope ${JSON.stringify(scope)}; known scopes: ${SCOPES.join(', ')}`,
          },
        ],
  );
}

function validateRateLimit(limit: number | null | undefined): Violation[] {
  if (limit === undefined || limit === null) return [];
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_RATE_LIMIT_PER_MINUTE
    ? []
    : [
        {
          code: 'INVALID_RATE_LIMIT',
          field: 'rateLimitPerMinute',
          message: `rateLimitPerMinute must be an integer from 1 to ${MAX_RATE_LIMIT_PER_MINUTE}`,
        },
      ];
}

function uniqueScopes(scopes: readonly string[]): Scope[] {
  // Kept in the canonical SCOPES order so that equal scope sets read the same everywhere.
  return SCOPES.filter((scope) => scopes.includes(scope));
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function toKeyView(key: ApiKeyOrmEntity): ApiKeyView {
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes.filter(isScope),
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    expiresAt: key.expiresAt,
  };
}

function toChannelView(
  channel: ChannelOrmEntity,
  keys: ApiKeyOrmEntity[],
  customerScope: CustomerScope,
): ChannelView {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    status: channel.status,
    rateLimitPerMinute: channel.rateLimitPerMinute,
    customerScope,
    createdAt: channel.createdAt,
    keys: keys.map(toKeyView),
  };
}

async function insertCustomers(
  em: EntityManager,
  channelId: string,
  customerIds: readonly string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  await em
    .getRepository(ChannelCustomerOrmEntity)
    .createQueryBuilder()
    .insert()
    .values(customerIds.map((customerId) => ({ channelId, customerId })))
    .orIgnore()
    .execute();
}

async function assertListSize(em: EntityManager, channelId: string): Promise<void> {
  const count = await em.getRepository(ChannelCustomerOrmEntity).countBy({ channelId });
  if (count > MAX_LISTED_CUSTOMERS) {
    throw invalid([
      {
        code: 'TOO_MANY_CUSTOMERS',
        field: 'customers',
        message: `a channel may list at most ${MAX_LISTED_CUSTOMERS} accounts (child accounts come with their parent)`,
      },
    ]);
  }
}

/** Trimmed, de-duplicated, sorted; throws VALIDATION_FAILED naming every bad entry. */
function normalizeScope(scope: CustomerScope): CustomerScope {
  const violations = validateCustomerScope(scope);
  if (violations.length > 0) throw invalid(violations);
  return scope.kind === 'ALL'
    ? ALL_CUSTOMERS
    : { kind: 'LISTED', accounts: [...new Set(scope.accounts.map((a) => a.trim()))].sort() };
}

/** Every problem with a customer scope (also used by the CLIs before they start a database). */
export function validateCustomerScope(scope: CustomerScope | undefined): Violation[] {
  if (scope === undefined || scope === null || typeof scope !== 'object') {
    return [
      {
        code: 'CUSTOMER_SCOPE_REQUIRED',
        field: 'customerScope',
        message: 'say which customers the channel may act for: ALL, or a list of accounts',
      },
    ];
  }
  if (scope.kind === 'ALL') return [];
  if (scope.kind !== 'LISTED' || !Array.isArray(scope.accounts)) {
    return [
      {
        code: 'INVALID_CUSTOMER_SCOPE',
        field: 'customerScope',
        message: 'customerScope must be ALL or LISTED with a list of accounts',
      },
    ];
  }
  if (scope.accounts.length > MAX_LISTED_CUSTOMERS) {
    return [
      {
        code: 'TOO_MANY_CUSTOMERS',
        field: 'customers',
        message: `a channel may list at most ${MAX_LISTED_CUSTOMERS} accounts (child accounts come with their parent)`,
      },
    ];
  }
  return scope.accounts.flatMap((account, index) =>
    typeof account === 'string' && CUSTOMER_ID_PATTERN.test(account.trim())
      ? []
      : [
          {
            code: 'INVALID_CUSTOMER_ID',
            field: `customers[${index}]`,
            message: `${JSON.stringify(account)} is not an ERP customer number (1-100 letters, digits, . _ / -)`,
          },
        ],
  );
}

function validateGrace(graceSeconds: number): Violation[] {
  return Number.isInteger(graceSeconds) && graceSeconds >= 0 && graceSeconds <= MAX_GRACE_SECONDS
    ? []
    : [
        {
          code: 'INVALID_GRACE_PERIOD',
          field: 'graceSeconds',
          message: `graceSeconds must be a whole number from 0 to ${MAX_GRACE_SECONDS}`,
        },
      ];
}
