import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from '../logging/index.js';
import type { Counter } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationContext } from '../correlation/index.js';
import { ApplicationError } from '../errors/index.js';
import { MetricsService } from '../metrics/index.js';
import type {
  DiscardExceptionInput,
  ExceptionAction,
  ExceptionActor,
  ExceptionReplayer,
  OpsExceptionActionRecord,
  OpsExceptionDetail,
  ReplayerMatch,
  ReplayExceptionInput,
  ReplayResult,
} from './exception-actions.types.js';
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
  /** The record this one is the replay of: its replay failed again and was recorded anew. */
  replayOf: string | null;
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
  /** The exception record whose replay this failure comes from. */
  replayOf?: string | null;
}

export interface ListExceptionsInput {
  type?: string;
  status?: ExceptionStatus;
  cursor?: string;
  limit?: number;
}

export interface ExceptionPage {
  /** Each with its audit trail. */
  items: OpsExceptionDetail[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_EXCEPTION_PAGE_SIZE = 50;
export const MAX_EXCEPTION_PAGE_SIZE = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, type, status, source, reference, channel_id, payload, error, attempts,
  correlation_id, replay_of, first_failed_at, last_failed_at, created_at, updated_at,
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
  replay_of: string | null;
  first_failed_at: Date;
  last_failed_at: Date;
  created_at: Date;
  updated_at: Date;
  cursor_ts: string;
}

const ACTION_COLUMNS = `id, action, actor_channel_id, actor_channel_name, actor_api_key_id,
  actor_key_prefix, reason, payload_before, payload_after, payload_corrected, job_id,
  correlation_id, created_at`;

interface ActionRow {
  id: string;
  action: ExceptionAction;
  actor_channel_id: string;
  actor_channel_name: string;
  actor_api_key_id: string;
  actor_key_prefix: string | null;
  reason: string | null;
  payload_before: unknown;
  payload_after: unknown;
  payload_corrected: boolean;
  job_id: string | null;
  correlation_id: string | null;
  created_at: Date;
}

interface NewAction {
  exceptionId: string;
  action: ExceptionAction;
  actor: ExceptionActor;
  reason: string | null;
  payloadBefore: unknown;
  payloadAfter?: unknown;
  payloadCorrected?: boolean;
  jobId?: string | null;
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
  private readonly replayers: { match: ReplayerMatch; replayer: ExceptionReplayer }[] = [];
  private readonly actionsTotal: Counter<'action' | 'type'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
    metrics: MetricsService,
  ) {
    this.logger.setContext(ExceptionsService.name);
    this.actionsTotal = metrics.counter({
      name: 'crossdock_ops_exception_actions_total',
      help: 'Replays and discards of exception records, per action and exception type',
      labelNames: ['action', 'type'],
    });
  }

