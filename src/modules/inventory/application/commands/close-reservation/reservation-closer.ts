import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  demandByPosition,
  type PositionDemand,
  type RequestedLine,
  type Reservation,
  type ReservationStatus,
} from '../../../domain/reservation.js';
import {
  AvailabilityOutbox,
  type PositionChange,
} from '../../../infrastructure/availability.outbox.js';
import { formatQuantity } from '../../../domain/quantity.js';
import {
  type PositionKey,
  PositionStore,
  positionKey,
} from '../../../infrastructure/position.store.js';
import { recomputePositions } from '../../../infrastructure/recompute-positions.js';
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
    private readonly positions: PositionStore,
  ) {}

  /**
   * A posted order is cancelled: the stock it handed over to the ERP is available again at once.
   * The ERP still reports it allocated until it has cancelled its order and a sync has read that,
   * so it is recorded as a pending release that offsets the ERP's figure meanwhile.
   */
  async releaseHandedOver(
    manager: EntityManager,
    orderId: string,
    reason: string,
  ): Promise<Reservation | null> {
    const released = await this.reservations.releaseHandedOver(manager, orderId, reason);
    if (!released) return null;
    const demands = demandByPosition(released.lines);
    await this.recomputing(manager, demands, () =>
      this.reservations.addPendingReleases(manager, released.id, demands),
    );
    return released;
  }

  /**
   * Part of a posted order's stock is no longer needed (the ERP cut or cancelled lines itself):
   * it is taken out of the handed-over reservation and is available again at once, as a pending
   * release (added to one the position may already have) that offsets the ERP's allocated
   * figure until a sync pass has read the ERP's balances up to `releasedAt`. Answers what was
   * released per position (never more than the reservation held there).
   */
  async releaseHandedOverPart(
    manager: EntityManager,
    orderId: string,
    lines: readonly RequestedLine[],
    releasedAt: Date | null,
  ): Promise<PositionDemand[]> {
    const taken = await this.reservations.takeFromHandedOver(
      manager,
      orderId,
      demandByPosition(lines),
    );
    if (!taken || taken.taken.length === 0) return [];
    await this.recomputing(manager, taken.taken, () =>
      this.reservations.addPendingReleases(manager, taken.reservationId, taken.taken, releasedAt),
    );
    return taken.taken;
  }

  /**
   * Shipped stock stops being the order's: it is taken out of the handed-over reservation, so
   * that a later cancel of the order gives back only what is still unshipped. No position
   * changes: once handed over, the stock is counted by the ERP's figures (allocated, plus a
   * pending allocation until a sync has read it), and the ERP lowers on hand and allocated
   * together when it records the shipment, so ATP (on hand − allocated) is right before and
   * after; until then the stock is still on the ERP's books as on hand and allocated alike.
   */
  async consumeHandedOver(
    manager: EntityManager,
    orderId: string,
    lines: readonly RequestedLine[],
  ): Promise<PositionDemand[]> {
    const taken = await this.reservations.takeFromHandedOver(
      manager,
      orderId,
      demandByPosition(lines),
    );
    return taken?.taken ?? [];
  }

  /**
   * The ERP answered the cancel of the order's allocation at `warehouse`: cancelled at
   * `releasedAt` (the pending release ends with the first sync pass that has read the ERP since),
   * or refused (the ERP keeps and ships it: its figures are right, the release is dropped now).
   */
  async settleRelease(
    manager: EntityManager,
    orderId: string,
    warehouse: string,
    outcome: { cancelledAt: Date } | 'refused',
  ): Promise<void> {
    if (outcome !== 'refused') {
      await this.reservations.confirmPendingReleases(
        manager,
        orderId,
        warehouse,
        outcome.cancelledAt,
      );
      return;
    }
    const keys = await this.reservations.pendingReleaseKeys(manager, orderId, warehouse);
    await this.recomputing(manager, keys, () =>
      this.reservations.dropPendingReleases(manager, orderId, warehouse),
    );
  }

  /** Runs `change` with the positions locked, then recomputes them and records what changed. */
  private async recomputing(
    manager: EntityManager,
    keys: readonly PositionKey[],
    change: () => Promise<unknown>,
  ): Promise<void> {
    if (keys.length === 0) return;
    await recomputePositions(manager, this.positions, this.availability, keys, change);
  }

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
