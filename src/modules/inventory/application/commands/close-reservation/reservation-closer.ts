import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  demandByPosition,
  type Reservation,
  type ReservationStatus,
} from '../../../domain/reservation.js';
import {
  AvailabilityOutbox,
  type PositionChange,
} from '../../../infrastructure/availability.outbox.js';
import { formatQuantity } from '../../../domain/quantity.js';
import { positionKey } from '../../../infrastructure/position.store.js';
import { ReservationStore } from '../../../infrastructure/reservation.store.js';

/**
 * Ends reservations and gives their stock back (or hands it over to the ERP allocation). The
 * status change is conditional (`WHERE status = 'ACTIVE'`), so however many callers race to
 * release, expire or hand over one reservation, its stock moves exactly once.
 */
@Injectable()
export class ReservationCloser {
  constructor(
    private readonly reservations: ReservationStore,
    private readonly availability: AvailabilityOutbox,
  ) {}

  async close(
    manager: EntityManager,
    orderId: string,
    status: Exclude<ReservationStatus, 'ACTIVE'>,
    reason: string,
    erpAllocatedAt?: Date,
  ): Promise<Reservation | null> {
    const closed = await this.reservations.closeActive(manager, orderId, status, reason);
    if (!closed) return null;
    if (status === 'HANDED_OVER') {
      await this.reservations.addPendingAllocations(
        manager,
        closed.id,
        demandByPosition(closed.lines),
        erpAllocatedAt ?? new Date(),
      );
    }
    await this.giveBack(manager, [closed], status === 'HANDED_OVER');
    return closed;
  }

  /** Positions of the given (already closed) reservations: one UPDATE, locks in key order. */
  async giveBack(
    manager: EntityManager,
    closed: readonly Reservation[],
    toPending: boolean,
  ): Promise<void> {
    const now = new Date();
    const demands = demandByPosition(closed.flatMap((r) => r.lines));
    const given = await this.reservations.unreserveAtPositions(manager, demands, toPending);
    const quantities = new Map(demands.map((d) => [positionKey(d), d.quantity]));
    const changes: PositionChange[] = given.map((after) => {
      const quantity = quantities.get(positionKey(after))!;
      const figures = { ...after.figures };
      figures.reserved = formatQuantity(quantity.plus(figures.reserved));
      if (toPending) {
        figures.allocationPending = formatQuantity(
          quantity.negated().plus(figures.allocationPending),
        );
      }
      return { before: { ...after, figures }, after, sourceEventAt: now };
    });
    await this.availability.record(manager, changes);
  }
}
