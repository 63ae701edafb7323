import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/index.js';
import { CorrelationContext } from '../../../platform/correlation/index.js';
import { OutboxService } from '../../../platform/outbox/index.js';
import {
  AVAILABILITY_CHANGED,
  AvailabilityChangedEvent,
  type AvailabilityChangedPayload,
} from '../application/events/availability-changed.event.js';
import { availableToPromise } from '../domain/availability.js';
import { formatQuantity } from '../domain/quantity.js';
import { comparePositions } from '../domain/reservation.js';
import type { PositionState } from './position.store.js';
import { queryRows } from './sql.js';

/** A coalescing insert that lost a race re-reads the winner's row; more rounds mean a bug. */
const COALESCE_ATTEMPTS = 5;

export interface PositionChange {
  before: PositionState;
  after: PositionState;
  /** Source time of what changed it (event occurredAt, ERP modifiedAt, reservation time). */
  sourceEventAt: Date;
}

/**
 * Writes AvailabilityChanged into the outbox, in the transaction that changed the position,
 * coalesced per SKU × warehouse within INVENTORY_COALESCE_WINDOW_MS: the burst's first old ATP,
 * its last new ATP; a burst that ends where it started publishes nothing.
 */
@Injectable()
export class AvailabilityOutbox implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.registerMapper(AVAILABILITY_CHANGED, (message) => {
      const p = message.payload as AvailabilityChangedPayload;
      return new AvailabilityChangedEvent(
        p.sku,
        p.warehouse,
        p.oldAtp,
        p.newAtp,
        p.sourceEventAt,
        message.id,
        message.correlationId,
      );
    });
  }

  /**
   * Call with the positions locked. Whatever the number of changes, this costs two statements
   * (none when no ATP changed): one reads and locks the pending events of every key, one writes
   * them all (merges, cancelled bursts, new bursts). Same semantics as OutboxService.add with
   * `coalesce`, applied change by change in (sku, warehouse) order:
   * - a pending (unpublished) event of the key absorbs the change: first old ATP, last new ATP,
   *   earliest occurredAt; dropped when the burst ends where it started;
   * - no pending event: a new one, published `coalesceWindowMs` from now.
   *
   * Concurrency: every writer of a key holds its position's row lock, so no other writer can
   * touch the key's pending event meanwhile; the only other party is the publisher. Locking the
   * pending rows FOR UPDATE waits for a publisher that claimed one to commit, after which the
   * row no longer qualifies (published) and the change starts a new burst behind it, exactly as
   * one add() would. Rows are locked in (sku, warehouse) order. Should an insert still lose a
   * race on the (type, key) unique index, those keys are read and merged again.
   */
  async record(manager: EntityManager, changes: readonly PositionChange[]): Promise<void> {
    let events = netEvents(changes);
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AvailabilityOutbox.record needs an EntityManager inside a transaction');
    }
    const windowMs = this.config.inventory.coalesceWindowMs;
    const correlationId = CorrelationContext.current() ?? null;
    for (let attempt = 1; attempt <= COALESCE_ATTEMPTS; attempt++) {
      const pending = await this.lockPending(manager, events);
      const updates: { id: string; event: NetEvent }[] = [];
      const deletes: string[] = [];
      const inserts: NetEvent[] = [];
      for (const event of events) {
        const row = pending.get(event.key);
        if (!row) inserts.push(event);
        else {
          const merged = mergeBurst(row.payload, event.payload);
          if (merged) updates.push({ id: row.id, event: { ...event, payload: merged } });
          else deletes.push(row.id);
        }
      }
      const inserted = await queryRows<{ key: string }>(
        manager,
        `WITH merged AS (
           UPDATE outbox_event e
              SET payload = u.payload::jsonb, occurred_at = LEAST(e.occurred_at, u.occurred_at)
             FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS u(id, payload, occurred_at)
            WHERE e.id = u.id),
         cancelled AS (
           DELETE FROM outbox_event WHERE id = ANY($4::bigint[])),
         started AS (
           INSERT INTO outbox_event
             (type, key, payload, correlation_id, occurred_at, available_at, coalescing)
           SELECT $5, i.key, i.payload::jsonb, $6, i.occurred_at,
                  clock_timestamp() + $7 * interval '1 millisecond', true
             FROM unnest($8::text[], $9::text[], $10::timestamptz[]) WITH ORDINALITY
                  AS i(key, payload, occurred_at, n)
            ORDER BY i.n
           ON CONFLICT (type, key) WHERE published_at IS NULL AND coalescing DO NOTHING
           RETURNING key)
         SELECT key FROM started`,
        [
          updates.map((u) => u.id),
          updates.map((u) => JSON.stringify(u.event.payload)),
          updates.map((u) => u.event.occurredAt),
          deletes,
          AVAILABILITY_CHANGED,
          correlationId,
          windowMs,
          inserts.map((e) => e.key),
          inserts.map((e) => JSON.stringify(e.payload)),
          inserts.map((e) => e.occurredAt),
        ],
      );
      // As add() does for an event it inserted or merged: wake the publisher when it falls due.
      if (updates.length > 0 || inserted.length > 0) {
        this.outbox.notifyAdded(Date.now() + windowMs);
      }
      const started = new Set(inserted.map((r) => r.key));
      events = inserts.filter((e) => !started.has(e.key));
      if (events.length === 0) return;
    }
    throw new Error(
      `Could not coalesce outbox events ${AVAILABILITY_CHANGED} ${events.map((e) => e.key).join(', ')}`,
    );
  }

  /** The pending events of these keys, locked in the order of `events`; keyed by event key. */
  private async lockPending(
    manager: EntityManager,
    events: readonly NetEvent[],
  ): Promise<Map<string, { id: string; payload: AvailabilityChangedPayload }>> {
    const rows = await queryRows<{ id: string; key: string; payload: AvailabilityChangedPayload }>(
      manager,
      `SELECT e.id, e.key, e.payload
         FROM outbox_event e
         JOIN unnest($2::text[]) WITH ORDINALITY AS k(key, n) ON e.key = k.key
        WHERE e.type = $1 AND e.coalescing AND e.published_at IS NULL
        ORDER BY k.n
          FOR UPDATE OF e`,
      [AVAILABILITY_CHANGED, events.map((e) => e.key)],
    );
    return new Map(rows.map((r) => [r.key, { id: r.id, payload: r.payload }]));
  }
}

