import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type ChannelAvailabilityRule, defaultRuleFor } from '../domain/channel-rule.js';
import { ChannelRuleStore } from '../infrastructure/channel-rule.store.js';

const CACHE_TTL_MS = 5_000;

export interface EffectiveRule {
  rule: ChannelAvailabilityRule;
  /** False when the channel has no rule of its own and its kind's default applies. */
  explicit: boolean;
}

/**
 * The availability rule of a channel: its own (inv_channel_rule) or its kind's default. Cached
 * for a few seconds per instance (availability reads are the hot path); a change made on this
 * instance applies at once, on other instances within the cache time.
 */
@Injectable()
export class ChannelRules {
  private readonly cache = new Map<
    string,
    { value: ChannelAvailabilityRule | null; until: number }
  >();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ChannelRuleStore,
  ) {}

  async effective(channel: { channelId: string; kind: string }): Promise<EffectiveRule> {
    const now = Date.now();
    let cached = this.cache.get(channel.channelId);
    if (!cached || cached.until <= now) {
      cached = {
        value: await this.store.find(this.dataSource.manager, channel.channelId),
        until: now + CACHE_TTL_MS,
      };
      this.cache.set(channel.channelId, cached);
    }
    return cached.value
      ? { rule: cached.value, explicit: true }
      : { rule: defaultRuleFor(channel.kind), explicit: false };
  }

  forget(channelId: string): void {
    this.cache.delete(channelId);
  }
}