  /**
   * Declares who replays records from `match` (an exact `source`, or a predicate over the record).
   * Call it from onModuleInit. An exact source wins over predicates; predicates are tried in the
   * order they were registered. Every job queue has one already (JobsService registers it).
   */
  registerReplayer(match: ReplayerMatch, replayer: ExceptionReplayer): void {
    if (typeof match === 'string' && this.replayers.some((r) => r.match === match)) {
      throw new Error(`A replayer for exception source "${match}" is already registered`);
    }
    this.replayers.push({ match, replayer });
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
         correlation_id, first_failed_at, last_failed_at, dedupe_key, replay_of)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (dedupe_key) WHERE status = 'open' AND dedupe_key IS NOT NULL DO UPDATE SET
         reference = COALESCE(EXCLUDED.reference, ops_exception.reference),
         payload = EXCLUDED.payload,
         error = EXCLUDED.error,
         attempts = GREATEST(ops_exception.attempts, EXCLUDED.attempts),
         correlation_id = COALESCE(EXCLUDED.correlation_id, ops_exception.correlation_id),
         first_failed_at = LEAST(ops_exception.first_failed_at, EXCLUDED.first_failed_at),
         last_failed_at = GREATEST(ops_exception.last_failed_at, EXCLUDED.last_failed_at),
         replay_of = COALESCE(EXCLUDED.replay_of, ops_exception.replay_of),
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
        input.replayOf ?? null,
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
        ...(recorded.replayOf ? { replayOf: recorded.replayOf } : {}),
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
    const actions = await this.actionsOfMany(page.map((row) => row.id));
    return {
      items: page.map((row) => ({ ...toOpsException(row), actions: actions.get(row.id) ?? [] })),
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

  /** One record with its audit trail (oldest action first). */
  async getDetail(id: string): Promise<OpsExceptionDetail> {
    const exception = await this.get(id);
    return { ...exception, actions: await this.actionsOf(exception.id) };
  }

  /** The audit trail of one record, oldest first. */
  async actionsOf(
    exceptionId: string,
    options: { manager?: EntityManager } = {},
  ): Promise<OpsExceptionActionRecord[]> {
    const manager = options.manager ?? this.dataSource.manager;
    const rows = (await manager.query(
      `SELECT ${ACTION_COLUMNS} FROM ops_exception_action WHERE exception_id = $1
        ORDER BY created_at, id`,
      [exceptionId],
    )) as ActionRow[];
    return rows.map(toActionRecord);
  }

  private async actionsOfMany(ids: string[]): Promise<Map<string, OpsExceptionActionRecord[]>> {
    const byException = new Map<string, OpsExceptionActionRecord[]>();
    if (ids.length === 0) return byException;
    const rows = (await this.dataSource.query(
      `SELECT exception_id, ${ACTION_COLUMNS} FROM ops_exception_action
        WHERE exception_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    )) as (ActionRow & { exception_id: string })[];
    for (const row of rows) {
      const list = byException.get(row.exception_id) ?? [];
      list.push(toActionRecord(row));
      byException.set(row.exception_id, list);
    }
    return byException;
  }

  /**
   * Sends an open record's work again through the replayer registered for its source, with the
   * corrected payload when one is given. The status change (open → replayed), the audit row and the
   * replayer's own writes (the new job) are one transaction; of two concurrent replays one wins,
   * the other gets EXCEPTION_NOT_OPEN.
   */
  async replay(
    id: string,
    input: ReplayExceptionInput,
    actor: ExceptionActor,
  ): Promise<ReplayResult> {
    const exception = await this.get(id);
    assertOpen(exception.id, exception.status, 'replayed');
    const replayer = this.replayerFor(exception);
    if (!replayer) {
      throw new ApplicationError(
        'EXCEPTION_NOT_REPLAYABLE',
        `Nothing can replay exceptions from source "${exception.source}": it is not a job queue ` +
          'this instance runs, and no module registered a replayer for it. Fix the cause at the ' +
          'source, then discard this record.',
        'conflict',
        { extensions: { source: exception.source } },
      );
    }
    const payloadCorrected = input.payload !== undefined;
    if (payloadCorrected && replayer.validatePayload) {
      const violations = replayer.validatePayload(input.payload, exception);
      if (violations.length > 0) {
        throw new ApplicationError(
          'INVALID_REPLAY_PAYLOAD',
          `The corrected payload is not valid for ${exception.source}; nothing was replayed.`,
          'validation',
          {
            violations: violations.map((message) => ({
              code: 'INVALID_REPLAY_PAYLOAD',
              field: 'payload',
              message,
            })),
          },
        );
      }
    }
    const reason = input.reason ?? null;
    const { updated, action } = await this.dataSource.transaction(async (manager) => {
      // Locks the row: a concurrent replay or discard waits here, then finds it no longer open.
      const updated = await this.leaveOpen(manager, exception.id, 'replayed');
      const payload = payloadCorrected ? input.payload : updated.payload;
      const outcome = await replayer.replay(updated, {
        manager,
        payload,
        payloadCorrected,
        actor,
        reason,
      });
      const action = await this.writeAction(manager, {
        exceptionId: updated.id,
        action: 'replay',
        actor,
        reason,
        payloadBefore: updated.payload,
        ...(payloadCorrected ? { payloadAfter: payload } : {}),
        payloadCorrected,
        jobId: outcome.jobId ?? null,
      });
      return { updated, action };
    });
    this.actionsTotal.inc({ action: 'replay', type: updated.type });
    this.logger.info(
      {
        exceptionId: updated.id,
        exceptionType: updated.type,
        source: updated.source,
        replayJobId: action.jobId,
        payloadCorrected,
        actorChannelId: actor.channelId,
        actorApiKeyId: actor.apiKeyId,
      },
      'exception replayed',
    );
    return {
      exception: { ...updated, actions: await this.actionsOf(updated.id) },
      replay: action,
    };
  }

  /** Closes an open record without replaying it (the work is not needed, or was done by hand). */
  async discard(
    id: string,
    input: DiscardExceptionInput,
    actor: ExceptionActor,
  ): Promise<OpsExceptionDetail> {
    const exception = await this.get(id);
    assertOpen(exception.id, exception.status, 'discarded');
    const updated = await this.dataSource.transaction(async (manager) => {
      const updated = await this.leaveOpen(manager, exception.id, 'discarded');
      await this.writeAction(manager, {
        exceptionId: updated.id,
        action: 'discard',
        actor,
        reason: input.reason,
        payloadBefore: updated.payload,
      });
      return updated;
    });
    this.actionsTotal.inc({ action: 'discard', type: updated.type });
    this.logger.info(
      {
        exceptionId: updated.id,
        exceptionType: updated.type,
        source: updated.source,
        actorChannelId: actor.channelId,
        actorApiKeyId: actor.apiKeyId,
      },
      'exception discarded',
    );
    return { ...updated, actions: await this.actionsOf(updated.id) };
  }

  private replayerFor(exception: OpsException): ExceptionReplayer | undefined {
    return (
      this.replayers.find((r) => r.match === exception.source)?.replayer ??
      this.replayers.find((r) => typeof r.match === 'function' && r.match(exception))?.replayer
    );
  }

  /** open → `status`, only if still open (the conditional update is what serialises operators). */
  private async leaveOpen(
    manager: EntityManager,
    id: string,
    status: 'replayed' | 'discarded',
  ): Promise<OpsException> {
    const rows = (await manager.query(
      `UPDATE ops_exception SET status = $2, updated_at = now()
        WHERE id = $1 AND status = 'open'
        RETURNING ${COLUMNS}`,
      [id, status],
    )) as [ExceptionRow[], number];
    const row = rows[0][0];
    if (row) return toOpsException(row);
    const current = (await manager.query(`SELECT status FROM ops_exception WHERE id = $1`, [
      id,
    ])) as { status: ExceptionStatus }[];
    const now = current[0]?.status;
    if (now === undefined) {
      throw new ApplicationError(
        'EXCEPTION_NOT_FOUND',
        `No exception record has id ${id}.`,
        'not-found',
      );
    }
    assertOpen(id, now, status);
    throw new Error(`exception ${id} is open but could not be updated`);
  }

  private async writeAction(
    manager: EntityManager,
    action: NewAction,
  ): Promise<OpsExceptionActionRecord> {
    const rows = (await manager.query(
      `INSERT INTO ops_exception_action (exception_id, action, actor_channel_id,
         actor_channel_name, actor_api_key_id, actor_key_prefix, reason, payload_before,
         payload_after, payload_corrected, job_id, correlation_id)
       VALUES ($1, $2, $3, $4, $5, (SELECT prefix FROM api_key WHERE id = $5), $6, $7::jsonb,
         $8::jsonb, $9, $10, $11)
       RETURNING ${ACTION_COLUMNS}`,
      [
        action.exceptionId,
        action.action,
        action.actor.channelId,
        action.actor.channelName,
        action.actor.apiKeyId,
        action.reason,
        toJsonb(action.payloadBefore),
        'payloadAfter' in action ? JSON.stringify(action.payloadAfter ?? null) : null,
        action.payloadCorrected ?? false,
        action.jobId ?? null,
        CorrelationContext.current() ?? null,
      ],
    )) as ActionRow[];
    return toActionRecord(rows[0]);
  }
}

function assertOpen(id: string, status: ExceptionStatus, wanted: 'replayed' | 'discarded'): void {
  if (status === 'open') return;
  const verb = wanted === 'replayed' ? 'replayed' : 'discarded';
  throw new ApplicationError(
    'EXCEPTION_NOT_OPEN',
    `Exception record ${id} is ${status}; only an open record can be ${verb}.`,
    'conflict',
    { extensions: { exceptionStatus: status } },
  );
}

function toJsonb(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function toActionRecord(row: ActionRow): OpsExceptionActionRecord {
  return {
    id: row.id,
    action: row.action,
    actor: {
      channelId: row.actor_channel_id,
      channelName: row.actor_channel_name,
      apiKeyId: row.actor_api_key_id,
      keyPrefix: row.actor_key_prefix,
    },
    reason: row.reason,
    payloadBefore: row.payload_before,
    payloadAfter: row.payload_after,
    payloadCorrected: row.payload_corrected,
    jobId: row.job_id,
    correlationId: row.correlation_id,
    createdAt: row.created_at,
  };
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
    replayOf: row.replay_of,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
