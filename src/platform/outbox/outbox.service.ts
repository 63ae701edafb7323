import { Injectable } from '@nestjs/common';
import type { EntityManager, QueryResult } from 'typeorm';
import { CorrelationContext } from '../correlation/index.js';
import type {
  AddOptions,
  CoalesceOptions,
  OutboxEventInput,
  OutboxEventMapper,
} from './outbox.types.js';

const TYPE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** A coalescing insert that lost a race re-reads the winner's row; more rounds mean a bug. */
const COALESCE_ATTEMPTS = 5;

interface PendingRow {
  id: string;
  payload: unknown;
}

/**
 * The transactional outbox: events are rows of `outbox_event`, written on the caller's
 * transaction, so an event exists exactly when the state change that caused it commits.
 * OutboxPublisher hands due events to the in-process EventBus, in order, and marks them published.
 */
@Injectable()
export class OutboxService {
  private readonly mappers = new Map<string, OutboxEventMapper>();
  private readonly listeners = new Set<(dueAtMs: number) => void>();

  /**
   * Adds an event inside `manager`'s transaction (required: an outbox row written outside the
   * transaction of its state change could survive a rollback or be lost on a crash).
   *
   * With `coalesce`, events of one type and key merge while unpublished: the first one of a burst
   * is published `windowMs` after it was added, carrying `merge(...)` of everything added since
   * and the earliest `occurredAt`. Writers of one key should be serialised by the caller (a row
   * lock on the business object); a unique index makes a race end in a merge anyway.
   */
  async add<T>(
    manager: EntityManager,
    event: OutboxEventInput<T>,
    options: AddOptions<T> = {},
  ): Promise<void> {
    if (!TYPE.test(event.type)) throw new Error(`Invalid outbox event type "${event.type}"`);
    const runner = manager.queryRunner;
    if (!runner || !runner.isTransactionActive) {
      throw new Error('OutboxService.add needs an EntityManager inside a transaction');
    }
    const occurredAt = event.occurredAt ?? new Date();
    const correlationId = event.correlationId ?? CorrelationContext.current() ?? null;
    const key = event.key ?? null;
    const coalesce = options.coalesce;
    let delayMs: number;
    if (coalesce) {
      if (key === null) throw new Error('A coalesced outbox event needs a key');
      const merged = await this.addCoalesced(manager, event.type, key, event.payload, {
        occurredAt,
        correlationId,
        coalesce,
      });
      if (!merged) return;
      delayMs = coalesce.windowMs;
    } else {
      delayMs = Math.max(0, options.delayMs ?? 0);
      await manager.query(
        `INSERT INTO outbox_event (type, key, payload, correlation_id, occurred_at, available_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, clock_timestamp() + $6 * interval '1 millisecond')`,
        [event.type, key, JSON.stringify(event.payload), correlationId, occurredAt, delayMs],
      );
    }
    this.notifyAdded(Date.now() + delayMs);
  }

  /**
   * For modules that write their own outbox rows (batched, set-based): wakes the publisher for
   * events falling due at `dueAtMs`, as add() does after its write.
   */
  notifyAdded(dueAtMs: number): void {
    for (const listener of this.listeners) listener(dueAtMs);
  }

  /**
   * Publishes events of `type` as the object `mapper` builds (a typed event class for
   * `@EventsHandler`); without a mapper they are published as OutboxMessage.
   */
  registerMapper(type: string, mapper: OutboxEventMapper): void {
    this.mappers.set(type, mapper);
  }

  mapperFor(type: string): OutboxEventMapper | undefined {
    return this.mappers.get(type);
  }

  /** OutboxPublisher listens, to publish an event the moment it is due. */
  onAdded(listener: (dueAtMs: number) => void): void {
    this.listeners.add(listener);
  }

  /** Returns false when the merge dropped the pending event (nothing left to publish). */
  private async addCoalesced<T>(
    manager: EntityManager,
    type: string,
    key: string,
    payload: T,
    meta: { occurredAt: Date; correlationId: string | null; coalesce: CoalesceOptions<T> },
  ): Promise<boolean> {
    for (let attempt = 1; attempt <= COALESCE_ATTEMPTS; attempt++) {
      // Locks the pending event. Should the publisher hold it, this waits for its commit and then
      // finds no unpublished row: the new event starts a new burst, after the published one.
      const pending = await rows<PendingRow>(
        manager,
        `SELECT id, payload FROM outbox_event
          WHERE type = $1 AND key = $2 AND coalescing AND published_at IS NULL
          FOR UPDATE`,
        [type, key],
      );
      if (pending.length > 0) {
        const merged = meta.coalesce.merge(pending[0].payload as T, payload);
        if (merged === null) {
          await manager.query(`DELETE FROM outbox_event WHERE id = $1`, [pending[0].id]);
          return false;
        }
        await manager.query(
          `UPDATE outbox_event SET payload = $2::jsonb, occurred_at = LEAST(occurred_at, $3)
            WHERE id = $1`,
          [pending[0].id, JSON.stringify(merged), meta.occurredAt],
        );
        return true;
      }
      const inserted = await rows<{ id: string }>(
        manager,
        `INSERT INTO outbox_event
           (type, key, payload, correlation_id, occurred_at, available_at, coalescing)
         VALUES ($1, $2, $3::jsonb, $4, $5, clock_timestamp() + $6 * interval '1 millisecond', true)
         ON CONFLICT (type, key) WHERE published_at IS NULL AND coalescing DO NOTHING
         RETURNING id`,
        [
          type,
          key,
          JSON.stringify(payload),
          meta.correlationId,
          meta.occurredAt,
          meta.coalesce.windowMs,
        ],
      );
      if (inserted.length > 0) return true;
    }
    throw new Error(`Could not coalesce outbox event ${type} ${key}`);
  }
}

async function rows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result = (await manager.queryRunner!.query(sql, params, true)) as QueryResult<T>;
  return result.records ?? [];
}
