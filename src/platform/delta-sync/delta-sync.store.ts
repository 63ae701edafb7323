import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeltaPosition } from './delta-entry.classifier.js';
import {
  type DeltaStreamCounts,
  type DeltaSyncRun,
  emptyStreamCounts,
} from './delta-sync.types.js';

export interface StoredWatermark {
  feed: string;
  modifiedAt: Date;
  sourceId: string;
}

interface RunRow {
  id: string;
  sync: string;
  trigger: DeltaSyncRun['trigger'];
  status: DeltaSyncRun['status'];
  feed: string;
  full: boolean;
  streams: Record<string, DeltaStreamCounts>;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
  correlation_id: string | null;
}

const toRun = (row: RunRow): DeltaSyncRun => ({
  id: row.id,
  sync: row.sync,
  trigger: row.trigger,
  status: row.status,
  feed: row.feed,
  full: row.full,
  streams: Object.fromEntries(
    Object.entries(row.streams).map(([name, counts]) => [
      name,
      { ...emptyStreamCounts(), ...counts },
    ]),
  ),
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  error: row.error,
  correlationId: row.correlation_id,
});

/** Watermarks (one per `sync:stream`) and run records of every delta sync. */
@Injectable()
export class DeltaSyncStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async readWatermark(stream: string): Promise<StoredWatermark | null> {
    const rows = (await this.dataSource.query(
      `SELECT feed, modified_at, source_id FROM sync_watermark WHERE stream = $1`,
      [stream],
    )) as { feed: string; modified_at: Date; source_id: string }[];
    const row = rows[0];
    return row ? { feed: row.feed, modifiedAt: row.modified_at, sourceId: row.source_id } : null;
  }

  /** Moves the watermark forward only (or replaces another feed's), inside the page's transaction. */
  async advanceWatermark(
    manager: EntityManager,
    stream: string,
    feed: string,
    position: DeltaPosition,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sync_watermark AS w (stream, feed, modified_at, source_id, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (stream) DO UPDATE SET
         feed = EXCLUDED.feed, modified_at = EXCLUDED.modified_at,
         source_id = EXCLUDED.source_id, updated_at = now()
       WHERE w.feed <> EXCLUDED.feed
          OR (EXCLUDED.modified_at, EXCLUDED.source_id COLLATE "C")
             > (w.modified_at, w.source_id COLLATE "C")`,
      [stream, feed, position.modifiedAt, position.sourceId],
    );
  }

  async saveRun(run: DeltaSyncRun): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sync_run (id, sync, trigger, status, feed, "full", streams, started_at,
         finished_at, duration_ms, error, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, streams = EXCLUDED.streams,
         finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
         error = EXCLUDED.error`,
      [
        run.id,
        run.sync,
        run.trigger,
        run.status,
        run.feed,
        run.full,
        JSON.stringify(run.streams),
        run.startedAt,
        run.finishedAt,
        run.durationMs,
        run.error,
        run.correlationId,
      ],
    );
  }

  async findRun(sync: string, id: string): Promise<DeltaSyncRun | null> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM sync_run WHERE sync = $1 AND id = $2`,
      [sync, id],
    )) as RunRow[];
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Newest first; `after` is the last run of the previous page (its start and id). */
  async listRuns(
    sync: string,
    after: { startedAt: Date; id: string } | null,
    limit: number,
  ): Promise<DeltaSyncRun[]> {
    const rows = (await this.dataSource.query(
      after
        ? `SELECT * FROM sync_run WHERE sync = $1 AND (started_at, id) < ($3::timestamptz, $4::uuid)
           ORDER BY started_at DESC, id DESC LIMIT $2`
        : `SELECT * FROM sync_run WHERE sync = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
      after ? [sync, limit, after.startedAt, after.id] : [sync, limit],
    )) as RunRow[];
    return rows.map(toRun);
  }

  async findRunning(sync: string): Promise<DeltaSyncRun | null> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM sync_run WHERE sync = $1 AND status = 'running'
       ORDER BY started_at DESC LIMIT 1`,
      [sync],
    )) as RunRow[];
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Runs left `running` by an instance that died; only called while holding the sync's lock. */
  async failAbandoned(sync: string, now: Date): Promise<number> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE … RETURNING with a
    // `[rows, affected]` tuple, whose length (2) was once taken for the number of runs.
    const rows = (await this.dataSource.query(
      `WITH failed AS (
         UPDATE sync_run SET status = 'failed', finished_at = $2,
           error = 'Interrupted: the instance running this sync stopped before it finished.'
         WHERE sync = $1 AND status = 'running'
         RETURNING id)
       SELECT count(*)::int AS abandoned FROM failed`,
      [sync, now],
    )) as { abandoned: number }[];
    return rows[0]?.abandoned ?? 0;
  }
}
