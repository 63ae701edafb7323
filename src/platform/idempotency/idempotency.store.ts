import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { IdempotentOutcome } from './idempotent-outcome.js';
import { AppConfig } from '../../config/index.js';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type BeginResult =
  | { outcome: 'started' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in-flight' }
  | { outcome: 'fingerprint-mismatch' };

interface RecordRow {
  fingerprint: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  lease_expired: boolean;
}

/**
 * Idempotency records in PostgreSQL. The (channel, key) primary key makes the first INSERT the
 * winner across every instance; a crashed instance's in-flight record is taken over once its
 * lease runs out, so a retry is never blocked for good.
 */
@Injectable()
export class IdempotencyStore {
  /** How long a request may hold its key before another attempt may take it over. */
  static readonly LEASE_SECONDS = 60;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async begin(input: {
    channelId: string;
    key: string;
    fingerprint: string;
    method: string;
    path: string;
    correlationId: string;
  }): Promise<BeginResult> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO idempotency_record
         (channel_id, idempotency_key, fingerprint, method, path, state, correlation_id,
          locked_until, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'in_flight', $6,
               now() + make_interval(secs => $7), now() + make_interval(hours => $8))
       ON CONFLICT (channel_id, idempotency_key) DO NOTHING
       RETURNING 1`,
      [
        input.channelId,
        input.key,
        input.fingerprint,
        input.method,
        input.path,
        input.correlationId,
        IdempotencyStore.LEASE_SECONDS,
        this.config.idempotencyRetentionHours,
      ],
    );
    if (inserted.length > 0) return { outcome: 'started' };

    const rows: RecordRow[] = await this.db.query(
      `SELECT fingerprint, state, response_status, response_headers, response_body,
              (locked_until IS NULL OR locked_until < now()) AS lease_expired
         FROM idempotency_record WHERE channel_id = $1 AND idempotency_key = $2`,
      [input.channelId, input.key],
    );
    const row = rows[0];
    // Deleted between our INSERT and SELECT (a failed first attempt released it): try again.
    if (!row) return this.begin(input);
    if (row.fingerprint !== input.fingerprint) return { outcome: 'fingerprint-mismatch' };
    if (row.state === 'completed') {
      return {
        outcome: 'replay',
        response: {
          status: row.response_status ?? 200,
          headers: row.response_headers ?? {},
          body: row.response_body ?? '',
        },
      };
    }
    if (!row.lease_expired) return { outcome: 'in-flight' };
    // TypeORM answers UPDATE/DELETE with [rows, rowCount].
    const [taken] = (await this.db.query(
      `UPDATE idempotency_record
          SET locked_until = now() + make_interval(secs => $3), correlation_id = $4
        WHERE channel_id = $1 AND idempotency_key = $2 AND state = 'in_flight'
          AND locked_until < now()
        RETURNING 1`,
      [input.channelId, input.key, IdempotencyStore.LEASE_SECONDS, input.correlationId],
    )) as [unknown[], number];
    return taken.length > 0 ? { outcome: 'started' } : { outcome: 'in-flight' };
  }

  async complete(channelId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_record
          SET state = 'completed', response_status = $3, response_headers = $4,
              response_body = $5, completed_at = now(), locked_until = NULL
        WHERE channel_id = $1 AND idempotency_key = $2`,
      [channelId, key, response.status, JSON.stringify(response.headers), response.body],
    );
  }

  /**
   * Stores the final answer inside the caller's transaction: it commits (or not) with the change
   * it describes, so a committed change always has its answer ready for a same-key retry.
   */
  async completeWithin(
    manager: EntityManager,
    outcome: IdempotentOutcome,
    response: StoredResponse,
  ): Promise<void> {
    await manager.query(
      `UPDATE idempotency_record
          SET state = 'completed', response_status = $3, response_headers = $4,
              response_body = $5, completed_at = now(), locked_until = NULL
        WHERE channel_id = $1 AND idempotency_key = $2`,
      [
        outcome.channelId,
        outcome.key,
        response.status,
        JSON.stringify(response.headers),
        response.body,
      ],
    );
    outcome.storedInTransaction = true;
  }

  /** The stored answer of a key, when its request has completed. */
  async completedResponse(channelId: string, key: string): Promise<StoredResponse | null> {
    const rows: RecordRow[] = await this.db.query(
      `SELECT fingerprint, state, response_status, response_headers, response_body,
              false AS lease_expired
         FROM idempotency_record
        WHERE channel_id = $1 AND idempotency_key = $2 AND state = 'completed'`,
      [channelId, key],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      status: row.response_status ?? 200,
      headers: row.response_headers ?? {},
      body: row.response_body ?? '',
    };
  }

  /** The first attempt failed in a way a retry may fix (5xx): free the key for that retry. */
  async release(channelId: string, key: string): Promise<void> {
    await this.db.query(
      `DELETE FROM idempotency_record
        WHERE channel_id = $1 AND idempotency_key = $2 AND state = 'in_flight'`,
      [channelId, key],
    );
  }

  /** Removes records past their retention; returns how many went. */
  async purgeExpired(batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.db.query(
        `DELETE FROM idempotency_record
          WHERE ctid IN (SELECT ctid FROM idempotency_record WHERE expires_at < now() LIMIT $1)`,
        [batchSize],
      )) as [unknown[], number];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