/** A coalesced outbox write of one SKU × warehouse. */
interface NetEvent {
  key: string;
  payload: AvailabilityChangedPayload;
  occurredAt: Date;
}

/** The same merge as add()'s `coalesce.merge`: first old ATP, last new ATP; null = cancelled. */
function mergeBurst(
  pending: AvailabilityChangedPayload,
  next: AvailabilityChangedPayload,
): AvailabilityChangedPayload | null {
  return pending.oldAtp === next.newAtp ? null : { ...next, oldAtp: pending.oldAtp };
}

/**
 * The changes that move ATP, one per SKU × warehouse in (sku, warehouse) order. Callers pass one
 * change per position; several of one position (each `before` the previous `after`) are folded
 * with the burst merge first, which publishes the same ATPs as adding them one by one would.
 */
function netEvents(changes: readonly PositionChange[]): NetEvent[] {
  const byKey = new Map<string, NetEvent | null>();
  for (const change of [...changes].sort((a, b) => comparePositions(a.after, b.after))) {
    const oldAtp = formatQuantity(availableToPromise(change.before.figures));
    const newAtp = formatQuantity(availableToPromise(change.after.figures));
    if (oldAtp === newAtp) continue;
    const key = `${change.after.sku}@${change.after.warehouse}`;
    const payload: AvailabilityChangedPayload = {
      sku: change.after.sku,
      warehouse: change.after.warehouse,
      oldAtp,
      newAtp,
      sourceEventAt: change.sourceEventAt.toISOString(),
    };
    const earlier = byKey.get(key);
    if (earlier === undefined) {
      byKey.set(key, { key, payload, occurredAt: change.sourceEventAt });
      continue;
    }
    const merged = earlier ? mergeBurst(earlier.payload, payload) : payload;
    byKey.set(
      key,
      merged && {
        key,
        payload: merged,
        occurredAt:
          earlier && earlier.occurredAt < change.sourceEventAt
            ? earlier.occurredAt
            : change.sourceEventAt,
      },
    );
  }
  return [...byKey.values()].filter((e): e is NetEvent => e !== null);
}
