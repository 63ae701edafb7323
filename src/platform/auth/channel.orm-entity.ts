import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ApiKeyOrmEntity } from './api-key.orm-entity.js';
import type { ChannelKind, ChannelStatus, CustomerScopeKind } from './auth.types.js';

/** A caller of the API (web shop, marketplace, EDI partner…); table from migration 1764400000000. */
@Entity({ name: 'channel' })
export class ChannelOrmEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  kind: ChannelKind;

  @Column({ type: 'text', default: 'active' })
  status: ChannelStatus;

  /** ALL: the whole customer book; LISTED: the accounts in channel_customer and their children. */
  @Column({ name: 'customer_scope', type: 'text' })
  customerScope: CustomerScopeKind;

  /** Null: the hub-wide default (RATE_LIMIT_PER_MINUTE). */
  @Column({ name: 'rate_limit_per_minute', type: 'integer', nullable: true })
  rateLimitPerMinute: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  // String target: the two entity files import each other only as types (no ESM cycle).
  @OneToMany('ApiKeyOrmEntity', 'channel')
  apiKeys?: ApiKeyOrmEntity[];
}
