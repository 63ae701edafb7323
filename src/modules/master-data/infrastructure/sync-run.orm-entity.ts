import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EntitySyncCounts } from '../domain/sync-run.js';

@Entity({ name: 'md_sync_run' })
export class SyncRunOrmEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  trigger: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text' })
  feed: string;

  @Column({ type: 'jsonb' })
  entities: Record<string, EntitySyncCounts>;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;
}

@Entity({ name: 'md_sync_watermark' })
export class SyncWatermarkOrmEntity {
  @PrimaryColumn({ type: 'text' })
  entity: string;

  @Column({ type: 'text' })
  feed: string;

  @Column({ name: 'modified_at', type: 'timestamptz' })
  modifiedAt: Date;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
