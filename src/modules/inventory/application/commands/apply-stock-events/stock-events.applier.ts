import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import type { EntityManager } from 'typeorm';
import { CorrelationContext } from '../../../../../platform/correlation/index.js';
import { fitsQuantityColumn, MAX_STORED_QUANTITY } from '../../../domain/quantity.js';
import {
  decideStockEvent,
  type EventKey,
  type StockEvent,
  stockEventFingerprint,
} from '../../../domain/stock-event.js';
import {
  AvailabilityOutbox,
  type PositionChange,
} from '../../../infrastructure/availability.outbox.js';
import {
  type LotState,
  lotKey,
  PositionStore,
  positionKey,
} from '../../../infrastructure/position.store.js';
import { queryRows } from '../../../infrastructure/sql.js';
import type { StockEventResult } from './apply-stock-events.command.js';

interface StoredEvent {
  event_id: string;
  fingerprint: string;
  outcome: 'APPLIED' | 'IGNORED';
}

export interface IndexedEvent {
  index: number;
  event: StockEvent;
}

/**
 * Applies checked stock events in one transaction: positions locked first (in key order), each
 * event recorded under its eventId (the durable dedupe), then decided by the ordering rules
 * against its lot's last snapshot, and AvailabilityChanged written for every position whose ATP
 * moved.
 */
@Injectable()
export class StockEventsApplier {
  constructor(
    private readonly positions: PositionStore,
    private readonly availability: AvailabilityOutbox,
  ) {}

  async apply(
    manager: EntityManager,
    events: readonly IndexedEvent[],
    channelId: string | null,
  ): Promise<StockEventResult[]> {
    const before = await this.positions.lockPositions(
      manager,
      events.map(({ event }) => event),
    );
    const lots = await this.positions.loadLots(
      manager,
      events.map(({ event }) => event),
    );
    const stored = new Map(
      (
        await queryRows<StoredEvent>(
          manager,
          `SELECT event_id, fingerprint, outcome FROM inv_stock_event
            WHERE event_id = ANY($1::text[])`,
          [[...new Set(events.map(({ event }) => event.eventId))]],
        )
      ).map((row) => [row.event_id, row]),
    );
    const correlationId = CorrelationContext.current() ?? null;
    const sourceTimes = new Map<string, number>();
    const results: StockEventResult[] = [];
    // On hand of each position as this batch moves it (the sum of its lots), to refuse an event
    // that would overflow the column before anything of it is written.
    const positionOnHand = new Map(
      [...before.values()].map((p) => [positionKey(p), new Decimal(p.figures.onHand)]),
    );

    for (const { index, event } of events) {
      const fingerprint = stockEventFingerprint(event);
      const known = stored.get(event.eventId);
      if (known) {
        results.push(duplicateOrReused(index, event, fingerprint, known));
        continue;
      }
      const lot = lots.get(lotKey(event))!;
      const key: EventKey = { at: event.occurredAt, id: event.eventId };
      const decision = decideStockEvent(event.type, key, lot.lastSnapshot);
      const pk = positionKey(event);
      let lotOnHand: Decimal | undefined;
      if (decision.apply) {
        lotOnHand = await this.onHandAfter(manager, lot, event, key);
        const positionTotal = positionOnHand.get(pk)!.minus(lot.onHand).plus(lotOnHand);
        if (!fitsQuantityColumn(lotOnHand) || !fitsQuantityColumn(positionTotal)) {
          // Refused like an invalid event: not recorded, so a corrected one can be sent.
          results.push({
            index,
            eventId: event.eventId,
            status: 'REJECTED',
            problems: [
              {
                code: 'QUANTITY_OUT_OF_RANGE',
                field: 'quantity',
                message: `applying this event would take on hand of ${event.sku} in ${event.warehouse} beyond ±${MAX_STORED_QUANTITY.toFixed()}`,
              },
            ],
          });
          continue;
        }
        positionOnHand.set(pk, positionTotal);
      }
      const inserted = await queryRows<{ event_id: string }>(
        manager,
        `INSERT INTO inv_stock_event (event_id, sku, warehouse_code, lot_no, type, quantity,
           occurred_at, source, channel_id, fingerprint, outcome, reason, correlation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [
          event.eventId,
          event.sku,
          event.warehouse,
          event.lot,
          event.type,
          event.quantity,
          new Date(event.occurredAt),
          event.source,
          channelId,
          fingerprint,
          decision.apply ? 'APPLIED' : 'IGNORED',
          decision.apply ? null : decision.reason,
          correlationId,
        ],
      );
      if (inserted.length === 0) {
        // Another batch recorded this id and committed while we waited on it.
        const [row] = await queryRows<StoredEvent>(
          manager,
          `SELECT event_id, fingerprint, outcome FROM inv_stock_event WHERE event_id = $1`,
          [event.eventId],
        );
        results.push(duplicateOrReused(index, event, fingerprint, row));
        continue;
      }
      stored.set(event.eventId, {
        event_id: event.eventId,
        fingerprint,
        outcome: decision.apply ? 'APPLIED' : 'IGNORED',
      });
      if (!decision.apply) {
        results.push({ index, eventId: event.eventId, status: 'IGNORED', reason: decision.reason });
        continue;
      }
      this.applyToLot(lot, event, key, lotOnHand!);
      sourceTimes.set(pk, Math.max(sourceTimes.get(pk) ?? 0, event.occurredAt));
      results.push({ index, eventId: event.eventId, status: 'APPLIED' });
    }

    await this.positions.saveLots(manager, lots.values());
    const touched = [...before.values()].filter((p) => sourceTimes.has(positionKey(p)));
    const after = await this.positions.refreshTotals(manager, touched);
    const changes: PositionChange[] = touched.map((p) => ({
      before: p,
      after: after.get(positionKey(p))!,
      sourceEventAt: new Date(sourceTimes.get(positionKey(p))!),
    }));
    await this.availability.record(manager, changes);
    return results;
  }

  /**
   * A SNAPSHOT sets on hand to its count plus the adjustments already applied after it (they
   * happened later, so the count cannot include them); an ADJUSTMENT adds to on hand.
   */
  private async onHandAfter(
    manager: EntityManager,
    lot: LotState,
    event: StockEvent,
    key: EventKey,
  ): Promise<Decimal> {
    if (event.type === 'SNAPSHOT') {
      const later = await this.positions.adjustmentsAfter(manager, lot, key);
      return new Decimal(event.quantity).plus(later);
    }
    return lot.onHand.plus(event.quantity);
  }

  private applyToLot(lot: LotState, event: StockEvent, key: EventKey, onHand: Decimal): void {
    lot.onHand = onHand;
    if (event.type === 'SNAPSHOT') {
      lot.lastSnapshot = key;
    } else {
      lot.hasAdjustments = true;
    }
    if (!lot.stockEventAt || lot.stockEventAt.getTime() < event.occurredAt) {
      lot.stockEventAt = new Date(event.occurredAt);
    }
    lot.changed = true;
  }
}

function duplicateOrReused(
  index: number,
  event: StockEvent,
  fingerprint: string,
  known: StoredEvent,
): StockEventResult {
  if (known.fingerprint === fingerprint) {
    return { index, eventId: event.eventId, status: 'DUPLICATE', originalStatus: known.outcome };
  }
  return {
    index,
    eventId: event.eventId,
    status: 'REJECTED',
    problems: [
      {
        code: 'EVENT_ID_REUSED',
        field: 'eventId',
        message: 'this eventId was already received with different content; use a new eventId',
      },
    ],
  };
}
