import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In, MoreThan, QueryFailedError } from 'typeorm';
import { ApplicationError, type Violation } from '../errors/index.js';
import { ApiKeyOrmEntity } from './api-key.orm-entity.js';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './api-key.js';
import { unauthenticated } from './auth.errors.js';
import {
  type AuthenticatedChannel,
  CHANNEL_KINDS,
  type ChannelKind,
  type ChannelStatus,
  isChannelKind,
  isScope,
  type Scope,
  SCOPES,
} from './auth.types.js';
import { ChannelOrmEntity } from './channel.orm-entity.js';

export interface ApiKeyView {
  id: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  status: ChannelStatus;
  /** Null: the hub-wide default applies. */
  rateLimitPerMinute: number | null;
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
 * How long a key look-up is reused. Revocation and suspension through this service evict the
 * entry at once on this instance; another instance (or the channel:create CLI) acting on the same
 * key is seen here at most this long afterwards.
 */
export const KEY_CACHE_TTL_MS = 15_000;
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
  lastUsedAt: number | undefined;
  channelId: string;
  channelName: string;
  kind: ChannelKind;
  channelStatus: ChannelStatus;
  rateLimitPerMinute: number | null;
  expiresAt: number;
}

type Resolution =
  { ok: true; key: AuthenticatedKey; cached: CachedKey } | { ok: false; reason: string };

/**
 * Channels and their API keys: creation (the plaintext key is shown once), key issue and
 * revocation, suspension, and the look-up behind the API-key guard. Works inside Nest and, built
 * with `new ChannelsService(dataSource)`, from the channel:create CLI.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);
  private readonly cache = new Map<string, CachedKey>();
  /** Bumped on every eviction so that a look-up racing a revocation does not re-cache the old row. */
  private generation = 0;
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  async createChannel(input: CreateChannelInput): Promise<CreatedChannel> {
    const violations = validateChannelInput(input);
    if (violations.length > 0) throw invalid(violations);
    const name = input.name.trim();
    const scopes = uniqueScopes(input.scopes);
    try {
      return await withFreshPrefix(() =>
        this.dataSource.transaction(async (em) => {
          const channel = await em.getRepository(ChannelOrmEntity).save(
            em.getRepository(ChannelOrmEntity).create({
              name,
              kind: input.kind as ChannelKind,
              status: 'active',
              rateLimitPerMinute: input.rateLimitPerMinute ?? null,
            }),
          );
          const { key, apiKey } = await insertKey(em, channel.id, scopes);
          return { channel: toChannelView(channel, [key]), apiKey };
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
      insertKey(this.dataSource.manager, channelId, uniqueScopes(scopes)),
    );
    return { key: toKeyView(issued.key), apiKey: issued.apiKey };
  }

  /** Revokes a key; takes effect at once on this instance. Revoking a revoked key is a no-op. */
  async revokeKey(keyId: string): Promise<ApiKeyView> {
    const repo = this.dataSource.getRepository(ApiKeyOrmEntity);
    const key = isUuid(keyId) ? await repo.findOneBy({ id: keyId }) : null;
    if (!key) {
      throw new ApplicationError('API_KEY_NOT_FOUND', `No API key with id ${keyId}.`, 'not-found');
    }
    if (!key.revokedAt) {
      await repo
        .createQueryBuilder()
        .update()
        .set({ revokedAt: () => 'now()' })
        .where('id = :id AND revoked_at IS NULL', { id: keyId })
        .execute();
    }
    this.evict((entry) => entry.keyId === keyId);
    return toKeyView(await repo.findOneByOrFail({ id: keyId }));
  }

  /** Revokes every live key of a channel (the demo seed replaces keys it can no longer print). */
  async revokeAllKeys(channelId: string): Promise<void> {
    await this.dataSource
      .getRepository(ApiKeyOrmEntity)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('channel_id = :channelId AND revoked_at IS NULL', { channelId })
      .execute();
    this.evict((entry) => entry.channelId === channelId);
  }

  /** Suspends or reactivates a channel; every key of a suspended channel is refused at once here. */
  async setChannelStatus(channelId: string, status: ChannelStatus): Promise<ChannelView> {
    const channel = await this.requireChannel(channelId);
    channel.status = status;
    await this.dataSource.getRepository(ChannelOrmEntity).save(channel);
    this.evict((entry) => entry.channelId === channelId);
    return (await this.findChannel({ id: channelId })) as ChannelView;
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
   * Resolves a presented key to its channel, or throws UNAUTHENTICATED. The detail says why only
   * once the caller has proved possession of the key (revoked, suspended); a malformed, unknown or
   * wrong key gets the same answer.
   */
  async authenticate(presented: string): Promise<AuthenticatedKey> {
    const resolution = await this.resolve(presented);
    if (!resolution.ok) throw unauthenticated(resolution.reason);
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
    if (!prefix) {
      return { ok: false, reason: 'The API key is malformed: expected cdk_<prefix>_<secret>.' };
    }
    const cached = await this.lookup(prefix);
    if (!cached || !apiKeyMatches(presented, cached.keyHash)) {
      return { ok: false, reason: 'The API key is not valid.' };
    }
    if (cached.revoked) return { ok: false, reason: 'This API key has been revoked.' };
    if (cached.channelStatus !== 'active') {
      return { ok: false, reason: `The channel ${cached.channelName} is suspended.` };
    }
    return {
      ok: true,
      cached,
      key: {
        channel: {
          channelId: cached.channelId,
          channelName: cached.channelName,
          kind: cached.kind,
          apiKeyId: cached.keyId,
          scopes: cached.scopes,
        },
        keyPrefix: cached.prefix,
        rateLimitPerMinute: cached.rateLimitPerMinute,
      },
    };
  }

  private async lookup(prefix: string): Promise<CachedKey | undefined> {
    const now = Date.now();
    const hit = this.cache.get(prefix);
    if (hit && hit.expiresAt > now) return hit;
    const generation = this.generation;
    const row = await this.dataSource
      .getRepository(ApiKeyOrmEntity)
      .findOne({ where: { prefix }, relations: { channel: true } });
    if (!row?.channel) {
      this.cache.delete(prefix);
      return undefined;
    }
    const entry: CachedKey = {
      keyId: row.id,
      prefix: row.prefix,
      keyHash: row.keyHash,
      scopes: row.scopes.filter(isScope),
      revoked: row.revokedAt !== null,
      lastUsedAt: row.lastUsedAt?.getTime(),
      channelId: row.channel.id,
      channelName: row.channel.name,
      kind: row.channel.kind,
      channelStatus: row.channel.status,
      rateLimitPerMinute: row.channel.rateLimitPerMinute,
      expiresAt: now + KEY_CACHE_TTL_MS,
    };
    if (generation === this.generation) {
      // Map order is insertion order: dropping the first entry drops the oldest look-up.
      if (this.cache.size >= KEY_CACHE_MAX_ENTRIES)
        this.cache.delete(this.cache.keys().next().value!);
      this.cache.delete(prefix);
      this.cache.set(prefix, entry);
    }
    return entry;
  }

  private evict(matches: (entry: CachedKey) => boolean): void {
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
    return channels.map((channel) =>
      toChannelView(
        channel,
        keys.filter((k) => k.channelId === channel.id),
      ),
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
  };
}

function toChannelView(channel: ChannelOrmEntity, keys: ApiKeyOrmEntity[]): ChannelView {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    status: channel.status,
    rateLimitPerMinute: channel.rateLimitPerMinute,
    createdAt: channel.createdAt,
    keys: keys.map(toKeyView),
  };
}
