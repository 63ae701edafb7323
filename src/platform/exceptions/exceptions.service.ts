import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationContext } from '../correlation/index.js';
import { ApplicationError } from '../errors/index.js';
import { decodeExceptionCursor, encodeExceptionCursor } from './exception-cursor.js';
import type { ExceptionError, ExceptionStatus } from './ops-exception.types.js';

/** An exception record as the rest of the hub and the ops API see it. */
export interface OpsException {
  id: string;
  /** What kind of failure, e.g. `job.failed`, `orders.erp-posting-failed`. */
  type: string;
  status: ExceptionStatus;
  /** Where it failed: the job queue name, or the sync/feed that reported it. Replay goes there. */
  source: string;
  /** Business reference (order id, SKU...) or the job id. */
  reference: string | null;
  channelId: string | null;
  /** The input that failed, kept whole so it can be replayed after a fix. */
  payload: unknown;
  error: ExceptionError;
  attempts: number;
  correlationId: string | null;
  firstFailedAt: Date;
  lastFailedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordExceptionInput {
  type: string;
  source: string;
  reference?: string | null;
  channelId?: string | null;
  payload?: unknown;
  error: ExceptionError;
  /** How many attempts were made in total so far (a repeated report keeps the highest). */
  attempts?: number;
  /** Defaults to the correlation id of the current request or job. */
  correlationId?: string | null;
  firstFailedAt?: Date;
  lastFailedAt?: Date;
  /**
   * Reporting the same failure again with the same key, while its record is still open, updates
   * that record (error, payload, attempts, failure times) instead of adding a second one.
   */
  dedupeKey?: string;
}

export interface ListExceptionsInput {
  type?: string;
  status?: ExceptionStatus;
  cursor?: string;
  limit?: number;
}

export interface ExceptionPage {
  items: OpsException[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_EXCEPTION_PAGE_SIZE = 50;
export const MAX_EXCEPTION_PAGE_SIZE = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, type, status, source, reference, channel_id, payload, error, attempts,
  correlation_id, first_failed_at, last_failed_at, created_at, updated_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts`;

interface ExceptionRow {
  id: string;
  type: string;
  status: ExceptionStatus;
  source: string;
  reference: string | null;
  channel_id: string | null;
  payload: unknown;
  error: ExceptionError;
  attempts: number;
  correlation_id: string | null;
  first_failed_at: Date;
  last_failed_at: Date;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
}

/** Turns anything thrown into what an operator may see: name, message, code. No stack. */
export function toExceptionError(error: unknown): ExceptionError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : JSON.stringify(error) };
}

/**
 * The exception queue: failures that need a person (dead-lettered jobs, sync records the hub
 * could not apply), each with what is needed to understand and replay it.
 */
@Injectable()
export class ExceptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ExceptionsService.name);
  }

  /** Writes (or, for an open record with the same dedupeKey, updates) an exception record. */
  async record(
    input: RecordExceptionInput,
    options: { manager?: EntityManager } = {},
  ): Promise<OpsException> {
    const manager = options.manager ?? this.dataSource.manager;
    const now = new Date();
    const rows = (await manager.query(
      `INSERT INTO ops_exception (type, source, reference, channel_id, payload, error, attempts,
         correlation_id, first_failed_at, last_failed_at, dedupe_key)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11)
       ON CONFLICT (dedupe_key) WHERE status = 'open' AND dedupe_key IS NOT NULL DO UPDATE SET
         reference = COALESCE(EXCLUDED.reference, ops_exception.reference),
         payload = EXCLUDED.payload,
         error = EXCLUDED.error,
         attempts = GREATEST(ops_exception.attempts, EXCLUDED.attempts),
         correlation_id = COALESCE(EXCLUDED.correlation_id, ops_exception.correlation_id),
         first_failed_at = LEAST(ops_exception.first_failed_at, EXCLUDED.first_failed_at),
         last_failed_at = GREATEST(ops_exception.last_failed_at, EXCLUDED.last_failed_at),
         updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        input.type,
        input.source,
        input.reference ?? null,
        input.channelId ?? null,
        input.payload === undefined ? null : JSON.stringify(input.payload),
        JSON.stringify(input.error),
        input.attempts ?? 1,
        input.correlationId ?? CorrelationContext.current() ?? null,
        input.firstFailedAt ?? input.lastFailedAt ?? now,
        input.lastFailedAt ?? now,
        input.dedupeKey ?? null,
      ],
    )) as ExceptionRow[];
    const recorded = toOpsException(rows[0]);
    this.logger.info(
      {
        exceptionId: recorded.id,
        exceptionType: recorded.type,
        source: recorded.source,
        reference: recorded.reference,
        attempts: recorded.attempts,
      },
      'exception recorded',
    );
    return recorded;
  }

  /** Newest first, filtered by type and/or status, paged with an opaque keyset cursor. */
  async list(input: ListExceptionsInput = {}): Promise<ExceptionPage> {
    const limit = Math.min(
      Math.max(input.limit ?? DEFAULT_EXCEPTION_PAGE_SIZE, 1),
      MAX_EXCEPTION_PAGE_SIZE,
    );
    const where: string[] = [];
    const params: unknown[] = [];
    if (input.type !== undefined) {
      params.push(input.type);
      where.push(`type = $${params.length}`);
    }
    if (input.status !== undefined) {
      params.push(input.status);
      where.push(`status = $${params.length}`);
    }
    if (input.cursor !== undefined) {
      const cursor = decodeExceptionCursor(input.cursor);
      params.push(cursor.createdAt, cursor.id);
      where.push(
        `(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ops_exception
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC
       LIMIT $${params.length}`,
      params,
    )) as ExceptionRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOpsException),
      nextCursor:
        rows.length > limit && last
          ? encodeExceptionCursor({ createdAt: last.cursor_ts, id: last.id })
          : null,
    };
  }

  /** One record; EXCEPTION_NOT_FOUND (404) when there is none with this id. */
  async get(id: string): Promise<OpsException> {
    const rows = UUID.test(id)
      ? ((await this.dataSource.query(`SELECT ${COLUMNS} FROM ops_exception WHERE id = $1`, [
          id,
        ])) as ExceptionRow[])
      : [];
    const row = rows[0];
    if (!row) {
      throw new ApplicationError(
        'EXCEPTION_NOT_FOUND',
        `No exception record has id ${id}.`,
        'not-found',
      );
    }
    return toOpsException(row);
  }
}

function toOpsException(row: ExceptionRow): OpsException {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    source: row.source,
    reference: row.reference,
    channelId: row.channel_id,
    payload: row.payload,
    error: row.error,
    attempts: row.attempts,
    correlationId: row.correlation_id,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
