import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { Scope } from './auth.types.js';
import type { ChannelOrmEntity } from './channel.orm-entity.js';

/** One API key of a channel. Only the hash of the key is stored (see api-key.ts). */
@Entity({ name: 'api_key' })
export class ApiKeyOrmEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId: string;

  @ManyToOne('ChannelOrmEntity', 'apiKeys', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id' })
  channel?: ChannelOrmEntity;

  /** Visible part of the key, unique: how a presented key finds its row. */
  @Column({ type: 'text', unique: true })
  prefix: string;

  /** Hex sha256 of the whole key. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ type: 'text', array: true })
  scopes: Scope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** A rotated-out key keeps working until then (grace period); null: until revoked. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
